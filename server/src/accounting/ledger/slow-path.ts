/**
 * The slow path, one pipeline for every kind of posting: BEGIN + the organization's shared gate;
 * the posting's own check reads (and share-locks) the posting context, checks the request,
 * places it by the period rule and plans the entry; one statement inserts the entry and its
 * lines; COMMIT. Races the checks cannot see end in the database's own refusals, which become
 * the existing entry (same key) or an AccountingRejection with the right code.
 */
import { randomUUID } from 'node:crypto';
import {
  AccountingRejection,
  type EntryInfo,
  type EntryKindName,
  type EntryLineInfo,
  type JournalName,
} from '../accounting-system.js';
import { prepared, type LedgerDb, type PgError, type SqlClient } from './ledger-db.js';
import type { LedgerReads } from './ledger-reads.js';
import type { Placement } from './placement.js';
import { problemFromDbError } from './problems.js';

/** An entry checked, placed and planned: what the slow path inserts. */
export interface NewEntry {
  journal: JournalName;
  kind: EntryKindName;
  reference: string;
  supplierAccountName: string;
  idempotencyKey: string;
  documentDate: string;
  placement: Placement;
  description: string | null;
  currency: string;
  reversesEntryId: string | null;
  lines: EntryLineInfo[];
  total: string;
}

/** What a posting's check decided: the entry to insert, or the one its key already has. */
export type CheckedPosting = NewEntry | { existingId: string };

/** Inserts an entry and all its lines in one statement; the balance trigger checks at COMMIT. */
const INSERT_ENTRY_SQL = prepared(`with e as (
  insert into ledger.entry (id, organization_id, journal, kind, reference, supplier_account_name,
    idempotency_key, document_date, posting_date, period_id, description, currency, total, reverses_entry_id)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
  returning created_at
), l as (
  insert into ledger.entry_line (id, organization_id, entry_id, line_no, account_code, cost_unit_code,
    vat_code, debit, credit, description)
  select gen_random_uuid(), $2, $1, x.line_no, x.account_code, x.cost_unit_code, x.vat_code, x.debit, x.credit, x.description
  from unnest($15::int[], $16::text[], $17::text[], $18::text[], $19::numeric[], $20::numeric[], $21::text[])
    as x(line_no, account_code, cost_unit_code, vat_code, debit, credit, description)
)
select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at from e`);

async function insertEntry(c: SqlClient, organizationId: string, n: NewEntry): Promise<EntryInfo> {
  const id = randomUUID();
  const { rows } = await c.query<{ created_at: string }>(INSERT_ENTRY_SQL, [
    id,
    organizationId,
    n.journal,
    n.kind,
    n.reference,
    n.supplierAccountName,
    n.idempotencyKey,
    n.documentDate,
    n.placement.postingDate,
    n.placement.period.id,
    n.description,
    n.currency,
    n.total,
    n.reversesEntryId,
    n.lines.map((l) => l.lineNo),
    n.lines.map((l) => l.accountCode),
    n.lines.map((l) => l.costUnitCode),
    n.lines.map((l) => l.vatCode),
    n.lines.map((l) => l.debit),
    n.lines.map((l) => l.credit),
    n.lines.map((l) => l.description),
  ]);
  return {
    id,
    journal: n.journal,
    kind: n.kind,
    reference: n.reference,
    supplierAccountName: n.supplierAccountName,
    idempotencyKey: n.idempotencyKey,
    documentDate: n.documentDate,
    postingDate: n.placement.postingDate,
    period: n.placement.period,
    currency: n.currency,
    total: n.total,
    description: n.description,
    reversesEntryId: n.reversesEntryId,
    reversedByEntryId: null,
    createdAt: new Date(rows[0].created_at),
    lines: n.lines,
  };
}

export class SlowPath {
  constructor(
    private readonly db: LedgerDb,
    private readonly reads: LedgerReads,
  ) {}

  /**
   * Posts under the organization's shared gate: `check` (which throws AccountingRejection with
   * every problem) → insert → `afterInsert` in one transaction. A key already used returns its
   * entry, whether `check` found it or a concurrent posting with the key won the race.
   */
  async post(
    organizationId: string,
    idempotencyKey: string,
    check: (c: SqlClient) => Promise<CheckedPosting>,
    afterInsert?: (c: SqlClient, entry: EntryInfo) => Promise<void>,
  ): Promise<EntryInfo> {
    try {
      const outcome = await this.db.transaction(
        async (c): Promise<EntryInfo | { existingId: string }> => {
          const checked = await check(c);
          if ('existingId' in checked) return checked;
          const entry = await insertEntry(c, organizationId, checked);
          await afterInsert?.(c, entry);
          return entry;
        },
        { organizationId, mode: 'shared' },
      );
      // Awaited here, so that a failure of this read is mapped like the posting's own.
      if ('existingId' in outcome)
        return await this.reads.mustGetEntry(organizationId, outcome.existingId);
      return outcome;
    } catch (err) {
      if ((err as PgError)?.code === '23505') {
        const existing = await this.reads.findByIdempotencyKey(organizationId, idempotencyKey);
        if (existing) return existing;
      }
      const p = problemFromDbError(err, ['documentDate']);
      if (p) throw new AccountingRejection([p]);
      throw err;
    }
  }
}
