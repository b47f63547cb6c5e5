import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import {
  decodeCursor,
  encodeCursor,
  toConnection,
  type ConnectionShape,
} from '../../common/connection.js';
import { isValidDate } from '../../common/scalars.js';
import { Payment } from './payment.entity.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An organization's payments, newest payment date first (keyset paging on payment date and id). */
export async function listPayments(
  em: EntityManager,
  organizationId: string,
  limit: number,
  after: string | null | undefined,
): Promise<ConnectionShape<Payment>> {
  const where = { organization: organizationId, removedAt: null };
  const cursor = decodeCursor(after, 2);
  const qb = em.createQueryBuilder(Payment, 'p').select('*').where(where);
  if (cursor) {
    const [date, id] = cursor;
    if (
      typeof date !== 'string' ||
      !isValidDate(date) ||
      typeof id !== 'string' ||
      !UUID.test(id)
    ) {
      throw new GraphQLError('after is not a valid cursor: pass the endCursor of a previous page', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    qb.andWhere('(p.payment_date, p.id) < (?::date, ?::uuid)', [date, id]);
  }
  const rows = await qb
    .orderBy({ paymentDate: 'desc', id: 'desc' })
    .limit(limit + 1)
    .getResultList();
  return toConnection(
    rows,
    limit,
    (p) => encodeCursor([p.paymentDate, p.id]),
    (p) => p,
    () => em.count(Payment, where),
    !!cursor,
  );
}
