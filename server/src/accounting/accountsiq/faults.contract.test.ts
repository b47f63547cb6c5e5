/**
 * Exactly once against the local accountsIQ service's transport faults: a 503 before the
 * service is reached, an answer dropped after the service committed, an answer arriving after
 * the adapter's timeout, and a session expiring mid-call.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AccountingOutcomeUnknown,
  AccountingTransientError,
  ClosedPeriodPolicy,
} from '../accounting-system.js';
import { invoiceRequest, ORG, startAiqFixture, type AiqFixture } from './accountsiq.helpers.js';

let fx: AiqFixture;
beforeAll(async () => {
  fx = await startAiqFixture({}, { lateAnswerMs: 600 });
});
beforeEach(() => fx.aiq.clearFaults());
afterAll(async () => {
  expect(fx.aiq.wsdlViolations).toEqual([]);
  await fx.close();
});

const CREATE = 'CreateBatchPurchasesInvoiceGetBackTransactionID';
const LOOKUP = 'GetTransactionsByExternalReference';
const sent = (reference: string) =>
  fx.aiq.transactions(fx.seed.entity).filter((t) => t.Reference === reference);

describe('accountsIQ transport faults', () => {
  it('503 before committing: transient, nothing written, the next try writes once', async () => {
    const adapter = fx.adapter();
    const r = invoiceRequest();
    fx.aiq.injectFault('unavailable-before-commit', { operation: CREATE });
    await expect(adapter.postInvoice(ORG, r)).rejects.toBeInstanceOf(AccountingTransientError);
    expect(sent(r.reference)).toHaveLength(0);
    await adapter.postInvoice(ORG, r);
    expect(sent(r.reference)).toHaveLength(1);
  });

  it('503 on a read is transient too', async () => {
    fx.aiq.injectFault('unavailable-before-commit', { operation: 'GetPeriodList' });
    await expect(fx.adapter().listPeriods(ORG)).rejects.toBeInstanceOf(AccountingTransientError);
  });

  it.each(['BATCH_INVOICES', 'ITEM_INVOICES'] as const)(
    'answer dropped after committing (%s): the adapter looks up and adopts the document',
    async (journal) => {
      const adapter = fx.adapter();
      const r = invoiceRequest({ journal });
      fx.aiq.injectFault('drop-after-commit', {
        operation: journal === 'BATCH_INVOICES' ? CREATE : 'PostInvoiceGetBackTransactionID',
      });
      const entry = await adapter.postInvoice(ORG, r);
      expect(sent(r.reference)).toHaveLength(1);
      expect(entry.id).toBe(String(sent(r.reference)[0].TransactionID));
    },
  );

  it('answer late past the timeout: outcome unknown inside, adopted by the look-up', async () => {
    const adapter = fx.adapter({ timeoutMs: 250 });
    const r = invoiceRequest();
    fx.aiq.injectFault('late-answer', { operation: CREATE });
    const entry = await adapter.postInvoice(ORG, r);
    expect(sent(r.reference)).toHaveLength(1);
    expect(entry.reference).toBe(r.reference);
  });

  it('dropped answer and a failing look-up: outcome unknown; a later resend (another worker) adopts', async () => {
    const r = invoiceRequest();
    fx.aiq.injectFault('drop-after-commit', { operation: CREATE });
    // The first look-up (before writing) passes; the one after the lost answer is cut too.
    fx.aiq.injectFault('drop-after-commit', { operation: LOOKUP, skip: 1 });
    await expect(fx.adapter().postInvoice(ORG, r)).rejects.toBeInstanceOf(AccountingOutcomeUnknown);
    expect(sent(r.reference)).toHaveLength(1);
    const restarted = fx.adapter();
    await expect(restarted.findByIdempotencyKey(ORG, r.idempotencyKey)).resolves.toMatchObject({
      reference: r.reference,
    });
    const entry = await restarted.postInvoice(ORG, r);
    expect(entry.id).toBe(String(sent(r.reference)[0].TransactionID));
    expect(sent(r.reference)).toHaveLength(1);
  });

  it('item invoice saved but the save answer lost: not posted, the resend posts once', async () => {
    const adapter = fx.adapter();
    const r = invoiceRequest({ journal: 'ITEM_INVOICES' });
    fx.aiq.injectFault('drop-after-commit', { operation: 'SaveInvoiceGetBackInvoiceID' });
    await expect(adapter.postInvoice(ORG, r)).rejects.toBeInstanceOf(AccountingOutcomeUnknown);
    expect(sent(r.reference)).toHaveLength(0);
    await adapter.postInvoice(ORG, r);
    expect(sent(r.reference)).toHaveLength(1);
  });

  it('payments and reversals survive lost answers and late answers with one document each', async () => {
    const adapter = fx.adapter({ timeoutMs: 250 });
    const pay = {
      idempotencyKey: 'pay-fault-1',
      supplierAccountName: 'ACME',
      reference: 'PAY-FAULT-1',
      documentDate: '2026-03-12',
      closedPeriodPolicy: ClosedPeriodPolicy.SHIFT_TO_NEXT_OPEN,
      currency: 'EUR',
      amount: '50.00',
      description: null,
    };
    fx.aiq.injectFault('drop-after-commit', {
      operation: 'SavePurchasePaymentGetBackTransactionID',
    });
    const paid = await adapter.postPayment(ORG, pay);
    expect(sent('PAY-FAULT-1')).toHaveLength(1);
    fx.aiq.injectFault('late-answer', { operation: 'SavePurchasePaymentGetBackTransactionID' });
    const rev = await adapter.reverse(ORG, {
      idempotencyKey: 'pay-fault-1:rev',
      entryId: paid.id,
      documentDate: '2026-03-13',
      closedPeriodPolicy: ClosedPeriodPolicy.SHIFT_TO_NEXT_OPEN,
      description: null,
    });
    expect(rev.reversesEntryId).toBe(paid.id);
    expect(sent('PAY-FAULT-1')).toHaveLength(2);

    const inv = invoiceRequest();
    const posted = await adapter.postInvoice(ORG, inv);
    fx.aiq.injectFault('drop-after-commit', { operation: 'PostInvoiceGetBackTransactionID' });
    const credit = await adapter.reverse(ORG, {
      idempotencyKey: `${inv.idempotencyKey}:rev`,
      entryId: posted.id,
      documentDate: '2026-03-13',
      closedPeriodPolicy: ClosedPeriodPolicy.SHIFT_TO_NEXT_OPEN,
      description: null,
    });
    expect(credit.kind).toBe('REVERSAL');
    expect(sent(inv.reference)).toHaveLength(2);
  });

  it('postInvoices: a fault concerns only the request it hit', async () => {
    const adapter = fx.adapter();
    const requests = [invoiceRequest(), invoiceRequest(), invoiceRequest()];
    fx.aiq.injectFault('unavailable-before-commit', { operation: CREATE });
    const outcomes = await adapter.postInvoices(ORG, requests);
    const errors = outcomes.filter((o) => 'error' in o);
    expect(errors).toHaveLength(1);
    expect((errors[0] as { error: Error }).error).toBeInstanceOf(AccountingTransientError);
    expect(outcomes.filter((o) => 'entry' in o)).toHaveLength(2);
    const again = await adapter.postInvoices(ORG, requests);
    expect(again.every((o) => 'entry' in o)).toBe(true);
    for (const r of requests) expect(sent(r.reference)).toHaveLength(1);
  });

  it('a session expiring on the look-up before writing is renewed; still one document', async () => {
    const adapter = fx.adapter();
    const r = invoiceRequest();
    fx.aiq.injectFault('session-expired', { operation: LOOKUP });
    await adapter.postInvoice(ORG, r);
    expect(sent(r.reference)).toHaveLength(1);
  });
});
