import type { EntityManager } from '@mikro-orm/postgresql';
import {
  decodeCursor,
  encodeCursor,
  toConnection,
  type ConnectionShape,
} from '../../common/connection.js';
import { AuditEvent } from './audit-event.entity.js';

/** An invoice's history (its own events and those of its payments and transfers), newest first. */
export async function invoiceHistory(
  em: EntityManager,
  organizationId: string,
  invoiceId: string,
  limit: number,
  after: string | null | undefined,
): Promise<ConnectionShape<AuditEvent>> {
  const cursor = decodeCursor(after, ['timestamp', 'uuid']);
  const where: Record<string, unknown> = { organization: organizationId, invoiceId };
  const qb = em.createQueryBuilder(AuditEvent, 'e').select('*').where(where);
  if (cursor) qb.andWhere('(e.at, e.id) < (?::timestamptz, ?::uuid)', [cursor[0], cursor[1]]);
  const rows = await qb
    .orderBy({ at: 'desc', id: 'desc' })
    .limit(limit + 1)
    .getResultList();
  return toConnection(
    rows,
    limit,
    (e) => encodeCursor([e.at.toISOString(), e.id]),
    (e) => e,
    () => em.count(AuditEvent, where),
    !!cursor,
  );
}
