/**
 * Encryption at rest of connection secrets: AES-256-GCM with a random 12-byte IV per value.
 * The id of the key that sealed a value is stored beside its ciphertext, so values sealed
 * with the previous key still open after a rotation (and `reencrypt` moves them over).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface SecretKey {
  /** First 8 hex digits of the key's SHA-256: names the key without revealing it. */
  id: string;
  key: Buffer;
}

/** A 32-byte key given as base64 or hex; null when the text is neither. */
export function parseSecretKey(text: string): SecretKey | null {
  const trimmed = text.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) key = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(trimmed)) {
    const decoded = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (decoded.length === 32) key = decoded;
  }
  return key ? { id: keyIdOf(key), key } : null;
}

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export function generateSecretKeyText(): string {
  return randomBytes(32).toString('base64');
}

export interface SealedSecret {
  keyId: string;
  /** `base64(iv).base64(tag).base64(ciphertext)` */
  ciphertext: string;
}

export class SecretKeyUnavailable extends Error {
  constructor(keyId: string) {
    super(
      `The secret was sealed with key ${keyId}, which is neither LEDGERLINK_SECRET_KEY nor LEDGERLINK_SECRET_KEY_PREVIOUS`,
    );
    this.name = 'SecretKeyUnavailable';
  }
}

export class SecretBox {
  constructor(
    readonly current: SecretKey,
    readonly previous: SecretKey | null = null,
  ) {}

  seal(plaintext: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return {
      keyId: this.current.id,
      ciphertext: [iv, tag, body].map((b) => b.toString('base64')).join('.'),
    };
  }

  open(sealed: SealedSecret): string {
    const key = [this.current, this.previous].find((k) => k?.id === sealed.keyId);
    if (!key) throw new SecretKeyUnavailable(sealed.keyId);
    const [iv, tag, body] = sealed.ciphertext.split('.').map((p) => Buffer.from(p, 'base64'));
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }

  /** True when the value is sealed with an older key and should be sealed again. */
  isStale(sealed: SealedSecret): boolean {
    return sealed.keyId !== this.current.id;
  }
}

/** What the API shows of a secret: its last four characters, the rest as dots. */
export function maskSecret(secret: string): string {
  const tail = secret.length > 8 ? secret.slice(-4) : '';
  return `••••••${tail}`;
}
