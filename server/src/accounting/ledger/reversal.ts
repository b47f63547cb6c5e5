/** Reversals: the mirror entry of a live entry, booked by the period rule, marking it reversed. */
import { AccountingRejection, type EntryInfo, type ReversalRequest } from '../accounting-system.js';
import { isIsoDate } from './dates.js';
import { mirrorLines } from './entry-lines.js';
import type { SqlClient } from './ledger-db.js';
import { LINES_SQL, isUuid, toLine, type EntryRow, type LineRow } from './ledger-rows.js';
import { placeDocument } from './placement.js';
import { loadPostingContext } from './posting-context.js';
import { problem } from './problems.js';
import { checkReversalShape } from './request-checks.js';
import type { SlowPath } from './slow-path.js';

type OriginalRow = Pick<
  EntryRow,
  | 'id'
  | 'journal'
  | 'kind'
  | 'reference'
  | 'supplier_account_name'
  | 'currency'
  | 'total'
  | 'reversed_by_entry_id'
>;

/** The entry to reverse, locked: a concurrent reversal of it waits, then sees the result. */
async function lockOriginal(
  c: SqlClient,
  organizationId: string,
  entryId: unknown,
): Promise<OriginalRow | undefined> {
  if (!isUuid(entryId)) return undefined;
  const { rows } = await c.query<OriginalRow>(
    `select e.id, e.journal, e.kind, e.reference, e.supplier_account_name, e.currency,
       e.total::text as total, e.reversed_by_entry_id
     from ledger.entry e where e.organization_id = $1 and e.id = $2 for update`,
    [organizationId, entryId],
  );
  return rows[0];
}

export class Reversal {
  constructor(private readonly slow: SlowPath) {}

  async reverse(organizationId: string, r: ReversalRequest): Promise<EntryInfo> {
    const shape = checkReversalShape(organizationId, r);
    if (shape.fatal) throw new AccountingRejection(shape.problems);
    return this.slow.post(
      organizationId,
      r.idempotencyKey,
      async (c) => {
        const original = await lockOriginal(c, organizationId, r.entryId);
        const ctx = await loadPostingContext(
          c,
          organizationId,
          {
            documentDate: isIsoDate(r.documentDate) ? r.documentDate : null,
            accountCodes: [],
            costUnitCodes: [],
            vatCodes: [],
            supplierAccountName: original?.supplier_account_name ?? '',
            idempotencyKey: r.idempotencyKey,
            reference: original?.reference ?? '',
            kind: 'REVERSAL',
          },
          true,
        );
        if (ctx.existing_id) return { existingId: ctx.existing_id };
        if (!original)
          throw new AccountingRejection([
            problem('ENTRY_NOT_FOUND', `ledger entry ${r.entryId} not found`, ['entryId']),
          ]);
        const problems = [...shape.problems];
        if (original.reversed_by_entry_id) {
          problems.push(
            problem(
              'VALIDATION',
              `entry ${original.id} is already reversed by entry ${original.reversed_by_entry_id}`,
              ['entryId'],
            ),
          );
        } else if (original.kind === 'REVERSAL') {
          problems.push(
            problem(
              'VALIDATION',
              `entry ${original.id} is itself a reversal and cannot be reversed`,
              ['entryId'],
            ),
          );
        }
        const placement = await placeDocument(c, organizationId, ctx, r, true, problems);
        if (problems.length > 0 || !placement) throw new AccountingRejection(problems);
        const lines = await c.query<LineRow>(LINES_SQL, [organizationId, [original.id]]);
        return {
          journal: original.journal,
          kind: 'REVERSAL',
          reference: original.reference,
          supplierAccountName: original.supplier_account_name,
          idempotencyKey: r.idempotencyKey,
          documentDate: r.documentDate,
          placement,
          description: r.description ?? null,
          currency: original.currency,
          reversesEntryId: original.id,
          lines: mirrorLines(lines.rows.map(toLine)),
          total: original.total,
        };
      },
      // The original is marked reversed in the same transaction.
      async (c, reversal) => {
        await c.query(
          `update ledger.entry set reversed_by_entry_id = $3 where organization_id = $1 and id = $2`,
          [organizationId, reversal.reversesEntryId, reversal.id],
        );
      },
    );
  }
}
