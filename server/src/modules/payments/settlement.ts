/**
 * How much of a purchase document is settled and how much is open: the one place the open
 * amount is computed. gross = paid + offset + open, each with the document's sign — an invoice's
 * are positive; a credit note's are negative (a refund is a negative payment, its credit used by
 * offsets is a negative offset). An offset counts while both of its documents stand: removing
 * either one releases it.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Decimal } from '../../common/money.js';
import type { PurchaseInvoice } from '../invoices/invoice.entity.js';

export interface Settlement {
  /** Sum of the document's payments (refunds of a credit note are negative). */
  paid: Decimal;
  /** Offsets: positive on an invoice (credit set against it), negative on a credit note. */
  offset: Decimal;
  /** gross − paid − offset: still to pay (invoice) or still to receive or use (credit note, ≤ 0). */
  open: Decimal;
}

/**
 * The settled parts of the document aliased `d` (a purchase_invoice row), as SQL expressions:
 * every open amount (one document's, a supplier's) is read through these, so they agree.
 */
const PAID_SQL = (d: string) => `(select coalesce(sum(p.amount), 0) from payment p
  where p.organization_id = ${d}.organization_id and p.invoice_id = ${d}.id and p.removed_at is null)`;
const OFFSET_SQL = (d: string) => `((select coalesce(sum(o.amount), 0) from credit_offset o
    join purchase_invoice c on c.id = o.credit_note_id and c.removed_at is null
   where o.organization_id = ${d}.organization_id and o.invoice_id = ${d}.id and o.removed_at is null)
 - (select coalesce(sum(o.amount), 0) from credit_offset o
    join purchase_invoice i on i.id = o.invoice_id and i.removed_at is null
   where o.organization_id = ${d}.organization_id and o.credit_note_id = ${d}.id and o.removed_at is null))`;

export async function settlementOf(
  em: EntityManager,
  doc: Pick<PurchaseInvoice, 'id' | 'organization'>,
): Promise<Settlement> {
  const [row] = await em.execute<SettlementRow[]>(
    `select d.id, d.gross_amount::text as gross, ${PAID_SQL('d')}::text as paid, ${OFFSET_SQL('d')}::text as offset
       from purchase_invoice d where d.organization_id = ? and d.id = ?`,
    [doc.organization.id, doc.id],
  );
  return settlementFrom(row);
}

/**
 * The settlements of many documents in one statement (a list page's dataloader), each computed
 * exactly as settlementOf does. Keys are `${organizationId}:${documentId}`: a document of another
 * organization is simply not found.
 */
export async function settlementsOf(
  em: EntityManager,
  keys: readonly string[],
): Promise<(Settlement | null)[]> {
  if (keys.length === 0) return [];
  const pairs = keys.map((k) => k.split(':'));
  const rows = await em.execute<(SettlementRow & { organization_id: string })[]>(
    `select d.id, d.organization_id, d.gross_amount::text as gross, ${PAID_SQL('d')}::text as paid, ${OFFSET_SQL('d')}::text as offset
       from purchase_invoice d where (d.organization_id, d.id) in (${pairs.map(() => '(?, ?)').join(', ')})`,
    pairs.flat(),
  );
  const byKey = new Map(rows.map((r) => [`${r.organization_id}:${r.id}`, settlementFrom(r)]));
  return keys.map((k) => byKey.get(k) ?? null);
}

interface SettlementRow {
  id: string;
  gross: string;
  paid: string;
  offset: string;
}

function settlementFrom(row: SettlementRow): Settlement {
  const paid = new Decimal(row.paid);
  const offset = new Decimal(row.offset);
  return { paid, offset, open: new Decimal(row.gross).minus(paid).minus(offset) };
}

/**
 * A supplier's open balance: the sum of the open amounts of its posted, not rejected, not removed
 * documents — what the organization still owes it, negative when its credit notes outweigh its
 * invoices. An offset between two of them moves open amount from one to the other and leaves the
 * balance as it was.
 */
export async function supplierOpenAmount(em: EntityManager, supplierId: string): Promise<Decimal> {
  const [row] = await em.execute<{ open: string }[]>(
    `select coalesce(sum(d.gross_amount - ${PAID_SQL('d')} - ${OFFSET_SQL('d')}), 0)::text as open
       from purchase_invoice d
      where d.organization_id = (select s.organization_id from supplier s where s.id = ?)
        and d.supplier_id = ? and d.posted and d.removed_at is null
        and d.status not in ('REJECTED', 'REMOVED')`,
    [supplierId, supplierId],
  );
  return new Decimal(row.open);
}
