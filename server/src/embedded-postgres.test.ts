import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EmbeddedPostgres,
  EmbeddedPostgresError,
  installedNativeDir,
} from './embedded-postgres.js';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const isRoot = process.getuid?.() === 0;
const cleanup: string[] = [];
afterAll(() => {
  for (const dir of cleanup) fs.rmSync(dir, { recursive: true, force: true });
});

/** A directory like a clone under /root: only its owner may enter it. */
function privateDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlink-private-'));
  fs.chmodSync(dir, 0o700);
  cleanup.push(dir);
  return dir;
}

function sharedRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlink-shared-'));
  fs.chmodSync(dir, 0o755);
  cleanup.push(dir);
  return dir;
}

/** The real package's binaries, copied into a checkout as pnpm would install them. */
function installBinaries(checkout: string, version: string): string {
  const nativeDir = path.join(checkout, 'node_modules', 'pg', 'native');
  fs.mkdirSync(path.dirname(nativeDir), { recursive: true });
  fs.cpSync(installedNativeDir(), nativeDir, { recursive: true, verbatimSymlinks: true });
  fs.writeFileSync(path.join(nativeDir, '..', 'package.json'), JSON.stringify({ version }));
  return nativeDir;
}

async function selectOne(port: number): Promise<string> {
  const client = new pg.Client({
    connectionString: `postgres://ledgerlink:secret@127.0.0.1:${port}/postgres`,
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ encoding: string }>(
      `select pg_encoding_to_char(encoding) as encoding from pg_database where datname = 'postgres'`,
    );
    return rows[0]!.encoding;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  // PostgreSQL refuses to run as root, so only root needs (and can test) the relocation.
  it.runIf(isRoot)(
    'runs from a private (0700) checkout as root: binaries copied, data relocated',
    async () => {
      const checkout = privateDir();
      const nativeDir = installBinaries(checkout, 'test');

      const shared = sharedRoot();
      const port = await freePort();
      const server = new EmbeddedPostgres({
        databaseDir: path.join(checkout, '.data', 'pg'),
        port,
        user: 'ledgerlink',
        password: 'secret',
        nativeDir,
        sharedRoot: shared,
      });
      expect(server.dataDir.startsWith(path.join(shared, 'data'))).toBe(true);
      expect(server.binDir).toBe(
        path.join(shared, `postgres-${os.platform()}-${os.arch()}-test`, 'bin'),
      );
      expect(fs.readFileSync(path.join(checkout, '.data', 'pg.location'), 'utf8')).toContain(
        server.dataDir,
      );
      expect(server.isInitialised()).toBe(false);
      await server.initialise();
      await server.start();
      try {
        expect(await selectOne(port)).toBe('UTF8');
      } finally {
        await server.stop();
      }

      // The same checkout finds the same cluster again.
      const again = new EmbeddedPostgres({
        databaseDir: path.join(checkout, '.data', 'pg'),
        port,
        user: 'ledgerlink',
        password: 'secret',
        nativeDir,
        sharedRoot: shared,
      });
      expect(again.dataDir).toBe(server.dataDir);
      expect(again.isInitialised()).toBe(true);
    },
  );

  it.runIf(isRoot)(
    'copies binaries and relocates data into a shared root it creates under a 077 umask',
    async () => {
      const checkout = privateDir();
      // Not there yet, as /var/lib/ledgerlink on a fresh machine; a hardened umask cuts mkdir's modes.
      const shared = path.join(sharedRoot(), 'ledgerlink');
      // Binaries installed under that umask: owner-only, so the copy must open them up.
      const nativeDir = installBinaries(checkout, 'umask');
      execFileSync('chmod', ['-R', 'go-rwx', nativeDir]);
      const port = await freePort();
      const previous = process.umask(0o077);
      let server: EmbeddedPostgres;
      try {
        server = new EmbeddedPostgres({
          databaseDir: path.join(checkout, '.data', 'pg'),
          port,
          user: 'ledgerlink',
          password: 'secret',
          nativeDir,
          sharedRoot: shared,
        });
        await server.initialise();
      } finally {
        process.umask(previous);
      }
      expect(server.dataDir.startsWith(path.join(shared, 'data'))).toBe(true);
      await server.start();
      try {
        expect(await selectOne(port)).toBe('UTF8');
      } finally {
        await server.stop();
      }
    },
  );

  it.runIf(isRoot)('says what to do when it has nowhere reachable to keep its data', () => {
    const checkout = privateDir();
    // A shared root that cannot be made (its parent is a file), as on a read-only /var/lib.
    const blocker = path.join(sharedRoot(), 'not-a-directory');
    fs.writeFileSync(blocker, '');
    const start = () =>
      new EmbeddedPostgres({
        databaseDir: path.join(checkout, '.data', 'pg'),
        port: 1,
        user: 'ledgerlink',
        password: 'secret',
        sharedRoot: path.join(blocker, 'ledgerlink'),
      });
    expect(start).toThrow(EmbeddedPostgresError);
    expect(start).toThrow(
      /no place its "postgres" user can reach.*LEDGERLINK_DATA_DIR.*DATABASE_URL/,
    );
  });

  it('says what to do when its port is taken', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlink-port-'));
    fs.chmodSync(dir, 0o755);
    cleanup.push(dir);
    const holder = net.createServer();
    const port = await new Promise<number>((resolve) =>
      holder.listen(0, '127.0.0.1', () => resolve((holder.address() as net.AddressInfo).port)),
    );
    const server = new EmbeddedPostgres({
      databaseDir: path.join(dir, 'pg'),
      port,
      user: 'ledgerlink',
      password: 'secret',
      flags: ['-c', 'listen_addresses=127.0.0.1'],
      sharedRoot: sharedRoot(),
    });
    try {
      await server.initialise();
      const started = server.start();
      await expect(started).rejects.toBeInstanceOf(EmbeddedPostgresError);
      await expect(started).rejects.toThrow(/port .* in use.*DATABASE_URL/);
    } finally {
      holder.close();
      await server.stop();
    }
  });
});
