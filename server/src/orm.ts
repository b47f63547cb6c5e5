import { MikroORM } from '@mikro-orm/postgresql';
import { Logger as WorkerLogger, runMigrations as runWorkerMigrations } from 'graphile-worker';
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

/** Applies pending migrations (ours, then graphile-worker's); returns the names of ours applied. */
export async function migrate(orm: MikroORM, log?: Logger): Promise<string[]> {
  await orm.em.getConnection().execute('create schema if not exists ledger');
  const applied = await orm.getMigrator().up();
  // graphile-worker's own schema, needed before the first add_job.
  await runWorkerMigrations({
    connectionString: orm.config.get('clientUrl'),
    logger: workerLogger(log),
  });
  return applied.map((m) => m.name);
}

/** True when every committed migration has been applied. */
export async function migrationsCurrent(orm: MikroORM): Promise<boolean> {
  return (await orm.getMigrator().getPendingMigrations()).length === 0;
}
