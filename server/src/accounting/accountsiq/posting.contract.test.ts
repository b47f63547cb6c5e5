import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AccountingRejection,
  ClosedPeriodPolicy,
  type AccountingProblem,
  type AccountingSystem,
} from '../accounting-system.js';
import { invoiceRequest, ORG, startAiqFixture, type AiqFixture } from './accountsiq.helpers.js';
import { externalReferenceFor, type AccountsIqAccounting } from './index.js';

let fx: AiqFixture;
let adapter: AccountsIqAccounting;
beforeAll(async () => {
  fx = await startAiqFixture();
});
beforeEach(() => {
  adapter = fx.adapter();
});
afterAll(async () => {
  expect(fx.aiq.wsdlViolations).toEqual([]);
  await fx.close();
});

const sent = (reference: string) =>
  fx.aiq.transactions(fx.seed.entity).filter((t) => t.Reference === reference);

async function rejection(run: Promise<unknown>): Promise<AccountingProblem[]> {
  const err = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AccountingRejection);
  return (err as AccountingRejection).problems;
}

describe('accountsIQ master data and periods', () => {
  it('reads GL accounts, tax codes, departments and suppliers', async () => {
    const md = await adapter.getMasterData(ORG);
    expect(md.accounts).toContainEqual({
      code: '5000H',
      name: 'Costs (header)',
      type: 'EXPENSE',
      postable: false,
      active: true,
    });
    expect(md.vatCodes).toContainEqual(
      expect.objectContaining({ code: 'S', rate: '23.00', reverseCharge: false }),
    );
    expect(md.costUnits).toContainEqual({ code: 'OLD', name: 'Closed department', active: false });
    expect(md.supplierAccounts).toContainEqual({
      accountName: 'GONE',
      name: 'Gone Ltd',
      active: false,
    });
  });

  it('reads the control accounts as settings and the financial periods with their state', async () => {
    await expect(adapter.getSettings(ORG)).resolves.toEqual({
      apLockDate: null,
      accountsPayableAccount: '2100',
      vatReceivableAccount: '2200',
      vatPayableAccount: '2200',
      bankAccount: '1200',
    });
    const periods = await adapter.listPeriods(ORG, 2026);
    expect(periods.map((p) => [p.name, p.status])).toEqual([
      ['2026/01', 'CLOSED'],
      ['2026/02', 'CLOSED'],
      ['2026/03', 'OPEN'],
      ['2026/04', 'OPEN'],
    ]);
    await expect(adapter.listPeriods(ORG, 2025)).resolves.toEqual([]);
  });

  it('leaves period administration and journal browsing to accountsIQ', async () => {
    await expect(adapter.closePeriod(ORG, '1')).rejects.toBeInstanceOf(AccountingRejection);
    await expect(adapter.setLockDate(ORG, '2026-01-31')).rejects.toBeInstanceOf(
      AccountingRejection,
    );
    await expect(adapter.listEntries(ORG, { first: 10 })).rejects.toBeInstanceOf(
      AccountingRejection,
    );
  });
});

describe('accountsIQ invoices', () => {
  it('posts BATCH_INVOICES as one batch purchase invoice with ExternalReference and Reference', async () => {
    const r = invoiceRequest();
    const entry = await adapter.postInvoice(ORG, r);
    const [tx] = sent(r.reference);
    expect(tx).toMatchObject({
      TransactionType: 'BPI',
      AccountCode: 'ACME',
      ExternalReference: externalReferenceFor(r.idempotencyKey),
      Amount: '123.00',
      PeriodName: '2026/03',
    });
    expect(entry).toMatchObject({
      id: String(tx.TransactionID),
      journal: 'BATCH_INVOICES',
      kind: 'INVOICE',
      idempotencyKey: r.idempotencyKey,
      supplierAccountName: 'ACME',
      postingDate: '2026-03-10',
      period: { name: '2026/03', status: 'OPEN' },
      total: '123.00',
      reversesEntryId: null,
    });
    expect(entry.lines).toEqual([
      expect.objectContaining({
        accountCode: '5000',
        costUnitCode: 'OPS',
        vatCode: 'S',
        debit: '100.00',
        credit: '0.00',
      }),
      expect.objectContaining({ accountCode: '2200', debit: '23.00', credit: '0.00' }),
      expect.objectContaining({ accountCode: '2100', debit: '0.00', credit: '123.00' }),
    ]);
  });

  it('posts ITEM_INVOICES through get new → save → post', async () => {
    const r = invoiceRequest({ journal: 'ITEM_INVOICES' });
    const entry = await adapter.postInvoice(ORG, r);
    expect(sent(r.reference)).toEqual([expect.objectContaining({ TransactionType: 'PI' })]);
    expect(entry).toMatchObject({ journal: 'ITEM_INVOICES', kind: 'INVOICE', total: '123.00' });
  });

  it('a repeat with the same key returns the first document and sends nothing', async () => {
    const r = invoiceRequest();
    const first = await adapter.postInvoice(ORG, r);
    const again = await fx.adapter().postInvoice(ORG, r);
    expect(again.id).toBe(first.id);
    expect(sent(r.reference)).toHaveLength(1);
    await expect(adapter.findByIdempotencyKey(ORG, r.idempotencyKey)).resolves.toMatchObject({
      id: first.id,
    });
    await expect(adapter.findByIdempotencyKey(ORG, 'never-sent')).resolves.toBeNull();
  });

  it('finds the live document of a supplier + Reference, not a reversed one', async () => {
    const r = invoiceRequest();
    const entry = await adapter.postInvoice(ORG, r);
    await expect(
      adapter.findByReference(ORG, 'ACME', r.reference, 'INVOICE'),
    ).resolves.toMatchObject({
      id: entry.id,
      idempotencyKey: r.idempotencyKey,
    });
    await expect(adapter.findByReference(ORG, 'ACME', r.reference, 'PAYMENT')).resolves.toBeNull();
    await expect(adapter.findByReference(ORG, 'BOLT', r.reference, 'INVOICE')).resolves.toBeNull();
    await adapter.reverse(ORG, {
      idempotencyKey: `${r.idempotencyKey}:rev`,
      entryId: entry.id,
      documentDate: '2026-03-20',
      closedPeriodPolicy: ClosedPeriodPolicy.BLOCK,
      description: null,
    });
    await expect(adapter.findByReference(ORG, 'ACME', r.reference, 'INVOICE')).resolves.toBeNull();
  });

  it('concurrent posts of one key through one adapter write one document', async () => {
    const r = invoiceRequest();
    const entries = await Promise.all([adapter.postInvoice(ORG, r), adapter.postInvoice(ORG, r)]);
    expect(entries[0].id).toBe(entries[1].id);
    expect(sent(r.reference)).toHaveLength(1);
  });

  it('SHIFT: a date in a closed period is booked on the first day of the next open one', async () => {
    for (const journal of ['BATCH_INVOICES', 'ITEM_INVOICES'] as const) {
      const r = invoiceRequest({ journal, documentDate: '2026-01-15' });
      const entry = await adapter.postInvoice(ORG, r);
      expect(entry).toMatchObject({
        documentDate: '2026-01-15',
        postingDate: '2026-03-01',
        period: { name: '2026/03' },
      });
    }
  });

  it('BLOCK: a date in a closed period is PERIOD_LOCKED before anything is sent', async () => {
    const r = invoiceRequest({
      documentDate: '2026-02-10',
      closedPeriodPolicy: ClosedPeriodPolicy.BLOCK,
    });
    const problems = await rejection(adapter.postInvoice(ORG, r));
    expect(problems).toEqual([
      expect.objectContaining({ code: 'PERIOD_LOCKED', field: ['documentDate'] }),
    ]);
    expect(sent(r.reference)).toHaveLength(0);
    const outside = invoiceRequest({ documentDate: '2027-05-01' });
    expect(await rejection(adapter.postInvoice(ORG, outside))).toEqual([
      expect.objectContaining({ code: 'PERIOD_LOCKED' }),
    ]);
  });

  it('reports every problem against accountsIQ master data before sending', async () => {
    const r = invoiceRequest({
      supplierAccountName: 'NOBODY',
      grossAmount: '999.00',
      lines: [
        {
          accountCode: '9999',
          costUnitCode: null,
          vatCode: 'S',
          netAmount: '10.00',
          vatAmount: '2.30',
          description: null,
        },
        {
          accountCode: '5000H',
          costUnitCode: 'OLD',
          vatCode: 'XX',
          netAmount: '10.00',
          vatAmount: '0.00',
          description: null,
        },
      ],
    });
    const codes = (await adapter.validateInvoice(ORG, r)).map((p) => [p.code, p.field?.join('.')]);
    expect(codes).toEqual([
      ['SUPPLIER_NOT_IN_LEDGER', 'supplierAccountName'],
      ['ACCOUNT_NOT_FOUND', 'lines.0.accountCode'],
      ['ACCOUNT_NOT_POSTABLE', 'lines.1.accountCode'],
      ['COST_UNIT_INVALID', 'lines.1.costUnitCode'],
      ['VAT_CODE_INVALID', 'lines.1.vatCode'],
      ['UNBALANCED', 'grossAmount'],
    ]);
    expect(await rejection(adapter.postInvoice(ORG, r))).toHaveLength(6);
    expect(sent(r.reference)).toHaveLength(0);
    await expect(adapter.validateInvoice(ORG, invoiceRequest())).resolves.toEqual([]);
  });

  it('posts a supplier credit note as a purchase credit note (either journal), on the other sides', async () => {
    for (const journal of ['BATCH_INVOICES', 'ITEM_INVOICES'] as const) {
      const r = invoiceRequest({
        documentKind: 'CREDIT_NOTE',
        journal,
        grossAmount: '-61.50',
        lines: [
          {
            accountCode: '5000',
            costUnitCode: null,
            vatCode: 'S',
            netAmount: '-50.00',
            vatAmount: '-11.50',
            description: null,
          },
        ],
      });
      const entry = await adapter.postInvoice(ORG, r);
      expect(entry.kind).toBe('CREDIT_NOTE');
      expect(entry.lines.map((l) => [l.accountCode, l.debit, l.credit])).toEqual([
        ['5000', '0.00', '50.00'],
        ['2200', '0.00', '11.50'],
        ['2100', '61.50', '0.00'],
      ]);
      expect(sent(r.reference)).toHaveLength(1);
      await expect(
        adapter.findByReference(ORG, 'ACME', r.reference, 'CREDIT_NOTE'),
      ).resolves.toMatchObject({ id: entry.id });
      await expect(adapter.postInvoice(ORG, r)).resolves.toMatchObject({ id: entry.id });
      expect(sent(r.reference)).toHaveLength(1);
    }
  });

  it('refuses a credit note with a positive gross before sending it', async () => {
    const r = invoiceRequest({ documentKind: 'CREDIT_NOTE' });
    expect((await rejection(adapter.postInvoice(ORG, r))).map((p) => p.code)).toContain(
      'VALIDATION',
    );
    expect(sent(r.reference)).toHaveLength(0);
  });

  it('postInvoices answers each request on its own', async () => {
    const good = invoiceRequest();
    const bad = invoiceRequest({ supplierAccountName: 'GONE' });
    const item = invoiceRequest({ journal: 'ITEM_INVOICES' });
    const outcomes = await adapter.postInvoices(ORG, [good, bad, item, good]);
    expect(outcomes[0]).toHaveProperty('entry');
    expect(outcomes[1]).toEqual({
      problems: [expect.objectContaining({ code: 'SUPPLIER_NOT_IN_LEDGER' })],
    });
    expect(outcomes[2]).toHaveProperty('entry');
    expect((outcomes[3] as { entry: { id: string } }).entry.id).toBe(
      (outcomes[0] as { entry: { id: string } }).entry.id,
    );
    expect(sent(good.reference)).toHaveLength(1);
  });
});

describe("accountsIQ's own refusals (master data changed since the adapter read it)", () => {
  /** Reads master data into the adapter's cache, then changes the company behind its back. */
  async function staleAdapter(change: () => void): Promise<AccountingSystem> {
    const a = fx.adapter();
    await a.validateInvoice(ORG, invoiceRequest());
    change();
    return a;
  }

  it.each([
    [
      'GLACCOUNT_IS_NOT_POSTING_OR_DOES_NOT_EXIST (gone)',
      'ACCOUNT_NOT_FOUND',
      'lines.0.accountCode',
      () => {
        fx.seed.glAccounts.push({ code: '5300', name: 'Temp', postable: true, active: true });
        return {
          line: '5300',
          undo: () =>
            void fx.seed.glAccounts.splice(
              fx.seed.glAccounts.findIndex((a) => a.code === '5300'),
              1,
            ),
        };
      },
    ],
    [
      'GLACCOUNT_IS_NOT_POSTING_OR_DOES_NOT_EXIST (not posting)',
      'ACCOUNT_NOT_POSTABLE',
      'lines.0.accountCode',
      () => {
        fx.seed.glAccounts.push({
          code: '5400',
          name: 'Soon header',
          postable: true,
          active: true,
        });
        return {
          line: '5400',
          undo: () => void (fx.seed.glAccounts.find((a) => a.code === '5400')!.postable = false),
        };
      },
    ],
  ])('%s → %s', async (_name, code, field, prepare) => {
    const { line, undo } = prepare();
    const a = await staleAdapter(undo);
    const r = invoiceRequest({
      lines: [
        {
          accountCode: line,
          costUnitCode: null,
          vatCode: 'S',
          netAmount: '100.00',
          vatAmount: '23.00',
          description: null,
        },
      ],
    });
    const [p] = await rejection(a.postInvoice(ORG, r));
    expect(p).toMatchObject({ code, field: field.split('.') });
    expect(p.message).toContain('accountsIQ GLACCOUNT_IS_NOT_POSTING_OR_DOES_NOT_EXIST');
    expect(sent(r.reference)).toHaveLength(0);
  });

  it('TAX_CODE_DOES_NOT_EXIST → VAT_CODE_INVALID, DEPARTMENT_DOES_NOT_EXIST → COST_UNIT_INVALID', async () => {
    fx.seed.taxCodes.push({ code: 'TMP', rate: '10.00' });
    fx.seed.departments.push({ code: 'TMPD', name: 'Temp' });
    const a = await staleAdapter(() => {
      fx.seed.taxCodes.pop();
      fx.seed.departments.pop();
    });
    const tax = invoiceRequest({
      grossAmount: '110.00',
      lines: [
        {
          accountCode: '5000',
          costUnitCode: null,
          vatCode: 'TMP',
          netAmount: '100.00',
          vatAmount: '10.00',
          description: null,
        },
      ],
    });
    expect(await rejection(a.postInvoice(ORG, tax))).toEqual([
      expect.objectContaining({ code: 'VAT_CODE_INVALID', field: ['lines', '0', 'vatCode'] }),
    ]);
    const dept = invoiceRequest({
      lines: [
        {
          accountCode: '5000',
          costUnitCode: 'TMPD',
          vatCode: 'S',
          netAmount: '100.00',
          vatAmount: '23.00',
          description: null,
        },
      ],
    });
    expect(await rejection(a.postInvoice(ORG, dept))).toEqual([
      expect.objectContaining({ code: 'COST_UNIT_INVALID', field: ['lines', '0', 'costUnitCode'] }),
    ]);
  });

  it('SUPPLIER_DOES_NOT_EXIST / SUPPLIER_IS_INACTIVE → SUPPLIER_NOT_IN_LEDGER, for invoices and payments', async () => {
    fx.seed.suppliers.push({ code: 'TEMPS', name: 'Temp supplier', active: true });
    const temps = fx.seed.suppliers.find((s) => s.code === 'TEMPS')!;
    const deactivatedBehindItsBack = async () => {
      temps.active = true;
      return staleAdapter(() => void (temps.active = false));
    };
    for (const journal of ['BATCH_INVOICES', 'ITEM_INVOICES'] as const) {
      const a = await deactivatedBehindItsBack();
      const [p] = await rejection(
        a.postInvoice(ORG, invoiceRequest({ journal, supplierAccountName: 'TEMPS' })),
      );
      expect(p).toMatchObject({ code: 'SUPPLIER_NOT_IN_LEDGER', field: ['supplierAccountName'] });
      expect(p.message).toMatch(/accountsIQ SUPPLIER_(IS_INACTIVE|DOES_NOT_EXIST)/);
    }
    const a = await deactivatedBehindItsBack();
    const pay = await rejection(
      a.postPayment(ORG, {
        idempotencyKey: 'pay-temps',
        supplierAccountName: 'TEMPS',
        reference: 'X',
        documentDate: '2026-03-05',
        closedPeriodPolicy: ClosedPeriodPolicy.SHIFT_TO_NEXT_OPEN,
        currency: 'EUR',
        amount: '5.00',
        description: null,
      }),
    );
    expect(pay).toEqual([expect.objectContaining({ code: 'SUPPLIER_NOT_IN_LEDGER' })]);
  });

  it('DATE_IS_OUT_OF_RANGE and NO_OPEN_PERIOD → PERIOD_LOCKED; CURRENCY_CODE_DOES_NOT_EXIST → VALIDATION', async () => {
    fx.seed.periods.push({ name: '2026/05', start: '2026-05-01', end: '2026-05-31', open: true });
    const a = await staleAdapter(() => {
      fx.seed.periods.pop();
      fx.seed.currencies!.push('SEK');
    });
    const out = await rejection(a.postInvoice(ORG, invoiceRequest({ documentDate: '2026-05-10' })));
    expect(out).toEqual([
      expect.objectContaining({ code: 'PERIOD_LOCKED', field: ['documentDate'] }),
    ]);
    expect(out[0].message).toContain('accountsIQ DATE_IS_OUT_OF_RANGE');
    fx.seed.currencies!.pop();
    const currency = await rejection(a.postInvoice(ORG, invoiceRequest({ currency: 'USD' })));
    expect(currency).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: ['currency'] }),
    ]);
    expect(currency[0].message).toContain('CURRENCY_CODE_DOES_NOT_EXIST');
  });
});

describe('accountsIQ payments and reversals', () => {
  const payment = (over: Record<string, unknown> = {}) => ({
    idempotencyKey: `pay-${Math.random()}`,
    supplierAccountName: 'ACME',
    reference: `PAY-${Math.floor(Math.random() * 1e6)}`,
    documentDate: '2026-03-20',
    closedPeriodPolicy: ClosedPeriodPolicy.SHIFT_TO_NEXT_OPEN,
    currency: 'EUR',
    amount: '123.00',
    description: 'Payment',
    ...over,
  });

  it('posts a purchase payment: creditors control against the bank, once per key', async () => {
    const p = payment();
    const entry = await adapter.postPayment(ORG, p);
    expect(entry).toMatchObject({
      journal: 'PAYMENTS',
      kind: 'PAYMENT',
      total: '123.00',
      period: { name: '2026/03' },
    });
    expect(entry.lines.map((l) => [l.accountCode, l.debit, l.credit])).toEqual([
      ['2100', '123.00', '0.00'],
      ['1200', '0.00', '123.00'],
    ]);
    await expect(adapter.postPayment(ORG, p)).resolves.toMatchObject({ id: entry.id });
    expect(sent(p.reference)).toHaveLength(1);
    const blocked = await rejection(
      adapter.postPayment(
        ORG,
        payment({ documentDate: '2026-01-05', closedPeriodPolicy: ClosedPeriodPolicy.BLOCK }),
      ),
    );
    expect(blocked).toEqual([expect.objectContaining({ code: 'PERIOD_LOCKED' })]);
  });

  it('reverses an invoice with a purchase credit note; the original stays untouched', async () => {
    for (const journal of ['BATCH_INVOICES', 'ITEM_INVOICES'] as const) {
      const r = invoiceRequest({ journal });
      const original = await adapter.postInvoice(ORG, r);
      const before = JSON.stringify(sent(r.reference)[0]);
      const rev = {
        idempotencyKey: `${r.idempotencyKey}:reversal`,
        entryId: original.id,
        documentDate: '2026-04-02',
        closedPeriodPolicy: ClosedPeriodPolicy.SHIFT_TO_NEXT_OPEN,
        description: null,
      };
      const reversal = await adapter.reverse(ORG, rev);
      expect(reversal).toMatchObject({
        kind: 'REVERSAL',
        reversesEntryId: original.id,
        total: '123.00',
        period: { name: '2026/04' },
      });
      expect(reversal.lines.map((l) => [l.accountCode, l.debit, l.credit])).toEqual(
        original.lines.map((l) => [l.accountCode, l.credit, l.debit]),
      );
      expect(JSON.stringify(sent(r.reference)[0])).toBe(before);
      await expect(adapter.getEntry(ORG, original.id)).resolves.toMatchObject({
        reversedByEntryId: reversal.id,
      });
      await expect(adapter.reverse(ORG, rev)).resolves.toMatchObject({ id: reversal.id });
      const twice = await rejection(
        adapter.reverse(ORG, { ...rev, idempotencyKey: `${rev.idempotencyKey}:2` }),
      );
      expect(twice).toEqual([expect.objectContaining({ code: 'VALIDATION', field: ['entryId'] })]);
      const ofReversal = await rejection(
        adapter.reverse(ORG, {
          ...rev,
          idempotencyKey: `${rev.idempotencyKey}:3`,
          entryId: reversal.id,
        }),
      );
      expect(ofReversal[0].message).toContain('itself a reversal');
      expect(sent(r.reference)).toHaveLength(2);
    }
  });

  it('reverses a payment with a negative payment, and a supplier credit note back', async () => {
    const p = payment();
    const paid = await adapter.postPayment(ORG, p);
    const rev = await adapter.reverse(ORG, {
      idempotencyKey: `${p.idempotencyKey}:rev`,
      entryId: paid.id,
      documentDate: '2026-03-25',
      closedPeriodPolicy: ClosedPeriodPolicy.BLOCK,
      description: null,
    });
    expect(rev).toMatchObject({
      kind: 'REVERSAL',
      journal: 'PAYMENTS',
      total: '-123.00',
      reversesEntryId: paid.id,
    });
    expect(rev.lines.map((l) => [l.accountCode, l.debit, l.credit])).toEqual([
      ['2100', '0.00', '123.00'],
      ['1200', '123.00', '0.00'],
    ]);
    const negative = await adapter.postInvoice(
      ORG,
      invoiceRequest({
        documentKind: 'CREDIT_NOTE',
        grossAmount: '-12.30',
        lines: [
          {
            accountCode: '5100',
            costUnitCode: null,
            vatCode: 'S',
            netAmount: '-10.00',
            vatAmount: '-2.30',
            description: null,
          },
        ],
      }),
    );
    const back = await adapter.reverse(ORG, {
      idempotencyKey: `${negative.idempotencyKey}:rev`,
      entryId: negative.id,
      documentDate: '2026-03-25',
      closedPeriodPolicy: ClosedPeriodPolicy.BLOCK,
      description: null,
    });
    expect(back.lines.map((l) => [l.accountCode, l.debit, l.credit])).toEqual(
      negative.lines.map((l) => [l.accountCode, l.credit, l.debit]),
    );
  });

  it('an unknown entry is ENTRY_NOT_FOUND; getEntry/getEntries skip what does not exist', async () => {
    const missing = await rejection(
      adapter.reverse(ORG, {
        idempotencyKey: 'rev-missing',
        entryId: '999999',
        documentDate: '2026-03-25',
        closedPeriodPolicy: ClosedPeriodPolicy.BLOCK,
        description: null,
      }),
    );
    expect(missing).toEqual([
      expect.objectContaining({ code: 'ENTRY_NOT_FOUND', field: ['entryId'] }),
    ]);
    const e = await adapter.postInvoice(ORG, invoiceRequest());
    await expect(adapter.getEntry(ORG, 'not-a-number')).resolves.toBeNull();
    const found = await adapter.getEntries(ORG, [e.id, '999999']);
    expect(found.map((x) => x.id)).toEqual([e.id]);
  });

  it('lists the documents each external reference finds, for the drift check', async () => {
    const r = invoiceRequest();
    const e = await adapter.postInvoice(ORG, r);
    const ref = externalReferenceFor(r.idempotencyKey);
    const docs = await adapter.listDocumentsByExternalReference([ref, 'LL-nothing']);
    expect(docs.get(ref)).toEqual([
      {
        transactionId: e.id,
        externalReference: ref,
        reference: r.reference,
        supplierCode: 'ACME',
        total: '123.00',
        periodName: '2026/03',
        postingDate: '2026-03-10',
      },
    ]);
    expect(docs.get('LL-nothing')).toEqual([]);
  });
});
