/**
 * `pnpm ledgerlink backup` / `restore`: the whole database in pg_dump's custom format, the
 * application's tables, the `ledger` schema and graphile-worker's job queue together, as one
 * consistent snapshot. The queue is included so that transfers queued at backup time still have
 * their jobs after a restore (without it they would wait for nothing).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { findPgTool, installHint, PgToolError, requirePgTool } from './pg-tools.js';

export class BackupError extends Error {}

/** The URL without its password, and the password for PGPASSWORD (not on the command line). */
function connection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return {
    dbname: u.toString(),
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
  };
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const detail = (stderr || err.message).trim().split('\n').slice(-5).join('; ');
        reject(new BackupError(`${path.basename(file)} failed: ${detail}`));
      } else resolve(stdout);
    });
  });
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function serverMajor(client: pg.Client): Promise<number> {
  const { rows } = await client.query(`select current_setting('server_version_num')::int as v`);
  return Math.floor(rows[0].v / 10000);
}

/** `ledgerlink-2026-12-03T13-05-00Z.dump`. */
export function defaultBackupFile(now = new Date()): string {
  return `ledgerlink-${now.toISOString().slice(0, 19).replace(/:/g, '-')}Z.dump`;
}

export interface BackupResult {
  file: string;
  bytes: number;
  tool: string;
}

/** Dumps the database at `url` into `file` (written under a temporary name, then renamed). */
export async function backupDatabase(url: string, file: string): Promise<BackupResult> {
  const major = await withClient(url, serverMajor);
  const pgDump = requirePgTool('pg_dump', major);
  const partial = `${file}.partial`;
  const { dbname, env } = connection(url);
  try {
    await run(
      pgDump.file,
      [
        '--format=custom',
        '--no-owner',
        '--no-privileges',
        `--file=${partial}`,
        `--dbname=${dbname}`,
      ],
      env,
    );
    fs.renameSync(partial, file);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  return { file, bytes: fs.statSync(file).size, tool: `pg_dump ${pgDump.version}` };
}

export interface RestoreResult {
  tables: number;
  tool: string;
}

/** Tables outside PostgreSQL's own schemas. */
async function tableCount(client: pg.Client): Promise<number> {
  const { rows } = await client.query(
    `select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
        and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'`,
  );
  return rows[0].n;
}

/**
 * Restores `file` into the database at `url`, in one transaction. Refuses while other sessions
 * use the database (stop the API and workers first) and, unless `force`, when it has tables.
 * With `force` every schema in it is dropped first.
 */
export async function restoreDatabase(
  url: string,
  file: string,
  opts: { force?: boolean } = {},
): Promise<RestoreResult> {
  if (!fs.existsSync(file)) throw new BackupError(`no backup file at ${file}`);
  const pgRestore = findPgTool('pg_restore');
  const { dbname, env } = connection(url);
  await withClient(url, async (client) => {
    if (!pgRestore)
      throw new PgToolError(`pg_restore not found: ${installHint(await serverMajor(client))}`);
    // Reads the archive's table of contents: a file that is not a pg_dump archive stops here.
    await run(pgRestore.file, ['--list', file], env);
    const { rows } = await client.query(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
    );
    if (rows[0].n > 0) {
      throw new BackupError(
        `${rows[0].n} other session(s) are connected to database "${client.database}": stop Ledgerlink (API and workers) before restoring`,
      );
    }
    const tables = await tableCount(client);
    if (tables > 0 && !opts.force) {
      throw new BackupError(
        `database "${client.database}" is not empty (${tables} tables): restore replaces everything in it; run it again with --force to do so (back it up first)`,
      );
    }
    if (tables > 0) {
      const { rows: schemas } = await client.query<{ nspname: string }>(
        `select nspname from pg_namespace
          where nspname not in ('pg_catalog', 'information_schema') and nspname not like 'pg\\_%'`,
      );
      await client.query('begin');
      for (const { nspname } of schemas) await client.query(`drop schema "${nspname}" cascade`);
      await client.query('create schema public');
      await client.query('commit');
    }
  });
  await run(
    pgRestore!.file,
    [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      `--dbname=${dbname}`,
      file,
    ],
    env,
  );
  return withClient(url, async (client) => {
    // Jobs that a worker held at backup time: that worker is gone, so they are free again.
    const { rows } = await client.query(`select to_regclass('graphile_worker._private_jobs') as t`);
    if (rows[0].t)
      await client.query(
        `select graphile_worker.force_unlock_workers(array(
         select distinct locked_by from graphile_worker._private_jobs where locked_by is not null
         union select distinct locked_by from graphile_worker._private_job_queues where locked_by is not null))`,
      );
    return { tables: await tableCount(client), tool: `pg_restore ${pgRestore!.version}` };
  });
}
