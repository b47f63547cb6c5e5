import { MikroORM } from '@mikro-orm/postgresql';
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

/** Applies pending migrations; returns their names. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  await orm.em.getConnection().execute('create schema if not exists ledger');
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}

/** True when every committed migration has been applied. */
export async function migrationsCurrent(orm: MikroORM): Promise<boolean> {
  return (await orm.getMigrator().getPendingMigrations()).length === 0;
}
