/**
 * Sending claimed transfers to the accounting system and saying what came of it. Talks only to
 * the AccountingSystem port: everything it needs was read with the claim, and what it returns
 * (one Outcome per transfer) is written by transfer.record.ts. The idempotency key is the
 * transfer id from the first attempt on, so a resend never posts twice; an outcome that cannot
 * be known is in doubt, and an in-doubt transfer is looked up in the ledger before it is sent.
 */
import type { Logger } from 'pino';
import {
  AccountingOutcomeUnknown,
  AccountingRejection,
  AccountingTransientError,
  type AccountingProblem,
  type AccountingSystem,
  type EntryInfo,
  type InvoicePostingOutcome,
  type InvoicePostingRequest,
} from '../../accounting/accounting-system.js';
import type { ClaimedTransfer } from './transfer.claim.js';
import {
  invoiceEntryDescription,
  paymentEntryDescription,
  paymentReference,
} from './transfer.documents.js';
import {
  ExportMode,
  TransferKind,
  TransferStatus,
  type TransferErrorDetail,
} from './transfer.enums.js';
import { inParallel } from '../../common/parallel.js';

/** What came of sending one transfer (or of looking it up in the ledger). */
export type Outcome =
  | {
      kind: 'transferred';
      entry: EntryInfo;
      how: 'sent' | 'key' | 'reference';
      reversedOriginal: boolean;
    }
  | { kind: 'failed'; errors: TransferErrorDetail[]; reversedOriginal: boolean }
  | { kind: 'retry'; message: string; reversedOriginal?: boolean }
  /** lookupFailed: the look-up of a transfer already in doubt failed, so it is still in doubt. */
  | { kind: 'in_doubt'; message: string; lookupFailed?: boolean };

export interface SendOptions {
  /** Calls to the accounting system in flight at once. */
  sendConcurrency: number;
  /** Invoice POSTs of one organization sent in one call (postInvoices) at most. */
  postBatchSize: number;
}

function problemsToErrors(problems: AccountingProblem[]): TransferErrorDetail[] {
  return problems.map((p) => ({
    code: p.code,
    message: p.message,
    ...(p.field ? { field: p.field } : {}),
  }));
}

/** The ledger reference of a transfer's document: the invoice number, or the payment's. */
function reference(row: ClaimedTransfer): string {
  return row.document_type === 'INVOICE'
    ? row.invoice_number
    : paymentReference({
        fiscalYear: row.payment_fiscal_year!,
        documentNumber: row.payment_document_number!,
      });
}

/** The posting request of an invoice transfer; its key is the transfer id. */
function invoiceRequest(row: ClaimedTransfer): InvoicePostingRequest {
  return {
    idempotencyKey: row.id,
    documentKind: row.document_kind,
    journal: row.settings.exportMode === ExportMode.BATCH ? 'BATCH_INVOICES' : 'ITEM_INVOICES',
    supplierAccountName: row.supplier_account_name,
    reference: row.invoice_number,
    documentDate: row.bill_date,
    closedPeriodPolicy: row.settings.closedPeriodPolicy,
    currency: row.currency,
    grossAmount: row.gross_amount,
    description: invoiceEntryDescription(row.supplier_name, row.invoice_number),
    lines: row.lines ?? [],
  };
}

export class TransferSender {
  constructor(
    private readonly accounting: AccountingSystem,
    private readonly log: Logger,
    private readonly opts: SendOptions,
  ) {}

  /**
   * The outcomes of all claimed transfers, in order. Invoice POSTs go to the accounting system in
   * batches (postInvoices: one call, one ledger transaction for the plainly postable ones), after
   * an in-doubt one was looked up; corrections, reversals and payments are sent one by one.
   */
  async settleAll(rows: ClaimedTransfer[]): Promise<Outcome[]> {
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
          const reconciled = await this.reconcile(row);
          if (reconciled) outcomes[i] = reconciled;
          else toSend.push(i);
        });
        const groups = new Map<string, number[]>();
        for (const i of toSend.sort((a, b) => a - b)) {
          const org = rows[i].organization_id;
          groups.set(org, [...(groups.get(org) ?? []), i]);
        }
        const size = Math.max(1, this.opts.postBatchSize);
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
  private async sendInvoices(rows: ClaimedTransfer[]): Promise<Outcome[]> {
    if (rows.length === 1) {
      try {
        const entry = await this.accounting.postInvoice(
          rows[0].organization_id,
          invoiceRequest(rows[0]),
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
        rows.map(invoiceRequest),
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
  private outcomeOfError(err: unknown, row: ClaimedTransfer): Outcome {
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
  private async settle(row: ClaimedTransfer): Promise<Outcome> {
    if (row.previous_status === TransferStatus.IN_DOUBT) {
      const reconciled = await this.reconcile(row);
      if (reconciled) return reconciled;
    }
    try {
      return await this.send(row);
    } catch (err) {
      return this.outcomeOfError(err, row);
    }
  }

  /**
   * Settles an in-doubt transfer by looking it up: the entry found (adopted), or null when the
   * ledger definitely has none (then it is sent). The one rule for a look-up that fails, however
   * it fails: the outcome is still unknown, so the transfer stays in doubt — never retried as a
   * fresh send, never FAILED — and transfer.record.ts schedules the next look-up with backoff.
   */
  private async reconcile(row: ClaimedTransfer): Promise<Outcome | null> {
    try {
      const found = await this.lookUp(row);
      if (!found) return null;
      return {
        kind: 'transferred',
        entry: found.entry,
        how: found.how,
        reversedOriginal: row.kind !== TransferKind.POST,
      };
    } catch (err) {
      if (!(err instanceof AccountingTransientError) && !(err instanceof AccountingOutcomeUnknown))
        this.log.warn({ err, transferId: row.id }, 'unexpected error while looking a transfer up');
      return {
        kind: 'in_doubt',
        message: err instanceof Error ? err.message : String(err),
        lookupFailed: true,
      };
    }
  }

  /** The entry this transfer made, if the ledger has it: by key, then (posts) by supplier + reference. */
  private async lookUp(
    row: ClaimedTransfer,
  ): Promise<{ entry: EntryInfo; how: 'key' | 'reference' } | null> {
    const byKey = await this.accounting.findByIdempotencyKey(row.organization_id, row.id);
    if (byKey) return { entry: byKey, how: 'key' };
    if (row.kind === TransferKind.POST) {
      const kind = row.document_type === 'INVOICE' ? row.document_kind : 'PAYMENT';
      const byRef = await this.accounting.findByReference(
        row.organization_id,
        row.supplier_account_name,
        reference(row),
        kind,
      );
      // Another invoice of the supplier may carry the same number: its entry is not ours, and
      // this one must be sent (and refused as DUPLICATE_REFERENCE), not marked transferred.
      if (byRef && (row.document_transfer_ids ?? []).includes(byRef.idempotencyKey))
        return { entry: byRef, how: 'reference' };
    }
    return null;
  }

  private async send(row: ClaimedTransfer): Promise<Outcome> {
    const org = row.organization_id;
    const policy = row.settings.closedPeriodPolicy;
    if (row.kind === TransferKind.REVERSAL) {
      const entry = await this.accounting.reverse(org, {
        idempotencyKey: row.id,
        entryId: row.reverses_entry_id!,
        documentDate: row.document_type === 'INVOICE' ? row.bill_date : row.payment_date!,
        closedPeriodPolicy: policy,
        description: `Reversal of ${reference(row)}`,
      });
      return { kind: 'transferred', entry, how: 'sent', reversedOriginal: true };
    }
    if (row.document_type === 'PAYMENT') {
      const entry = await this.accounting.postPayment(org, {
        idempotencyKey: row.id,
        supplierAccountName: row.supplier_account_name,
        reference: reference(row),
        documentDate: row.payment_date!,
        closedPeriodPolicy: policy,
        currency: row.currency,
        amount: row.payment_amount!,
        description: paymentEntryDescription(row.invoice_number),
      });
      return { kind: 'transferred', entry, how: 'sent', reversedOriginal: false };
    }
    const request = invoiceRequest(row);
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
}
