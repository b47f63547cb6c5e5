import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';

/** ORM options for a database URL. No schema sync: the schema is owned by migrations. */
export function ormOptions(url: string, extra: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl: url,
    entities: ENTITIES,
    extensions: [Migrator],
    discovery: { requireEntitiesArray: true },
    forceUtcTimezone: true,
    pool: { min: 0, max: 10 },
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: 'src/migrations',
      pathTs: 'src/migrations',
      migrationsList: MIGRATIONS,
      transactional: true,
      allOrNothing: true,
      snapshot: true,
      snapshotName: '.snapshot-ledgerlink',
      emit: 'ts',
    },
    // graphile-worker owns its schema and migrates it itself.
    schemaGenerator: { managementDbName: 'postgres', ignoreSchema: ['graphile_worker'] },
    ...extra,
  });
}
