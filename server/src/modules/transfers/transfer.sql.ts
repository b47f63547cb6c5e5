/**
 * The transfer engine's raw SQL: the rows its statements read and write, and the helpers that
 * run them in the caller's transaction. Set-based statements, not ORM entities: a job moves a
 * hundred transfers and their documents at once.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { InvoicePostingLine } from '../../accounting/accounting-system.js';
import type { TransferRequester } from './transfer.history.js';
import type {
  TransferErrorDetail,
  TransferKind,
  TransferStatus,
  TransferTrigger,
} from './transfer.enums.js';

/** A transfer as the claim returns it: the row, the state it was claimed from, its document. */
export interface ClaimedRow {
  id: string;
  organization_id: string;
  kind: TransferKind;
  document_type: 'INVOICE' | 'PAYMENT';
  /** The invoice, or the payment's invoice. */
  invoice_id: string;
  payment_id: string | null;
  document_version: number;
  reverses_entry_id: string | null;
  batch_id: string | null;
  attempts: number;
  trigger: TransferTrigger;
  requested_by_user_id: string | null;
  requested_by_api_client_id: string | null;
  previous_status: TransferStatus;
  /** Look-ups of this in-doubt transfer that failed in a row (0 unless previous_status is IN_DOUBT). */
  lookup_failures: number;
  // document data
  supplier_account_name: string;
  supplier_name: string;
  invoice_number: string;
  /** The invoice's kind (a payment's: that of the invoice it pays or refunds). */
  document_kind: 'INVOICE' | 'CREDIT_NOTE';
  bill_date: string;
  currency: string;
  gross_amount: string;
  payment_amount: string | null;
  payment_date: string | null;
  payment_document_number: number | null;
  payment_fiscal_year: number | null;
  /** The invoice's posting lines (POST and CORRECTION of invoices), read with the claim. */
  lines: InvoicePostingLine[] | null;
  /**
   * Ids of every transfer of the document, read for an in-doubt POST: an entry found by supplier
   * and reference is this document's only when its key is one of them.
   */
  document_transfer_ids: string[] | null;
}

/** The new state of a claimed transfer, as `update transfer … from jsonb_to_recordset` reads it. */
export interface TransferUpdateRow {
  id: string;
  status: TransferStatus;
  errors: TransferErrorDetail[];
  entry_id: string | null;
  posting_date: string | null;
  original_date: string | null;
  next_attempt_at: string | null;
}

/** What the ledger now holds for a document: its entry set, cleared, or kept as it was. */
export type LedgerChange = 'set' | 'clear' | 'keep';

/** The new state of a transfer's document (purchase_invoice or payment row). */
export interface DocumentUpdateRow {
  transfer_id: string;
  invoice_id: string | null;
  payment_id: string | null;
  status: TransferStatus;
  ledger: LedgerChange;
  version: number;
  entry_id: string | null;
}

/** A SENDING transfer the sweeper found orphaned (and marked IN_DOUBT). */
export interface OrphanedRow {
  id: string;
  organization_id: string;
  batch_id: string | null;
  /** Null for a payment's transfer. */
  invoice_id: string | null;
  payment_id: string | null;
  trigger: TransferTrigger;
  requested_by_user_id: string | null;
  requested_by_api_client_id: string | null;
  attempts: number;
  kind: TransferKind;
}

/** The requester columns of a transfer row, for transferActor. */
export function requesterOfRow(row: {
  trigger: TransferTrigger;
  requested_by_user_id: string | null;
  requested_by_api_client_id: string | null;
}): TransferRequester {
  return {
    trigger: row.trigger,
    requestedByUserId: row.requested_by_user_id,
    requestedByApiClientId: row.requested_by_api_client_id,
  };
}

/**
 * Runs a statement in the caller's transaction (or on its own without one) and returns its rows.
 * Parameters go to PostgreSQL as bind parameters (`?` becomes `$n`), not formatted into the text
 * client-side as `Connection.execute` does: the engine's statements carry JSON documents of
 * hundreds of rows, and quoting them into the SQL was a tenth of an export's time.
 */
export async function exec<T>(
  em: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const query = em.getKnex().raw(sql, params as never[]);
  const trx = em.getTransactionContext();
  if (trx) query.transacting(trx);
  const result = (await query) as { rows: T[] };
  return result.rows;
}

/**
 * Locks rows in id order before a set-based UPDATE of them (whose order PostgreSQL does
 * not promise). Exports lock the invoices they take in id order too (FOR UPDATE, ORDER BY id), so
 * an export and a worker recording outcomes of overlapping documents wait for each other instead
 * of deadlocking: with 100 documents per job, a double-clicked export met a recording job often.
 */
export async function lockInIdOrder(
  em: EntityManager,
  table: 'transfer' | 'purchase_invoice' | 'payment',
  ids: string[],
): Promise<void> {
  await exec(
    em,
    `select id from ${table} where id in (select (jsonb_array_elements_text(?::jsonb))::uuid) order by id for no key update`,
    [JSON.stringify(ids)],
  );
}
