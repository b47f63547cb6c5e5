/**
 * Sending transfers to the accounting system, exactly once.
 *
 *   claim (QUEUED/RETRYING → SENDING, attempts + 1, heartbeat)      one transaction
 *   call the accounting system with idempotency key = transfer id     the ledger's own transaction
 *   record the outcome (TRANSFERRED / FAILED / RETRYING / IN_DOUBT)  one transaction
 *
 * The id is the key from the first attempt on, so a resend can never post twice. An outcome we
 * cannot know (timeout, lost answer, our own crash after the call) is IN_DOUBT and is settled by
 * looking the entry up (by key, then by supplier + reference) before anything is sent again. A
 * transfer left SENDING by a dead worker has a stale heartbeat; the sweeper marks it IN_DOUBT.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import {
  AccountingOutcomeUnknown,
  AccountingRejection,
  AccountingTransientError,
  type AccountingProblem,
  type AccountingSystem,
  type EntryInfo,
  type InvoicePostingLine,
  type InvoicePostingOutcome,
  type InvoicePostingRequest,
} from '../../accounting/accounting-system.js';
import { observeTransfersRecorded, type RecordedTransfer } from '../../metrics/registry.js';
import { AUTOMATIC_TRANSFER } from '../audit/audit.service.js';
import {
  invoiceEntryDescription,
  paymentEntryDescription,
  paymentReference,
} from './transfer.documents.js';
import { insertAuditRows } from './transfer.history.js';
import { enqueueTransfers, notifyTransfersChanged, TRANSFER_TASK } from './transfer.jobs.js';
import {
  ClosedPeriodPolicy,
  ExportMode,
  TransferKind,
  TransferStatus,
  TransferTrigger,
  type TransferErrorDetail,
} from './transfer.enums.js';
import { queuePendingPayments } from './transfer.service.js';
import { ActorType } from '../audit/audit-event.entity.js';

/** See TransferWorkerOptions.postBatchSize. */
const POST_BATCH_SIZE = 100;

export interface TransferWorkerOptions {
  /** Sends before a transient failure becomes FAILED / TRANSIENT_EXHAUSTED. */
  maxAttempts: number;
  retryBaseMs: number;
  retryCapMs: number;
  /** Calls to the accounting system in flight at once per job. */
  sendConcurrency: number;
  /** Invoice POSTs of a job sent to the accounting system in one call (postInvoices) at most. */
  postBatchSize?: number;
  /** A SENDING transfer whose heartbeat is older than this is presumed orphaned. */
  staleAfterMs: number;
  heartbeatMs: number;
  /** Delay before an IN_DOUBT transfer is reconciled. */
  reconcileDelayMs: number;
}

export const DEFAULT_WORKER_OPTIONS: TransferWorkerOptions = {
  maxAttempts: 6,
  retryBaseMs: 1_000,
  retryCapMs: 60_000,
  sendConcurrency: 4,
  postBatchSize: POST_BATCH_SIZE,
  staleAfterMs: 30_000,
  heartbeatMs: 5_000,
  reconcileDelayMs: 500,
};

const LIVE = `('QUEUED', 'SENDING', 'RETRYING', 'IN_DOUBT')`;

interface ClaimedRow {
  id: string;
  organization_id: string;
  kind: TransferKind;
  document_type: 'INVOICE' | 'PAYMENT';
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
  // document data
  supplier_account_name: string;
  supplier_name: string;
  invoice_number: string;
  bill_date: string;
  currency: string;
  gross_amount: string;
  payment_amount: string | null;
  payment_date: string | null;
  payment_document_number: number | null;
  payment_fiscal_year: number | null;
  export_mode: ExportMode;
  closed_period_policy: ClosedPeriodPolicy;
  /** The invoice's posting lines (POST and CORRECTION of invoices), read with the claim. */
  lines: InvoicePostingLine[] | null;
}

type Outcome =
  | {
      kind: 'transferred';
      entry: EntryInfo;
      how: 'sent' | 'key' | 'reference';
      reversedOriginal: boolean;
    }
  | { kind: 'failed'; errors: TransferErrorDetail[]; reversedOriginal: boolean }
  | { kind: 'retry'; message: string; reversedOriginal?: boolean }
  | { kind: 'in_doubt'; message: string };

function problemsToErrors(problems: AccountingProblem[]): TransferErrorDetail[] {
  return problems.map((p) => ({
    code: p.code,
    message: p.message,
    ...(p.field ? { field: p.field } : {}),
  }));
}

async function exec<T = Record<string, unknown>>(
  em: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  return em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());
}

/** Runs `fn` over items with at most `limit` in flight. */
async function inParallel<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return results;
}

export class TransferProcessor {
  constructor(
    private readonly orm: MikroORM,
    private readonly accounting: AccountingSystem,
    private readonly log: Logger,
    private readonly opts: TransferWorkerOptions = DEFAULT_WORKER_OPTIONS,
  ) {}

  /** Processes the given transfers: those that are due are sent (or reconciled); others are left alone. */
  async process(transferIds: string[]): Promise<void> {
    if (!transferIds.length) return;
    const claimToken = randomUUID();
    const claimed = await this.claim(transferIds, claimToken);
    if (!claimed.length) return;
    const heartbeat = setInterval(() => {
      void this.heartbeat(
        claimed.map((c) => c.id),
        claimToken,
      ).catch((err) => this.log.warn({ err }, 'heartbeat failed'));
    }, this.opts.heartbeatMs);
    try {
      const outcomes = await this.settleAll(claimed);
      await this.record(claimed, outcomes, claimToken);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** QUEUED/RETRYING (due) and IN_DOUBT → SENDING, with everything needed to send. */
  private async claim(transferIds: string[], claimToken: string): Promise<ClaimedRow[]> {
    return this.orm.em.fork().transactional(async (em) => {
      const rows = await exec<ClaimedRow>(
        em,
        `with c as (
           select id, status from transfer
            where id in (select (jsonb_array_elements_text(?::jsonb))::uuid)
              and (status = 'IN_DOUBT' or (status in ('QUEUED', 'RETRYING') and (next_attempt_at is null or next_attempt_at <= now())))
            for update skip locked),
         u as (
           update transfer t set status = 'SENDING', claim_token = ?::uuid, heartbeat_at = now(), updated_at = now(),
                  attempts = t.attempts + case when c.status = 'IN_DOUBT' then 0 else 1 end
             from c where t.id = c.id
           returning t.*, c.status as previous_status)
         select u.id, u.organization_id, u.kind, u.document_type, coalesce(u.invoice_id, p.invoice_id) as invoice_id,
                u.payment_id, u.document_version, u.reverses_entry_id, u.batch_id, u.attempts, u.trigger,
                u.requested_by_user_id, u.requested_by_api_client_id, u.previous_status,
                s.account_name as supplier_account_name, s.name as supplier_name, i.invoice_number,
                to_char(i.bill_date, 'YYYY-MM-DD') as bill_date, i.currency, i.gross_amount::text as gross_amount,
                p.amount::text as payment_amount, to_char(p.payment_date, 'YYYY-MM-DD') as payment_date,
                p.document_number as payment_document_number, p.fiscal_year as payment_fiscal_year,
                coalesce(ts.export_mode, 'ITEM') as export_mode,
                coalesce(ts.closed_period_policy, 'SHIFT_TO_NEXT_OPEN') as closed_period_policy,
                case when u.document_type = 'INVOICE' and u.kind <> 'REVERSAL' then (
                  select coalesce(json_agg(json_build_object('accountCode', l.account_code, 'costUnitCode', l.cost_unit_code,
                           'vatCode', l.vat_code, 'netAmount', l.net_amount::text, 'vatAmount', l.vat_amount::text,
                           'description', l.description) order by l.position), '[]')
                    from invoice_line l where l.organization_id = u.organization_id and l.invoice_id = u.invoice_id) end as lines
           from u
           left join payment p on p.id = u.payment_id
           join purchase_invoice i on i.id = coalesce(u.invoice_id, p.invoice_id)
           join supplier s on s.id = i.supplier_id
           left join transfer_settings ts on ts.organization_id = u.organization_id`,
        [JSON.stringify(transferIds), claimToken],
      );
      if (rows.length) {
        // The "sent" step of the history: handed to the accounting system (after a ledger check
        // when it was in doubt). Written with the claim, so a worker that dies mid-call leaves it.
        await insertAuditRows(
          em,
          rows.map((r) =>
            historyRow(r, 'transfer.sent', {
              transferId: r.id,
              kind: r.kind,
              attempt: r.attempts,
              paymentId: r.payment_id,
              reconcileFirst: r.previous_status === TransferStatus.IN_DOUBT,
            }),
          ),
        );
        await notifyTransfersChanged(
          em,
          rows.map((r) => ({
            organizationId: r.organization_id,
            transferId: r.id,
            batchId: r.batch_id,
          })),
        );
      }
      return rows;
    });
  }

  private async heartbeat(ids: string[], claimToken: string) {
    await this.orm.em
      .fork()
      .getConnection()
      .execute(
        // SKIP LOCKED: a row being recorded (or swept) right now needs no heartbeat, and waiting
        // for it in no particular order could deadlock with that transaction.
        `with mine as (
           select id from transfer
            where id in (select (jsonb_array_elements_text(?::jsonb))::uuid) and status = 'SENDING' and claim_token = ?::uuid
            for no key update skip locked)
         update transfer t set heartbeat_at = now() from mine where t.id = mine.id`,
        [JSON.stringify(ids), claimToken],
      );
  }

  /**
   * The outcomes of all claimed transfers, in order. Invoice POSTs go to the accounting system in
   * batches (postInvoices: one call, one ledger transaction for the plainly postable ones), after
   * an in-doubt one was looked up; corrections, reversals and payments are sent one by one.
   */
  private async settleAll(rows: ClaimedRow[]): Promise<Outcome[]> {
    const outcomes = new Array<Outcome>(rows.length);
    const batchable: number[] = [];
    const single: number[] = [];
    rows.forEach((row, i) =>
      (row.document_type === 'INVOICE' && row.kind === TransferKind.POST ? batchable : single).push(
        i,
      ),
    );
    const toSend: number[] = [];
    await Promise.all([
      inParallel(single, this.opts.sendConcurrency, async (i) => {
        outcomes[i] = await this.settle(rows[i]);
      }),
      (async () => {
        await inParallel(batchable, this.opts.sendConcurrency, async (i) => {
          const row = rows[i];
          if (row.previous_status !== TransferStatus.IN_DOUBT) return void toSend.push(i);
          try {
            const found = await this.lookUp(row);
            if (found)
              outcomes[i] = {
                kind: 'transferred',
                entry: found.entry,
                how: found.how,
                reversedOriginal: false,
              };
            else toSend.push(i);
          } catch (err) {
            outcomes[i] = this.outcomeOfError(err, row);
          }
        });
        const groups = new Map<string, number[]>();
        for (const i of toSend.sort((a, b) => a - b)) {
          const org = rows[i].organization_id;
          groups.set(org, [...(groups.get(org) ?? []), i]);
        }
        const size = Math.max(1, this.opts.postBatchSize ?? POST_BATCH_SIZE);
        const batches = [...groups.values()].flatMap((group) => {
          const chunks: number[][] = [];
          for (let k = 0; k < group.length; k += size) chunks.push(group.slice(k, k + size));
          return chunks;
        });
        await inParallel(batches, this.opts.sendConcurrency, async (batch) => {
          const results = await this.sendInvoices(batch.map((i) => rows[i]));
          batch.forEach((i, k) => (outcomes[i] = results[k]));
        });
      })(),
    ]);
    return outcomes;
  }

  /**
   * Posts invoices of one organization in one call; a failure of the whole call is every one's.
   * A lone invoice is sent with postInvoice: the same call as ever, nothing to batch.
   */
  private async sendInvoices(rows: ClaimedRow[]): Promise<Outcome[]> {
    if (rows.length === 1) {
      try {
        const entry = await this.accounting.postInvoice(
          rows[0].organization_id,
          this.invoiceRequest(rows[0]),
        );
        return [{ kind: 'transferred', entry, how: 'sent', reversedOriginal: false }];
      } catch (err) {
        return [this.outcomeOfError(err, rows[0])];
      }
    }
    let answers: InvoicePostingOutcome[];
    try {
      answers = await this.accounting.postInvoices(
        rows[0].organization_id,
        rows.map((row) => this.invoiceRequest(row)),
      );
      if (answers.length !== rows.length)
        throw new Error(`${answers.length} outcomes for ${rows.length} invoices`);
    } catch (err) {
      return rows.map((row) => this.outcomeOfError(err, row));
    }
    return answers.map((a, k): Outcome => {
      if ('entry' in a)
        return { kind: 'transferred', entry: a.entry, how: 'sent', reversedOriginal: false };
      if ('problems' in a)
        return { kind: 'failed', errors: problemsToErrors(a.problems), reversedOriginal: false };
      return this.outcomeOfError(a.error, rows[k]);
    });
  }

  /** What an error of a send means for the transfer. */
  private outcomeOfError(err: unknown, row: ClaimedRow): Outcome {
    if (err instanceof AccountingRejection) {
      return { kind: 'failed', errors: problemsToErrors(err.problems), reversedOriginal: false };
    }
    if (err instanceof AccountingTransientError) return { kind: 'retry', message: err.message };
    if (err instanceof AccountingOutcomeUnknown) return { kind: 'in_doubt', message: err.message };
    // Anything else happened after we may have sent: we cannot know, so reconcile.
    this.log.warn(
      { err, transferId: row.id },
      'unexpected error while sending; the transfer is in doubt',
    );
    return { kind: 'in_doubt', message: err instanceof Error ? err.message : String(err) };
  }

  /** Finds the outcome of one transfer: reconcile first if in doubt, then send. */
  private async settle(row: ClaimedRow): Promise<Outcome> {
    try {
      if (row.previous_status === TransferStatus.IN_DOUBT) {
        const found = await this.lookUp(row);
        if (found)
          return {
            kind: 'transferred',
            entry: found.entry,
            how: found.how,
            reversedOriginal: row.kind !== TransferKind.POST,
          };
      }
      return await this.send(row);
    } catch (err) {
      return this.outcomeOfError(err, row);
    }
  }

  /** The entry this transfer made, if the ledger has it: by key, then (posts) by supplier + reference. */
  private async lookUp(
    row: ClaimedRow,
  ): Promise<{ entry: EntryInfo; how: 'key' | 'reference' } | null> {
    const byKey = await this.accounting.findByIdempotencyKey(row.organization_id, row.id);
    if (byKey) return { entry: byKey, how: 'key' };
    if (row.kind === TransferKind.POST) {
      const kind = row.document_type === 'INVOICE' ? 'INVOICE' : 'PAYMENT';
      const byRef = await this.accounting.findByReference(
        row.organization_id,
        row.supplier_account_name,
        this.reference(row),
        kind,
      );
      if (byRef && (await this.madeForThisDocument(row, byRef)))
        return { entry: byRef, how: 'reference' };
    }
    return null;
  }

  /**
   * Whether an entry found by supplier + reference was sent for this very document (by one of its
   * transfers). Another invoice of the supplier may carry the same number: its entry is not ours,
   * and this one must be sent (and refused as DUPLICATE_REFERENCE), not marked transferred.
   */
  private async madeForThisDocument(row: ClaimedRow, entry: EntryInfo): Promise<boolean> {
    const [found] = await this.orm.em
      .fork()
      .getConnection()
      .execute<{ id: string }[]>(
        `select id from transfer where organization_id = ? and id::text = ? and ${row.document_type === 'INVOICE' ? 'invoice_id' : 'payment_id'} = ?`,
        [
          row.organization_id,
          entry.idempotencyKey,
          row.document_type === 'INVOICE' ? row.invoice_id : row.payment_id,
        ],
      );
    return !!found;
  }

  private reference(row: ClaimedRow): string {
    return row.document_type === 'INVOICE'
      ? row.invoice_number
      : paymentReference({
          fiscalYear: row.payment_fiscal_year!,
          documentNumber: row.payment_document_number!,
        });
  }

  private async send(row: ClaimedRow): Promise<Outcome> {
    const org = row.organization_id;
    const policy = row.closed_period_policy;
    if (row.kind === TransferKind.REVERSAL) {
      const entry = await this.accounting.reverse(org, {
        idempotencyKey: row.id,
        entryId: row.reverses_entry_id!,
        documentDate: row.document_type === 'INVOICE' ? row.bill_date : row.payment_date!,
        closedPeriodPolicy: policy,
        description: `Reversal of ${this.reference(row)}`,
      });
      return { kind: 'transferred', entry, how: 'sent', reversedOriginal: true };
    }
    if (row.document_type === 'PAYMENT') {
      const entry = await this.accounting.postPayment(org, {
        idempotencyKey: row.id,
        supplierAccountName: row.supplier_account_name,
        reference: this.reference(row),
        documentDate: row.payment_date!,
        closedPeriodPolicy: policy,
        currency: row.currency,
        amount: row.payment_amount!,
        description: paymentEntryDescription(row.invoice_number),
      });
      return { kind: 'transferred', entry, how: 'sent', reversedOriginal: false };
    }
    const request = this.invoiceRequest(row);
    let reversedOriginal = false;
    if (row.kind === TransferKind.CORRECTION) {
      // An earlier attempt of this transfer may have reversed the original before its post failed;
      // then the old entry is gone whatever happens now, and the outcome must say so.
      const resend = row.attempts > 1 || row.previous_status === TransferStatus.IN_DOUBT;
      reversedOriginal =
        resend && !!(await this.accounting.findByIdempotencyKey(org, `${row.id}:reversal`));
      if (!reversedOriginal) {
        // Check the corrected posting before touching the entry in the ledger, so a bad correction
        // leaves the old entry in place.
        const problems = await this.accounting.validateInvoice(org, {
          ...request,
          idempotencyKey: `${row.id}:check`,
        });
        const blocking = problems.filter((p) => p.code !== 'DUPLICATE_REFERENCE');
        if (blocking.length)
          return { kind: 'failed', errors: problemsToErrors(blocking), reversedOriginal: false };
        await this.accounting.reverse(org, {
          idempotencyKey: `${row.id}:reversal`,
          entryId: row.reverses_entry_id!,
          documentDate: row.bill_date,
          closedPeriodPolicy: policy,
          description: `Correction of ${row.invoice_number}: reversal`,
        });
        reversedOriginal = true;
      }
    }
    try {
      const entry = await this.accounting.postInvoice(org, request);
      return { kind: 'transferred', entry, how: 'sent', reversedOriginal };
    } catch (err) {
      if (err instanceof AccountingRejection)
        return { kind: 'failed', errors: problemsToErrors(err.problems), reversedOriginal };
      if (err instanceof AccountingTransientError && reversedOriginal)
        return { kind: 'retry', message: err.message, reversedOriginal };
      throw err;
    }
  }

  /** The posting request of an invoice transfer; its key is the transfer id. */
  private invoiceRequest(row: ClaimedRow): InvoicePostingRequest {
    return {
      idempotencyKey: row.id,
      journal: row.export_mode === ExportMode.BATCH ? 'BATCH_INVOICES' : 'ITEM_INVOICES',
      supplierAccountName: row.supplier_account_name,
      reference: row.invoice_number,
      documentDate: row.bill_date,
      closedPeriodPolicy: row.closed_period_policy,
      currency: row.currency,
      grossAmount: row.gross_amount,
      description: invoiceEntryDescription(row.supplier_name, row.invoice_number),
      lines: row.lines ?? [],
    };
  }

  private retryDelay(attempts: number): number {
    const exp = Math.min(
      this.opts.retryCapMs,
      this.opts.retryBaseMs * 2 ** Math.max(0, attempts - 1),
    );
    return Math.round(exp / 2 + Math.random() * (exp / 2)); // "equal jitter"
  }

  /** Writes every outcome in one transaction: transfers, documents, history, batches, reports, jobs. */
  private async record(rows: ClaimedRow[], outcomes: Outcome[], claimToken: string): Promise<void> {
    const now = Date.now();
    const updates = rows.map((row, i) => {
      const o = outcomes[i];
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
            entry_id: null,
            posting_date: null,
            original_date: null,
            next_attempt_at: null,
          };
        case 'retry': {
          const exhausted = row.attempts >= this.opts.maxAttempts;
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
            entry_id: null,
            posting_date: null,
            original_date: null,
            next_attempt_at: exhausted
              ? null
              : new Date(now + this.retryDelay(row.attempts)).toISOString(),
          };
        }
        case 'in_doubt':
          return {
            id: row.id,
            status: TransferStatus.IN_DOUBT,
            errors: [
              {
                code: 'IN_DOUBT',
                message: `Sent, outcome unknown (${o.message}); checking the ledger before anything is sent again`,
              },
            ],
            entry_id: null,
            posting_date: null,
            original_date: null,
            next_attempt_at: new Date(now + this.opts.reconcileDelayMs).toISOString(),
          };
      }
    });

    const recorded: RecordedTransfer[] = []; // metrics: observed once committed
    await this.orm.em.fork().transactional(async (em) => {
      await lockInIdOrder(
        em,
        'transfer',
        rows.map((r) => r.id),
      );
      const applied = await exec<RecordedTransfer & { id: string; status: TransferStatus }>(
        em,
        `update transfer t set status = u.status, errors = u.errors, ledger_entry_id = u.entry_id,
                posting_date = coalesce(u.posting_date, t.posting_date), original_date = coalesce(u.original_date, t.original_date),
                next_attempt_at = u.next_attempt_at, heartbeat_at = null, claim_token = null, updated_at = now(),
                finished_at = case when u.status in ('TRANSFERRED', 'FAILED') then now() else null end
           from jsonb_to_recordset(?::jsonb) as u(id uuid, status text, errors jsonb, entry_id uuid, posting_date date,
                original_date date, next_attempt_at timestamptz)
          where t.id = u.id and t.status = 'SENDING' and t.claim_token = ?::uuid
          returning t.id, t.status, t.kind, extract(epoch from t.finished_at - t.created_at)::float8 as queued_to_final_seconds`,
        [JSON.stringify(updates), claimToken],
      );
      recorded.push(...applied);
      // A transfer the sweeper took over meanwhile (we were too slow) is left to the reconciler,
      // even when another worker has claimed it again since: only our claim's outcome is ours.
      const mine = new Set(applied.map((a) => a.id));
      const done = rows
        .map((row, i) => ({ row, outcome: outcomes[i], update: updates[i] }))
        .filter((d) => mine.has(d.row.id));
      if (!done.length) return;

      const documentUpdates = done.map(({ row, outcome, update }) => {
        // What the ledger now holds for the document.
        let ledger: 'set' | 'clear' | 'keep' = 'keep';
        if (outcome.kind === 'transferred')
          ledger = row.kind === TransferKind.REVERSAL ? 'clear' : 'set';
        else if (outcome.kind === 'failed' && outcome.reversedOriginal) ledger = 'clear';
        // A correction whose retries ran out after its reversal: the old entry is reversed too.
        else if (
          outcome.kind === 'retry' &&
          outcome.reversedOriginal &&
          update.status === TransferStatus.FAILED
        )
          ledger = 'clear';
        return {
          transfer_id: row.id,
          invoice_id: row.document_type === 'INVOICE' ? row.invoice_id : null,
          payment_id: row.payment_id,
          status: update.status,
          ledger,
          version: row.document_version,
          entry_id: outcome.kind === 'transferred' ? outcome.entry.id : null,
        };
      });
      const docsJson = JSON.stringify(documentUpdates);
      for (const table of ['purchase_invoice', 'payment'] as const) {
        const key = table === 'payment' ? 'payment_id' : 'invoice_id';
        if (!documentUpdates.some((d) => d[key])) continue;
        await lockInIdOrder(
          em,
          table,
          documentUpdates.map((d) => d[key]).filter((id): id is string => !!id),
        );
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

      await this.writeHistory(em, done);

      const again = done.filter(
        (d) =>
          d.update.status === TransferStatus.RETRYING ||
          d.update.status === TransferStatus.IN_DOUBT,
      );
      for (const d of again)
        await enqueueTransfers(em, [d.row.id], new Date(d.update.next_attempt_at!));

      const batchIds = [
        ...new Set(done.map((d) => d.row.batch_id).filter((b): b is string => !!b)),
      ];
      if (batchIds.length) await this.completeBatches(em, batchIds);

      await notifyTransfersChanged(
        em,
        done.map((d) => ({
          organizationId: d.row.organization_id,
          transferId: d.row.id,
          batchId: d.row.batch_id,
        })),
      );

      // Payments recorded before their invoice reached the ledger were waiting for this.
      const posted = done.filter(
        (d) =>
          d.update.status === TransferStatus.TRANSFERRED &&
          d.row.document_type === 'INVOICE' &&
          d.row.kind !== TransferKind.REVERSAL,
      );
      const byOrg = new Map<string, ClaimedRow[]>();
      for (const d of posted)
        byOrg.set(d.row.organization_id, [...(byOrg.get(d.row.organization_id) ?? []), d.row]);
      for (const [org, orgRows] of byOrg) {
        const [settings] = await exec<{ auto_transfer_payments: boolean }>(
          em,
          `select auto_transfer_payments from transfer_settings where organization_id = ?`,
          [org],
        );
        if (!settings?.auto_transfer_payments) continue;
        await queuePendingPayments(
          em,
          org,
          orgRows.map((r) => r.invoice_id),
          {
            actor: {
              type: ActorType.SYSTEM,
              name: AUTOMATIC_TRANSFER,
              onBehalfOfUserId: orgRows[0].requested_by_user_id,
            },
            userId: orgRows[0].requested_by_user_id,
            apiClientId: null,
            requestId: null,
          },
        );
      }
    });
    observeTransfersRecorded(recorded);
  }

  private async writeHistory(
    em: EntityManager,
    done: {
      row: ClaimedRow;
      outcome: Outcome;
      update: {
        status: TransferStatus;
        errors: TransferErrorDetail[];
        next_attempt_at: string | null;
      };
    }[],
  ) {
    const events = done.map(({ row, outcome, update }) => {
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
          details = {
            ...details,
            errors: update.errors,
            reversedOriginal: outcome.reversedOriginal,
          };
          break;
        case 'retry':
          action =
            update.status === TransferStatus.FAILED ? 'transfer.failed' : 'transfer.retrying';
          details = { ...details, errors: update.errors, nextAttemptAt: update.next_attempt_at };
          break;
        case 'in_doubt':
          action = 'transfer.in_doubt';
          details = { ...details, reason: outcome.message };
          break;
      }
      return historyRow(row, action, details);
    });
    await insertAuditRows(em, events);
  }

  /** Marks batches with nothing left in flight DONE, and writes a report for those with failures. */
  private async completeBatches(em: EntityManager, batchIds: string[]) {
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
            and not exists (select 1 from transfer t where t.batch_id = b.id and t.status in ${LIVE})
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

  /**
   * Finds orphans: SENDING with a stale heartbeat (a worker died) becomes IN_DOUBT and is
   * reconciled; live transfers whose job was lost are enqueued again. Safe to run anywhere, often.
   */
  async sweep(): Promise<{ orphaned: number; requeued: number }> {
    return this.orm.em.fork().transactional(async (em) => {
      const orphaned = await exec<{
        id: string;
        organization_id: string;
        batch_id: string | null;
        invoice_id: string | null;
        payment_id: string | null;
        trigger: TransferTrigger;
        requested_by_user_id: string | null;
        requested_by_api_client_id: string | null;
        attempts: number;
        kind: TransferKind;
      }>(
        em,
        // SKIP LOCKED: a transfer whose outcome is being recorded right now is not orphaned.
        `with stale as (
           select id from transfer where status = 'SENDING' and heartbeat_at < now() - make_interval(secs => ?)
            order by id for no key update skip locked)
         update transfer set status = 'IN_DOUBT', heartbeat_at = null, claim_token = null, updated_at = now(),
                next_attempt_at = now(),
                errors = jsonb_build_array(jsonb_build_object('code', 'IN_DOUBT', 'message',
                  'The worker sending this transfer stopped; checking the ledger before anything is sent again'))
          from stale where transfer.id = stale.id
          returning transfer.id, organization_id, batch_id, invoice_id, payment_id, trigger, requested_by_user_id, requested_by_api_client_id, attempts, kind`,
        [this.opts.staleAfterMs / 1000],
      );
      if (orphaned.length) {
        for (const table of ['purchase_invoice', 'payment'] as const) {
          // Locked in id order first, like every writer of documents (see lockInIdOrder).
          await exec(
            em,
            `with d as (
               select id from ${table} where last_transfer_id in (select (jsonb_array_elements_text(?::jsonb))::uuid)
                order by id for no key update)
             update ${table} t set transfer_status = 'IN_DOUBT' from d where t.id = d.id`,
            [JSON.stringify(orphaned.map((o) => o.id))],
          );
        }
        const invoiceOf = await exec<{ id: string; invoice_id: string }>(
          em,
          `select t.id, coalesce(t.invoice_id, p.invoice_id) as invoice_id from transfer t left join payment p on p.id = t.payment_id
            where t.id in (select (jsonb_array_elements_text(?::jsonb))::uuid)`,
          [JSON.stringify(orphaned.map((o) => o.id))],
        );
        const inv = new Map(invoiceOf.map((r) => [r.id, r.invoice_id]));
        await insertAuditRows(
          em,
          orphaned.map((o) => ({
            id: randomUUID(),
            organization_id: o.organization_id,
            action: 'transfer.in_doubt',
            actor_type: ActorType.SYSTEM,
            actor_user_id: null,
            actor_api_client_id: null,
            system_name:
              o.trigger === TransferTrigger.AUTOMATIC ? AUTOMATIC_TRANSFER : 'Ledgerlink',
            on_behalf_of_id: o.requested_by_user_id,
            entity_type: 'Transfer',
            entity_id: o.id,
            invoice_id: inv.get(o.id) ?? null,
            details: {
              transferId: o.id,
              kind: o.kind,
              attempt: o.attempts,
              reason: 'worker stopped while sending',
            },
          })),
        );
        await notifyTransfersChanged(
          em,
          orphaned.map((o) => ({
            organizationId: o.organization_id,
            transferId: o.id,
            batchId: o.batch_id,
          })),
        );
      }
      // A transfer whose job was lost (held by a dead worker, skipped while locked) is found by
      // its age; but while jobs are still waiting to run, an old QUEUED transfer is just behind
      // in a backlog, and enqueueing it again would only double the work. Lost ones wait for the
      // queue to drain (graphile-worker's public jobs view).
      const [{ backlog }] = await exec<{ backlog: boolean }>(
        em,
        `select exists (select 1 from graphile_worker.jobs where task_identifier = ? and locked_at is null and run_at <= now() and attempts < max_attempts) as backlog`,
        [TRANSFER_TASK],
      );
      const overdue = backlog
        ? []
        : await exec<{ id: string }>(
            em,
            `select id from transfer
              where status in ('QUEUED', 'RETRYING', 'IN_DOUBT')
                and coalesce(next_attempt_at, updated_at) < now() - make_interval(secs => ?)
              order by updated_at limit 5000`,
            [this.opts.staleAfterMs / 1000],
          );
      const ids = [...orphaned.map((o) => o.id), ...overdue.map((o) => o.id)];
      if (ids.length) {
        await enqueueTransfers(em, ids);
        // Touch them so the next sweep does not enqueue them again while the jobs wait.
        await exec(
          em,
          `update transfer set updated_at = now() where id in (select (jsonb_array_elements_text(?::jsonb))::uuid) and status <> 'SENDING'`,
          [JSON.stringify(overdue.map((o) => o.id))],
        );
      }
      return { orphaned: orphaned.length, requeued: overdue.length };
    });
  }
}

/**
 * Locks rows in id order before a set-based UPDATE of them (whose order PostgreSQL does
 * not promise). Exports lock the invoices they take in id order too (FOR UPDATE, ORDER BY id), so
 * an export and a worker recording outcomes of overlapping documents wait for each other instead
 * of deadlocking: with 100 documents per job, a double-clicked export met a recording job often.
 */
async function lockInIdOrder(
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

/** A history event of a transfer, by its requester ("Automatic transfer" on behalf of the saver for AUTOMATIC ones). */
function historyRow(
  row: ClaimedRow,
  action: string,
  details: Record<string, unknown>,
): Record<string, unknown> {
  const automatic = row.trigger === TransferTrigger.AUTOMATIC;
  return {
    id: randomUUID(),
    organization_id: row.organization_id,
    action,
    actor_type: automatic
      ? ActorType.SYSTEM
      : row.requested_by_api_client_id
        ? ActorType.API_CLIENT
        : row.requested_by_user_id
          ? ActorType.USER
          : ActorType.SYSTEM,
    actor_user_id: !automatic && !row.requested_by_api_client_id ? row.requested_by_user_id : null,
    actor_api_client_id: !automatic ? row.requested_by_api_client_id : null,
    system_name: automatic
      ? AUTOMATIC_TRANSFER
      : !row.requested_by_user_id && !row.requested_by_api_client_id
        ? 'Ledgerlink'
        : null,
    on_behalf_of_id: automatic ? row.requested_by_user_id : null,
    entity_type: 'Transfer',
    entity_id: row.id,
    invoice_id: row.invoice_id,
    details,
  };
}
