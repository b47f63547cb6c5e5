import type { EntityManager } from '@mikro-orm/postgresql';
import {
  decodeCursor,
  encodeCursor,
  toConnection,
  type ConnectionShape,
} from '../../common/connection.js';
import { BankEntryMatchState, BankStatement, BankStatementEntry } from './bank-statement.entity.js';
import { newestFirstPage } from '../../common/newest-first.js';

/** An organization's statements, latest import first (optionally of one account). */
export async function listBankStatements(
  em: EntityManager,
  organizationId: string,
  accountId: string | null,
  limit: number,
  after: string | null | undefined,
): Promise<ConnectionShape<BankStatement>> {
  const where = { organization: organizationId, ...(accountId ? { account: accountId } : {}) };
  return newestFirstPage(em, BankStatement, where, limit, after);
}

/** A statement's entries in file order. */
export async function listStatementEntries(
  em: EntityManager,
  statement: BankStatement,
  limit: number,
  after: string | null | undefined,
): Promise<ConnectionShape<BankStatementEntry>> {
  const where = { organization: statement.organization.id, statement: statement.id };
  const cursor = decodeCursor(after, ['numeric']);
  const position = cursor ? Number(cursor[0]) : -1;
  const rows = await em.find(
    BankStatementEntry,
    { ...where, position: { $gt: position } },
    { orderBy: { position: 'asc' }, limit: limit + 1 },
  );
  return toConnection(
    rows,
    limit,
    (e) => encodeCursor([String(e.position)]),
    (e) => e,
    () => em.count(BankStatementEntry, where),
    !!cursor,
  );
}

/** Entries waiting for an accountant, oldest booking first. */
export async function listEntryQueue(
  em: EntityManager,
  organizationId: string,
  limit: number,
  after: string | null | undefined,
): Promise<ConnectionShape<BankStatementEntry>> {
  const where = { organization: organizationId, matchState: BankEntryMatchState.QUEUED };
  const cursor = decodeCursor(after, ['timestamp', 'uuid']);
  const qb = em.createQueryBuilder(BankStatementEntry, 'e').select('*').where(where);
  if (cursor)
    qb.andWhere('(e.created_at, e.id) > (?::timestamptz, ?::uuid)', [cursor[0], cursor[1]]);
  const rows = await qb
    .orderBy({ createdAt: 'asc', id: 'asc' })
    .limit(limit + 1)
    .getResultList();
  return toConnection(
    rows,
    limit,
    (e) => encodeCursor([e.createdAt.toISOString(), e.id]),
    (e) => e,
    () => em.count(BankStatementEntry, where),
    !!cursor,
  );
}
