import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { EmbeddedPostgres } from './embedded-postgres.js';

export interface DatabaseHandle {
  url: string;
  /** Stops the embedded server, if this process started one. */
  stop(): Promise<void>;
}

const EMBEDDED_USER = 'ledgerlink';
const EMBEDDED_PASSWORD = 'ledgerlink';

/**
 * Returns the database to use: `DATABASE_URL` when set, otherwise an embedded PostgreSQL whose
 * data lives under `dataDir/pg` and survives restarts.
 */
export async function openDatabase(opts: {
  databaseUrl?: string;
  dataDir: string;
  port: number;
  database?: string;
  log: Logger;
}): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    return { url: opts.databaseUrl, stop: async () => {} };
  }
  const database = opts.database ?? 'ledgerlink';
  const server = new EmbeddedPostgres({
    databaseDir: path.join(opts.dataDir, 'pg'),
    port: opts.port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    flags: ['-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (m) => opts.log.debug({ pg: m.trim() }, 'embedded postgres'),
  });
  if (server.dataDir !== path.resolve(opts.dataDir, 'pg')) {
    opts.log.info(
      { dataDir: server.dataDir },
      'embedded PostgreSQL data kept where its "postgres" user can reach it',
    );
  }
  if (!server.isInitialised()) await server.initialise();
  const url = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${opts.port}/${database}`;
  if (runningPostmaster(server.dataDir, opts.log)) {
    // Another Ledgerlink process (e.g. `pnpm start` beside `pnpm ledgerlink worker`) runs it.
    opts.log.info(
      { dataDir: server.dataDir },
      'using the embedded PostgreSQL another process started',
    );
    await createDatabaseIfMissing(url, database);
    return { url, stop: async () => {} };
  }
  await server.start();
  await createDatabaseIfMissing(url, database);
  return { url, stop: () => server.stop() };
}

/**
 * True when the data directory's postmaster is alive. A postmaster.pid left by a killed
 * process would block start, so it is removed when its process is gone.
 */
function runningPostmaster(databaseDir: string, log: Logger): boolean {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return false;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    log.warn({ pid }, 'removing stale postmaster.pid of a process that is gone');
    fs.rmSync(pidFile);
    return false;
  }
}

export async function createDatabaseIfMissing(url: string, database: string) {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}
