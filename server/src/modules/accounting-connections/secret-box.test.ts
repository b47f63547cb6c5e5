import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import {
  generateSecretKeyText,
  maskSecret,
  parseSecretKey,
  SecretBox,
  SecretKeyUnavailable,
} from './secret-box.js';

const key = (text = generateSecretKeyText()) => parseSecretKey(text)!;

describe('SecretBox (AES-256-GCM)', () => {
  it('seals with a fresh IV every time and opens what it sealed', () => {
    const box = new SecretBox(key());
    const a = box.seal('client-secret-3f9a');
    const b = box.seal('client-secret-3f9a');
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.ciphertext).not.toContain('client-secret');
    expect(a.keyId).toBe(box.current.id);
    expect(box.open(a)).toBe('client-secret-3f9a');
    expect(Buffer.from(a.ciphertext.split('.')[0], 'base64')).toHaveLength(12);
  });

  it('refuses a tampered ciphertext (the tag is checked)', () => {
    const box = new SecretBox(key());
    const sealed = box.seal('s3cret-value');
    const [iv, tag, body] = sealed.ciphertext.split('.');
    const flipped = Buffer.from(body, 'base64');
    flipped[0] ^= 1;
    expect(() =>
      box.open({ ...sealed, ciphertext: [iv, tag, flipped.toString('base64')].join('.') }),
    ).toThrow();
  });

  it('opens values of the previous key after a rotation, and names an unknown key', () => {
    const oldKey = key();
    const sealed = new SecretBox(oldKey).seal('rotate-me');
    const rotated = new SecretBox(key(), oldKey);
    expect(rotated.isStale(sealed)).toBe(true);
    expect(rotated.open(sealed)).toBe('rotate-me');
    expect(rotated.isStale(rotated.seal('x'))).toBe(false);
    expect(() => new SecretBox(key()).open(sealed)).toThrow(SecretKeyUnavailable);
  });

  it('reads 32-byte keys as base64 or hex and nothing else', () => {
    const hex = 'ab'.repeat(32);
    expect(parseSecretKey(hex)?.key).toHaveLength(32);
    expect(parseSecretKey(Buffer.alloc(32, 7).toString('base64'))?.key).toHaveLength(32);
    for (const bad of ['', 'short', 'ab'.repeat(31), Buffer.alloc(16).toString('base64')])
      expect(parseSecretKey(bad), bad).toBeNull();
  });

  it('masks all but the last four characters', () => {
    expect(maskSecret('abcdefghijkl3f9a')).toBe('••••••3f9a');
    expect(maskSecret('short')).toBe('••••••');
  });
});

describe('LEDGERLINK_SECRET_KEY in the configuration', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'll-key-'));

  it('is required in production, and a malformed one stops the start naming it', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', LEDGERLINK_DATA_DIR: tmp() })).toThrow(
      /LEDGERLINK_SECRET_KEY is required/,
    );
    expect(() => loadConfig({ LEDGERLINK_SECRET_KEY: 'nope' })).toThrow(ConfigError);
    expect(() => loadConfig({ LEDGERLINK_SECRET_KEY: 'nope' })).toThrow(/LEDGERLINK_SECRET_KEY/);
    expect(() =>
      loadConfig({ LEDGERLINK_SECRET_KEY: 'ab'.repeat(32), LEDGERLINK_SECRET_KEY_PREVIOUS: 'x' }),
    ).toThrow(/LEDGERLINK_SECRET_KEY_PREVIOUS/);
    const ok = loadConfig({
      NODE_ENV: 'production',
      LEDGERLINK_SECRET_KEY: 'ab'.repeat(32),
      LEDGERLINK_SECRET_KEY_PREVIOUS: 'cd'.repeat(32),
    }).secretKeys;
    expect(ok.source).toBe('env');
    expect(ok.previous?.id).toBe(parseSecretKey('cd'.repeat(32))!.id);
  });

  it('outside production generates one key into the data directory and keeps it', () => {
    const dir = tmp();
    const first = loadConfig({ LEDGERLINK_DATA_DIR: dir }).secretKeys;
    const again = loadConfig({ LEDGERLINK_DATA_DIR: dir }).secretKeys;
    expect(first.source).toBe('file');
    expect(again.current.id).toBe(first.current.id);
    expect(fs.statSync(path.join(dir, 'secret-key')).mode & 0o777).toBe(0o600);
  });
});
