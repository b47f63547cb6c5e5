/**
 * Recording what came of a claim, in one transaction: the transfers' new status, their documents,
 * history, the next attempts, finished batches and their reports, change notifications, and the
 * payments that were waiting for an invoice to reach the ledger. Only the holder of the claim
 * token records: a transfer the sweeper (or another worker) took over meanwhile is left alone.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { queuePaymentsAwaitingInvoices } from './transfer.automation.js';
import type { ClaimedTransfer } from './transfer.claim.js';
import { sqlLiveStatus, TransferKind, TransferStatus } from './transfer.enums.js';
import { insertAuditRows, transferEvent, type AuditRow } from './transfer.history.js';
import { recordDocumentOutcomes } from './transfer.document-state.js';
import { enqueueTransfers, notifyTransfersChanged } from './transfer.jobs.js';
import type { Outcome } from './transfer.send.js';
import {
  exec,
  lockInIdOrder,
  requesterOfRow,
  type DocumentUpdateRow,
  type LedgerChange,
  type TransferUpdateRow,
} from './transfer.sql.js';
import { observeTransfersRecorded, type RecordedTransfer } from '../../metrics/registry.js';

export interface RecordOptions {
  /** Sends before a transient failure becomes FAILED / TRANSIENT_EXHAUSTED. */
  maxAttempts: number;
  retryBaseMs: number;
  retryCapMs: number;
  /** Delay before an IN_DOUBT transfer is reconciled. */
  reconcileDelayMs: number;
}

/** A claimed transfer with its outcome and the new state that outcome gives it. */
interface Settled {
  row: ClaimedTransfer;
  outcome: Outcome;
  update: TransferUpdateRow;
}

/** Writes every outcome of a claim in one transaction. */
export async function recordOutcomes(
  orm: MikroORM,
  rows: ClaimedTransfer[],
  outcomes: Outcome[],
  claimToken: string,
  opts: RecordOptions,
): Promise<void> {
  const now = Date.now();
  const updates = rows.map((row, i) => transferUpdate(row, outcomes[i], now, opts));
  let recorded: (RecordedTransfer & { id: string })[] = [];
  await orm.em.fork().transactional(async (em) => {
    recorded = await finishTransfers(em, updates, claimToken);
    const mine = new Set(recorded.map((r) => r.id));
    const done = rows
      .map((row, i): Settled => ({ row, outcome: outcomes[i], update: updates[i] }))
      .filter((d) => mine.has(d.row.id));
    if (!done.length) return;
    await updateDocuments(em, done);
    await insertAuditRows(em, done.map(outcomeEvent));
    await scheduleNextAttempts(em, done);
    await notifyTransfersChanged(
      em,
      done.map((d) => ({
        organizationId: d.row.organization_id,
        transferId: d.row.id,
        batchId: d.row.batch_id,
      })),
    );
    // Payments recorded before their invoice reached the ledger were waiting for this.
    await queuePaymentsAwaitingInvoices(
      em,
      done
        .filter(
          (d) =>
            d.update.status === TransferStatus.TRANSFERRED &&
            d.row.document_type === 'INVOICE' &&
            d.row.kind !== TransferKind.REVERSAL,
        )
        .map((d) => ({
          organizationId: d.row.organization_id,
          invoiceId: d.row.invoice_id,
          requestedByUserId: d.row.requested_by_user_id,
        })),
    );
    // Last before the commit: it locks the batch rows, and every job of a batch waits for that
    // lock until the holder commits, so the less that follows it the less those jobs queue.
    await completeBatches(em, [
      ...new Set(done.map((d) => d.row.batch_id).filter((b): b is string => !!b)),
    ]);
  });
  // Observed once committed, so an attempt that rolled back is never counted.
  observeTransfersRecorded(recorded);
}

/** "Equal jitter" exponential backoff before the next attempt. */
function retryDelay(attempts: number, opts: RecordOptions): number {
  const exp = Math.min(opts.retryCapMs, opts.retryBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

/** The state an outcome gives its transfer. */
function transferUpdate(
  row: ClaimedTransfer,
  o: Outcome,
  now: number,
  opts: RecordOptions,
): TransferUpdateRow {
  const unsettled = { entry_id: null, posting_date: null, original_date: null };
  switch (o.kind) {
    case 'transferred':
      return {
        id: row.id,
        status: TransferStatus.TRANSFERRED,
        errors: [],
        entry_id: o.entry.id,
        posting_date: o.entry.postingDate,
        original_date: o.entry.documentDate,
        next_attempt_at: null,
      };
    case 'failed':
      return {
        id: row.id,
        status: TransferStatus.FAILED,
        errors: o.errors,
        ...unsettled,
        next_attempt_at: null,
      };
    case 'retry': {
      const exhausted = row.attempts >= opts.maxAttempts;
      return {
        id: row.id,
        status: exhausted ? TransferStatus.FAILED : TransferStatus.RETRYING,
        errors: [
          exhausted
            ? {
                code: 'TRANSIENT_EXHAUSTED',
                message: `The accounting system could not be reached after ${row.attempts} attempts: ${o.message}`,
              }
            : { code: 'TRANSIENT', message: o.message },
        ],
        ...unsettled,
        next_attempt_at: exhausted
          ? null
          : new Date(now + retryDelay(row.attempts, opts)).toISOString(),
      };
    }
    case 'in_doubt': {
      if (!o.lookupFailed)
        return {
          id: row.id,
          status: TransferStatus.IN_DOUBT,
          errors: [
            {
              code: 'IN_DOUBT',
              message: `Sent, outcome unknown (${o.message}); checking the ledger before anything is sent again`,
            },
          ],
          ...unsettled,
          next_attempt_at: new Date(now + opts.reconcileDelayMs).toISOString(),
        };
      // Not counted against maxAttempts: nothing was sent, and giving up would declare FAILED a
      // transfer that may be in the ledger. It is looked up again, less and less often.
      const lookupFailures = row.lookup_failures + 1;
      const delay = retryDelay(lookupFailures, opts);
      return {
        id: row.id,
        status: TransferStatus.IN_DOUBT,
        errors: [
          {
            code: 'IN_DOUBT_LOOKUP_FAILED',
            message: `Sent, outcome unknown; the ledger could not be checked (${lookupFailures} failed look-up${lookupFailures === 1 ? '' : 's'}, last: ${o.message}); checking again before anything is sent`,
            lookupFailures,
          },
        ],
        ...unsettled,
        next_attempt_at: new Date(now + delay).toISOString(),
      };
    }
  }
}

/**
 * Gives the claimed transfers their new status: the one statement where a claimed transfer
 * reaches TRANSFERRED, FAILED, RETRYING or IN_DOUBT. Only rows still SENDING under this claim
 * are written; the ids of those are returned. A transfer the sweeper took over meanwhile (we
 * were too slow) is left to the reconciler, even when another worker has claimed it again
 * since: only our claim's outcome is ours.
 */
async function finishTransfers(
  em: EntityManager,
  updates: TransferUpdateRow[],
  claimToken: string,
): Promise<(RecordedTransfer & { id: string })[]> {
  await lockInIdOrder(
    em,
    'transfer',
    updates.map((u) => u.id),
  );
  return exec<RecordedTransfer & { id: string }>(
    em,
    `update transfer t set status = u.status, errors = u.errors, ledger_entry_id = u.entry_id,
            posting_date = coalesce(u.posting_date, t.posting_date), original_date = coalesce(u.original_date, t.original_date),
            next_attempt_at = u.next_attempt_at, heartbeat_at = null, claim_token = null, updated_at = now(),
            finished_at = case when u.status in ('TRANSFERRED', 'FAILED') then now() else null end
       from jsonb_to_recordset(?::jsonb) as u(id uuid, status text, errors jsonb, entry_id uuid, posting_date date,
            original_date date, next_attempt_at timestamptz)
      where t.id = u.id and t.status = 'SENDING' and t.claim_token = ?::uuid
      returning t.id, t.status, t.kind,
                extract(epoch from t.finished_at - t.created_at)::float8 as queued_to_final_seconds`,
    [JSON.stringify(updates), claimToken],
  );
}

/** What the ledger now holds for the transfer's document. */
function ledgerChange({ row, outcome, update }: Settled): LedgerChange {
  if (outcome.kind === 'transferred') return row.kind === TransferKind.REVERSAL ? 'clear' : 'set';
  if (outcome.kind === 'failed' && outcome.reversedOriginal) return 'clear';
  // A correction whose retries ran out after its reversal: the old entry is reversed too.
  if (
    outcome.kind === 'retry' &&
    outcome.reversedOriginal &&
    update.status === TransferStatus.FAILED
  )
    return 'clear';
  return 'keep';
}

/** The documents' transfer status (when this is still their last transfer) and ledger entry. */
async function updateDocuments(em: EntityManager, done: Settled[]): Promise<void> {
  await recordDocumentOutcomes(
    em,
    done.map((d): DocumentUpdateRow => ({
      transfer_id: d.row.id,
      invoice_id: d.row.document_type === 'INVOICE' ? d.row.invoice_id : null,
      payment_id: d.row.payment_id,
      status: d.update.status,
      ledger: ledgerChange(d),
      version: d.row.document_version,
      entry_id: d.outcome.kind === 'transferred' ? d.outcome.entry.id : null,
    })),
  );
}

/** The history event of an outcome: transferred, reconciled, failed, retrying or in doubt. */
function outcomeEvent({ row, outcome, update }: Settled): AuditRow {
  let action: string;
  let details: Record<string, unknown> = {
    transferId: row.id,
    kind: row.kind,
    attempt: row.attempts,
    paymentId: row.payment_id,
  };
  switch (outcome.kind) {
    case 'transferred':
      action = outcome.how === 'sent' ? 'transfer.transferred' : 'transfer.reconciled';
      details = {
        ...details,
        entryId: outcome.entry.id,
        journal: outcome.entry.journal,
        reference: outcome.entry.reference,
        accountName: outcome.entry.supplierAccountName,
        period: outcome.entry.period.name,
        originalDate: outcome.entry.documentDate,
        postingDate: outcome.entry.postingDate,
        shifted: outcome.entry.documentDate !== outcome.entry.postingDate,
        ...(outcome.how !== 'sent'
          ? { foundBy: outcome.how === 'key' ? 'idempotency key' : 'supplier and reference' }
          : {}),
      };
      break;
    case 'failed':
      action = 'transfer.failed';
      details = { ...details, errors: update.errors, reversedOriginal: outcome.reversedOriginal };
      break;
    case 'retry':
      action = update.status === TransferStatus.FAILED ? 'transfer.failed' : 'transfer.retrying';
      details = { ...details, errors: update.errors, nextAttemptAt: update.next_attempt_at };
      break;
    case 'in_doubt':
      action = 'transfer.in_doubt';
      details = {
        ...details,
        reason: outcome.message,
        ...(outcome.lookupFailed
          ? { lookupFailed: true, errors: update.errors, nextAttemptAt: update.next_attempt_at }
          : {}),
      };
      break;
  }
  return transferEvent({
    organizationId: row.organization_id,
    transferId: row.id,
    invoiceId: row.invoice_id,
    requester: requesterOfRow(row),
    action,
    details,
  });
}

/** Jobs for the next attempt of transfers that are retrying or to be reconciled. */
async function scheduleNextAttempts(em: EntityManager, done: Settled[]): Promise<void> {
  const again = done.filter(
    (d) =>
      d.update.status === TransferStatus.RETRYING || d.update.status === TransferStatus.IN_DOUBT,
  );
  for (const d of again)
    await enqueueTransfers(em, [d.row.id], new Date(d.update.next_attempt_at!));
}

/** Marks batches with nothing left in flight DONE, and writes a report for those with failures. */
async function completeBatches(em: EntityManager, batchIds: string[]): Promise<void> {
  if (!batchIds.length) return;
  // Two workers finishing a batch's last transfers at once would each still see the other's as
  // live and neither would complete it: the batch row lock orders them, and the second one's
  // check below (a new snapshot) sees the first one's transfers final.
  await exec(
    em,
    `select id from transfer_batch where id in (select (jsonb_array_elements_text(?::jsonb))::uuid) order by id for update`,
    [JSON.stringify(batchIds)],
  );
  await exec(
    em,
    `with done as (
       update transfer_batch b set status = 'DONE', finished_at = now(), updated_at = now()
        where b.id in (select (jsonb_array_elements_text(?::jsonb))::uuid) and b.status = 'RUNNING'
          and not exists (select 1 from transfer t where t.batch_id = b.id and ${sqlLiveStatus('t.status')})
       returning b.id, b.organization_id, b.trigger, b.total)
     insert into transfer_report (id, organization_id, created_at, updated_at, batch_id, trigger, total, not_transferred, items)
     select gen_random_uuid(), d.organization_id, now(), now(), d.id, d.trigger, d.total,
            count(*) filter (where t.status <> 'TRANSFERRED'),
            coalesce(jsonb_agg(jsonb_build_object('transferId', t.id, 'invoiceId', t.invoice_id, 'paymentId', t.payment_id,
              'errors', t.errors) order by t.created_at) filter (where t.status <> 'TRANSFERRED'), '[]'::jsonb)
       from done d join transfer t on t.batch_id = d.id
      group by d.id, d.organization_id, d.trigger, d.total
     having count(*) filter (where t.status <> 'TRANSFERRED') > 0`,
    [JSON.stringify(batchIds)],
  );
}
