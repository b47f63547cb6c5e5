/**
 * The transfer state of documents (purchase_invoice and payment rows: transfer_status,
 * last_transfer_id, ledger_version, ledger_entry_id), written set-based by the transfer engine.
 * These two functions are the only places the engine changes it: queueing (markDocumentsQueued)
 * and recording an outcome (recordDocumentOutcomes). Anything that must follow a document's
 * transfer state (e.g. per-organization tab counters) hooks in here.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { DocumentType } from './transfer.enums.js';
import { exec, lockInIdOrder, type DocumentUpdateRow } from './transfer.sql.js';

const TABLE = {
  [DocumentType.INVOICE]: 'purchase_invoice',
  [DocumentType.PAYMENT]: 'payment',
} as const;

/** Documents just queued (locked FOR UPDATE by the caller): QUEUED, with their new transfer. */
export async function markDocumentsQueued(
  em: EntityManager,
  documentType: DocumentType,
  queued: { documentId: string; transferId: string }[],
): Promise<void> {
  if (!queued.length) return;
  await exec(
    em,
    `update ${TABLE[documentType]} d set transfer_status = 'QUEUED', last_transfer_id = q.transfer_id, updated_at = now()
       from jsonb_to_recordset(?::jsonb) as q(document_id uuid, transfer_id uuid)
      where d.id = q.document_id`,
    [JSON.stringify(queued.map((q) => ({ document_id: q.documentId, transfer_id: q.transferId })))],
  );
}

/**
 * The outcome of transfers on their documents: the transfer status (when the transfer is still
 * the document's last one) and what the ledger now holds (entry set, cleared or kept). Rows are
 * locked in id order first, as exports lock them, so the two wait for each other instead of
 * deadlocking.
 */
export async function recordDocumentOutcomes(
  em: EntityManager,
  documentUpdates: DocumentUpdateRow[],
): Promise<void> {
  const docsJson = JSON.stringify(documentUpdates);
  for (const table of ['purchase_invoice', 'payment'] as const) {
    const key = table === 'payment' ? 'payment_id' : 'invoice_id';
    const ids = documentUpdates.map((d) => d[key]).filter((id): id is string => !!id);
    if (!ids.length) continue;
    await lockInIdOrder(em, table, ids);
    await exec(
      em,
      `update ${table} d set
         transfer_status = case when d.last_transfer_id = u.transfer_id then u.status else d.transfer_status end,
         ledger_version = case u.ledger when 'set' then u.version when 'clear' then null else d.ledger_version end,
         ledger_entry_id = case u.ledger when 'set' then u.entry_id when 'clear' then null else d.ledger_entry_id end,
         updated_at = now()
       from jsonb_to_recordset(?::jsonb) as u(transfer_id uuid, invoice_id uuid, payment_id uuid, status text, ledger text, version int, entry_id uuid)
       where d.id = u.${key}`,
      [docsJson],
    );
  }
}
