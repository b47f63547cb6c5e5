/**
 * `pnpm start` on a fresh machine as its users have it: as root, with the checkout (and so the
 * data directory) in a private 0700 directory such as /root. The embedded PostgreSQL must come
 * up all the same, and a database that cannot start must be one clear line and exit code 1.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, spawnLedgerlink, stopProcess, waitForReady } from '../helpers/processes.js';

const cleanup: string[] = [];
afterAll(() => {
  for (const dir of cleanup) fs.rmSync(dir, { recursive: true, force: true });
});

function privateDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlink-home-'));
  fs.chmodSync(dir, 0o700);
  cleanup.push(dir);
  return dir;
}

/** Where the server says the cluster lives (relocated when its user cannot enter the home). */
function clusterDir(dataDir: string): string {
  const note = path.join(dataDir, 'pg.location');
  if (!fs.existsSync(note)) return path.join(dataDir, 'pg');
  return /lives in (\S+):/.exec(fs.readFileSync(note, 'utf8'))![1]!;
}

describe('pnpm start from a private directory', () => {
  it('starts the embedded PostgreSQL with its data under a 0700 home and serves /readyz', async () => {
    const home = privateDir();
    const dataDir = path.join(home, 'ledgerlink', '.data');
    const port = await freePort();
    const env = {
      PORT: String(port),
      LEDGERLINK_DATA_DIR: dataDir,
      LEDGERLINK_PG_PORT: String(await freePort()),
      LEDGERLINK_SEED: 'none',
      LEDGERLINK_WORKER: 'off',
    };
    const server = spawnLedgerlink('main', 'private-home', env);
    try {
      await waitForReady(`http://127.0.0.1:${port}`, server, 90_000);
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(await res.json()).toMatchObject({ status: 'ready', database: 'ok' });
    } finally {
      expect((await stopProcess(server)).code).toBe(0);
      cleanup.push(clusterDir(dataDir));
    }
    expect(fs.existsSync(path.join(clusterDir(dataDir), 'PG_VERSION'))).toBe(true);
  });

  it('says in one line what to do when the embedded PostgreSQL cannot start, and exits 1', async () => {
    const home = privateDir();
    const dataDir = path.join(home, '.data');
    const holder = net.createServer();
    const pgPort = await new Promise<number>((resolve) =>
      holder.listen(0, '127.0.0.1', () => resolve((holder.address() as net.AddressInfo).port)),
    );
    try {
      const server = spawnLedgerlink('main', 'port-taken', {
        PORT: String(await freePort()),
        LEDGERLINK_DATA_DIR: dataDir,
        LEDGERLINK_PG_PORT: String(pgPort),
        LEDGERLINK_SEED: 'none',
        LEDGERLINK_WORKER: 'off',
      });
      const exit = await server.exited;
      cleanup.push(clusterDir(dataDir));
      expect(exit.code).toBe(1);
      const output = server.tail();
      const fatal = output.split('\n').filter((line) => line.includes('"level":60'));
      expect(fatal).toHaveLength(1);
      expect(JSON.parse(fatal[0]!).msg).toMatch(
        new RegExp(`port ${pgPort}: it is in use\\. .*DATABASE_URL`),
      );
      expect(output).not.toMatch(/^\s+at /m);
    } finally {
      holder.close();
    }
  });
});
