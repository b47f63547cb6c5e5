import { MikroORM } from '@mikro-orm/postgresql';
import { Logger as WorkerLogger, runMigrations as runWorkerMigrations } from 'graphile-worker';
import pg from 'pg';
import type { Logger } from 'pino';
import { ormOptions } from './mikro-orm.config.js';

export async function initOrm(url: string, log?: Logger, poolMax = 10): Promise<MikroORM> {
  return MikroORM.init(
    ormOptions(url, {
      pool: { min: 0, max: poolMax },
      logger: (message) => log?.debug({ orm: message }, 'orm'),
      debug: !!log?.isLevelEnabled('trace'),
    }),
  );
}

/** graphile-worker logs through pino when given one, and only its errors otherwise. */
export function workerLogger(log?: Logger): WorkerLogger {
  return new WorkerLogger(() => (level, message, meta) => {
    if (log)
      log[level === 'warning' ? 'warn' : level === 'error' ? 'error' : 'debug'](
        { worker: meta },
        message,
      );
    else if (level === 'error') console.error(`[graphile-worker] ${message}`);
  });
}

/**
 * Session advisory lock held while migrating. Neither MikroORM's migrator nor graphile-worker's
 * takes a lock: two processes starting together on a new database (API replicas and a worker)
 * would both run the same DDL, and one would fail. With it the second waits, then finds nothing
 * pending.
 */
const MIGRATION_LOCK = 0x4c4c_4d47; // "LLMG"

/** Applies pending migrations (ours, then graphile-worker's); returns the names of ours applied. */
export async function migrate(orm: MikroORM, log?: Logger): Promise<string[]> {
  const connectionString = orm.config.get('clientUrl');
  const lock = new pg.Client({ connectionString });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await orm.em.getConnection().execute('create schema if not exists ledger');
    const applied = await orm.getMigrator().up();
    // graphile-worker's own schema, needed before the first add_job.
    await runWorkerMigrations({ connectionString, logger: workerLogger(log) });
    return applied.map((m) => m.name);
  } finally {
    // Ending the session releases the lock, also when a migration failed.
    await lock.end().catch(() => {});
  }
}

/** True when every committed migration has been applied. */
export async function migrationsCurrent(orm: MikroORM): Promise<boolean> {
  return (await orm.getMigrator().getPendingMigrations()).length === 0;
}
