import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor, toConnection, type ConnectionShape } from './connection.js';

/**
 * A page of an organization's rows, newest first: keyset on (created_at, id), so a page after a
 * cursor is as fast as the first and never skips or repeats a row written meanwhile.
 */
export async function newestFirstPage<E extends { id: string; createdAt: Date }, N = E>(
  em: EntityManager,
  entity: EntityName<E>,
  where: FilterQuery<E>,
  limit: number,
  after: string | null | undefined,
  toNode: (row: E) => N = (row) => row as unknown as N,
): Promise<ConnectionShape<N>> {
  const cursor = decodeCursor(after, ['timestamp', 'uuid']);
  const qb = em.createQueryBuilder(entity, 'x').select('*').where(where);
  if (cursor)
    qb.andWhere('(x.created_at, x.id) < (?::timestamptz, ?::uuid)', [cursor[0], cursor[1]]);
  const rows = (await qb
    .orderBy({ createdAt: 'desc', id: 'desc' } as never)
    .limit(limit + 1)
    .getResultList()) as E[];
  return toConnection(
    rows,
    limit,
    (row) => encodeCursor([row.createdAt.toISOString(), row.id]),
    toNode,
    () => em.count(entity, where),
    !!cursor,
  );
}
