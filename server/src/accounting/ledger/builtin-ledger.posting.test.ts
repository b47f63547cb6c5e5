import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/db.js';
import { AccountingRejection, type AccountingProblem } from '../accounting-system.js';
import { BuiltinLedger } from './builtin-ledger.js';
import { createTestLedger, invoiceRequest, line, paymentRequest } from './ledger.fixtures.js';

async function rejection(p: Promise<unknown>): Promise<AccountingProblem[]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AccountingRejection) return err.problems;
    throw err;
  }
  throw new Error('expected an AccountingRejection');
}

describe('BuiltinLedger postings', () => {
  let db: TestDatabase;
  let ledger: BuiltinLedger;
  let org: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ledger = new BuiltinLedger(db.orm);
    org = await createTestLedger(db.orm);
  });
  afterAll(() => db.close());

  it('books an invoice: expenses and VAT receivable debited, accounts payable credited with the gross', async () => {
    const req = invoiceRequest({
      grossAmount: '302.22',
      lines: [
        line({
          accountCode: '4000',
          costUnitCode: 'HQ',
          vatCode: 'FI25.5',
          netAmount: '100.00',
          vatAmount: '25.50',
          description: 'A',
        }),
        line({
          accountCode: '7600',
          costUnitCode: null,
          vatCode: 'FI25.5',
          netAmount: '50.10',
          vatAmount: '12.78',
          description: 'B',
        }),
        line({
          accountCode: '4000',
          costUnitCode: 'SALES',
          vatCode: 'FI13.5',
          netAmount: '100.00',
          vatAmount: '13.50',
          description: 'C',
        }),
        line({
          accountCode: '7600',
          costUnitCode: 'HQ',
          vatCode: 'FI0',
          netAmount: '0.34',
          vatAmount: '0.00',
          description: 'D',
        }),
      ],
    });
    const entry = await ledger.postInvoice(org, req);
    expect(entry).toMatchObject({
      journal: 'ITEM_INVOICES',
      kind: 'INVOICE',
      reference: req.reference,
      supplierAccountName: 'ACME',
      idempotencyKey: req.idempotencyKey,
      documentDate: '2026-03-15',
      postingDate: '2026-03-15',
      currency: 'EUR',
      total: '302.22',
      reversesEntryId: null,
      reversedByEntryId: null,
    });
    expect(entry.period).toMatchObject({
      name: '2026-03',
      startDate: '2026-03-01',
      endDate: '2026-03-31',
      status: 'OPEN',
      fiscalYear: 2026,
    });
    expect(entry.createdAt).toBeInstanceOf(Date);
    expect(
      entry.lines.map((l) => [
        l.lineNo,
        l.accountCode,
        l.costUnitCode,
        l.vatCode,
        l.debit,
        l.credit,
      ]),
    ).toEqual([
      [1, '4000', 'HQ', 'FI25.5', '100.00', '0.00'],
      [2, '7600', null, 'FI25.5', '50.10', '0.00'],
      [3, '4000', 'SALES', 'FI13.5', '100.00', '0.00'],
      [4, '7600', 'HQ', 'FI0', '0.34', '0.00'],
      [5, '1763', null, 'FI25.5', '38.28', '0.00'],
      [6, '1763', null, 'FI13.5', '13.50', '0.00'],
      [7, '2871', null, null, '0.00', '302.22'],
    ]);
    expect(entry.lines[0].description).toBe('A');
    // What the database holds is what was returned.
    expect(await ledger.getEntry(org, entry.id)).toEqual(entry);
    const [sums] = await db.sql(
      `select sum(debit)::text as d, sum(credit)::text as c from ledger.entry_line where entry_id = $1`,
      [entry.id],
    );
    expect(sums).toEqual({ d: '302.22', c: '302.22' });
  });

  it('books reverse-charge VAT as receivable and payable, net × rate rounded half up', async () => {
    const entry = await ledger.postInvoice(
      org,
      invoiceRequest({
        grossAmount: '1000.02',
        lines: [
          line({ vatCode: 'EURC', netAmount: '1000.00', vatAmount: '0.00' }),
          line({ accountCode: '7600', vatCode: 'EURC', netAmount: '0.02', vatAmount: '0.00' }),
        ],
      }),
    );
    // 1000.02 × 25.5 % = 255.0051 → 255.01
    expect(entry.lines.map((l) => [l.accountCode, l.vatCode, l.debit, l.credit])).toEqual([
      ['4000', 'EURC', '1000.00', '0.00'],
      ['7600', 'EURC', '0.02', '0.00'],
      ['1763', 'EURC', '255.01', '0.00'],
      ['2939', 'EURC', '0.00', '255.01'],
      ['2871', null, '0.00', '1000.02'],
    ]);
    expect(entry.total).toBe('1255.03');
    const half = await ledger.postInvoice(
      org,
      invoiceRequest({
        grossAmount: '0.02',
        lines: [line({ vatCode: 'EURC', netAmount: '0.02', vatAmount: '0.00' })],
      }),
    );
    // 0.02 × 25.5 % = 0.0051 → 0.01
    expect(half.lines.find((l) => l.accountCode === '2939')?.credit).toBe('0.01');
  });

  it('books a credit note (negative amounts) on the opposite sides', async () => {
    const entry = await ledger.postInvoice(
      org,
      invoiceRequest({
        documentKind: 'CREDIT_NOTE',
        grossAmount: '-125.50',
        lines: [line({ netAmount: '-100.00', vatAmount: '-25.50' })],
      }),
    );
    expect(entry.lines.map((l) => [l.accountCode, l.debit, l.credit])).toEqual([
      ['4000', '0.00', '100.00'],
      ['1763', '0.00', '25.50'],
      ['2871', '125.50', '0.00'],
    ]);
    expect(entry.total).toBe('125.50');
    expect(entry.kind).toBe('CREDIT_NOTE');
  });

  it('is idempotent by key: a repeat returns the first entry, even with another request', async () => {
    const req = invoiceRequest();
    const first = await ledger.postInvoice(org, req);
    const again = await ledger.postInvoice(org, req);
    const different = await ledger.postInvoice(org, {
      ...req,
      reference: 'OTHER',
      grossAmount: '1.00',
      lines: [],
    });
    expect(again).toEqual(first);
    expect(different.id).toBe(first.id);
    expect(
      await db.sql(`select count(*)::int as n from ledger.entry where idempotency_key = $1`, [
        req.idempotencyKey,
      ]),
    ).toEqual([{ n: 1 }]);
    expect(await ledger.findByIdempotencyKey(org, req.idempotencyKey)).toEqual(first);
    expect(await ledger.validateInvoice(org, { ...req, lines: [] })).toEqual([]);
  });

  it('makes one entry of 10 concurrent posts with the same key', async () => {
    const req = invoiceRequest();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => ledger.postInvoice(org, req)),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(
      await db.sql(
        `select count(*)::int as n from ledger.entry where organization_id = $1 and idempotency_key = $2`,
        [org, req.idempotencyKey],
      ),
    ).toEqual([{ n: 1 }]);
  });

  it('refuses one of two concurrent posts of the same reference with different keys as DUPLICATE_REFERENCE', async () => {
    const reference = `RACE-${randomUUID()}`;
    const settled = await Promise.allSettled(
      Array.from({ length: 6 }, () => ledger.postInvoice(org, invoiceRequest({ reference }))),
    );
    const ok = settled.filter((s) => s.status === 'fulfilled');
    const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    expect(ok).toHaveLength(1);
    for (const f of failed) {
      expect(f.reason).toBeInstanceOf(AccountingRejection);
      expect((f.reason as AccountingRejection).problems.map((p) => p.code)).toEqual([
        'DUPLICATE_REFERENCE',
      ]);
    }
  });

  it('refuses a second live invoice with the same supplier and reference', async () => {
    const req = invoiceRequest();
    await ledger.postInvoice(org, req);
    const problems = await rejection(
      ledger.postInvoice(org, { ...req, idempotencyKey: randomUUID() }),
    );
    expect(problems).toEqual([
      expect.objectContaining({ code: 'DUPLICATE_REFERENCE', field: ['reference'] }),
    ]);
    // Another supplier may use the same invoice number.
    await expect(
      ledger.postInvoice(org, {
        ...req,
        idempotencyKey: randomUUID(),
        supplierAccountName: 'GLOBEX',
      }),
    ).resolves.toBeTruthy();
  });

  it.each([
    [
      'ACCOUNT_NOT_FOUND',
      { lines: [line({ accountCode: '9999' })] },
      ['lines', '0', 'accountCode'],
    ],
    [
      'ACCOUNT_NOT_POSTABLE',
      { lines: [line({ accountCode: '4' })] },
      ['lines', '0', 'accountCode'],
    ],
    [
      'ACCOUNT_NOT_POSTABLE',
      { lines: [line({ accountCode: '4990' })] },
      ['lines', '0', 'accountCode'],
    ],
    [
      'COST_UNIT_INVALID',
      { lines: [line({ costUnitCode: 'NOPE' })] },
      ['lines', '0', 'costUnitCode'],
    ],
    [
      'COST_UNIT_INVALID',
      { lines: [line({ costUnitCode: 'OLD' })] },
      ['lines', '0', 'costUnitCode'],
    ],
    ['VAT_CODE_INVALID', { lines: [line({ vatCode: 'NOPE' })] }, ['lines', '0', 'vatCode']],
    [
      'VAT_CODE_INVALID',
      { lines: [line({ vatCode: 'FI14', vatAmount: '14.00' })], grossAmount: '114.00' },
      ['lines', '0', 'vatCode'],
    ],
    [
      'VAT_CODE_INVALID',
      {
        documentDate: '2026-01-01',
        lines: [line({ vatCode: 'FI14', vatAmount: '14.00' })],
        grossAmount: '114.00',
      },
      ['lines', '0', 'vatCode'],
    ],
    ['SUPPLIER_NOT_IN_LEDGER', { supplierAccountName: 'NOBODY' }, ['supplierAccountName']],
    ['SUPPLIER_NOT_IN_LEDGER', { supplierAccountName: 'OLDCO' }, ['supplierAccountName']],
    ['UNBALANCED', { grossAmount: '125.51' }, ['grossAmount']],
    ['UNBALANCED', { lines: [] }, ['lines']],
    ['PERIOD_LOCKED', { documentDate: '2031-06-01' }, ['documentDate']],
    ['VALIDATION', { documentDate: '2026-02-30' }, ['documentDate']],
    ['VALIDATION', { lines: [line({ netAmount: '1.001' })] }, ['lines', '0', 'netAmount']],
    [
      'VALIDATION',
      { lines: [line({ vatCode: 'EURC', vatAmount: '25.50' })] },
      ['lines', '0', 'vatAmount'],
    ],
  ] as const)('rejects with %s (%j)', async (code, overrides, field) => {
    const req = invoiceRequest(overrides as never);
    const problems = await rejection(ledger.postInvoice(org, req));
    expect(problems).toEqual([expect.objectContaining({ code, field: [...field] })]);
    expect(problems[0].message.length).toBeGreaterThan(5);
    expect(await ledger.validateInvoice(org, req)).toEqual(problems);
    expect(await ledger.findByIdempotencyKey(org, req.idempotencyKey)).toBeNull();
  });

  it('accepts VAT codes on the edges of their validity (both ends inclusive)', async () => {
    const r1 = invoiceRequest({
      documentDate: '2026-01-01',
      lines: [line({ vatCode: 'FI13.5', vatAmount: '13.50' })],
      grossAmount: '113.50',
    });
    expect(await ledger.validateInvoice(org, r1)).toEqual([]);
    await db.sql(
      `update ledger.vat_code set valid_to = '2026-03-31' where organization_id = $1 and code = 'FI0'`,
      [org],
    );
    const r2 = invoiceRequest({
      documentDate: '2026-03-31',
      lines: [line({ vatCode: 'FI0', vatAmount: '0.00' })],
      grossAmount: '100.00',
    });
    expect(await ledger.validateInvoice(org, r2)).toEqual([]);
    expect(
      (await ledger.validateInvoice(org, { ...r2, documentDate: '2026-04-01' })).map((p) => p.code),
    ).toEqual(['VAT_CODE_INVALID']);
    await db.sql(
      `update ledger.vat_code set valid_to = null where organization_id = $1 and code = 'FI0'`,
      [org],
    );
  });

  it('reports every problem at once, each with its field', async () => {
    const existing = await ledger.postInvoice(
      org,
      invoiceRequest({ supplierAccountName: 'GLOBEX' }),
    );
    const problems = await rejection(
      ledger.postInvoice(
        org,
        invoiceRequest({
          supplierAccountName: 'GLOBEX',
          reference: existing.reference,
          grossAmount: '999.00',
          documentDate: '2031-01-15',
          lines: [
            line({ accountCode: 'X1' }),
            line({ accountCode: '4', costUnitCode: 'OLD' }),
            line({ vatCode: 'FI24', vatAmount: '24.00' }),
          ],
        }),
      ),
    );
    expect(problems.map((p) => [p.code, p.field])).toEqual([
      ['ACCOUNT_NOT_FOUND', ['lines', '0', 'accountCode']],
      ['ACCOUNT_NOT_POSTABLE', ['lines', '1', 'accountCode']],
      ['COST_UNIT_INVALID', ['lines', '1', 'costUnitCode']],
      ['VAT_CODE_INVALID', ['lines', '2', 'vatCode']],
      ['UNBALANCED', ['grossAmount']],
      ['DUPLICATE_REFERENCE', ['reference']],
      ['PERIOD_LOCKED', ['documentDate']],
    ]);
  });

  it('posts payments: accounts payable debited, bank credited; idempotent; supplier must exist', async () => {
    const req = paymentRequest({ amount: '125.50' });
    const entry = await ledger.postPayment(org, req);
    expect(entry).toMatchObject({
      journal: 'PAYMENTS',
      kind: 'PAYMENT',
      total: '125.50',
      postingDate: '2026-03-20',
    });
    expect(entry.lines.map((l) => [l.accountCode, l.debit, l.credit])).toEqual([
      ['2871', '125.50', '0.00'],
      ['1910', '0.00', '125.50'],
    ]);
    expect((await ledger.postPayment(org, req)).id).toBe(entry.id);
    expect(await ledger.findByReference(org, 'ACME', req.reference, 'PAYMENT')).toEqual(entry);
    expect(await ledger.findByReference(org, 'ACME', req.reference, 'INVOICE')).toBeNull();
    const problems = await rejection(
      ledger.postPayment(org, paymentRequest({ supplierAccountName: 'NOBODY', amount: '0' })),
    );
    expect(problems.map((p) => p.code).sort()).toEqual(['SUPPLIER_NOT_IN_LEDGER', 'VALIDATION']);
    const dup = await rejection(ledger.postPayment(org, { ...req, idempotencyKey: randomUUID() }));
    expect(dup.map((p) => p.code)).toEqual(['DUPLICATE_REFERENCE']);
  });

  it('reads master data, settings and periods', async () => {
    const md = await ledger.getMasterData(org);
    expect(md.accounts.find((a) => a.code === '4')).toEqual({
      code: '4',
      name: 'Materials and services',
      type: 'EXPENSE',
      postable: false,
      active: true,
    });
    expect(md.vatCodes.find((v) => v.code === 'FI25.5')).toEqual({
      code: 'FI25.5',
      name: 'Standard 25.5 %',
      rate: '25.50',
      reverseCharge: false,
      validFrom: '2024-09-01',
      validTo: null,
    });
    expect(md.costUnits.map((c) => c.code)).toEqual(['HQ', 'OLD', 'SALES']);
    expect(md.supplierAccounts.find((s) => s.accountName === 'OLDCO')).toEqual({
      accountName: 'OLDCO',
      name: 'Old Co',
      active: false,
    });
    expect(await ledger.getSettings(org)).toEqual({
      apLockDate: null,
      accountsPayableAccount: '2871',
      vatReceivableAccount: '1763',
      vatPayableAccount: '2939',
      bankAccount: '1910',
    });
    const periods = await ledger.listPeriods(org);
    expect(periods).toHaveLength(36);
    expect(periods.map((p) => p.startDate)).toEqual([...periods.map((p) => p.startDate)].sort());
    const y2028 = await ledger.listPeriods(org, 2028);
    expect(y2028.map((p) => `${p.name} ${p.startDate} ${p.endDate}`).slice(0, 3)).toEqual([
      '2028-01 2028-01-01 2028-01-31',
      '2028-02 2028-02-01 2028-02-29',
      '2028-03 2028-03-01 2028-03-31',
    ]);
    expect(await ledger.getMasterData(randomUUID())).toEqual({
      accounts: [],
      costUnits: [],
      vatCodes: [],
      supplierAccounts: [],
    });
    await expect(ledger.getSettings(randomUUID())).rejects.toBeInstanceOf(AccountingRejection);
  });

  it('lists entries newest first with a keyset cursor, filters and a total count', async () => {
    const org2 = await createTestLedger(db.orm);
    const made = [];
    for (let i = 0; i < 5; i++) {
      made.push(
        await ledger.postInvoice(
          org2,
          invoiceRequest({
            reference: `Find-${i}_x`,
            journal: i % 2 ? 'BATCH_INVOICES' : 'ITEM_INVOICES',
          }),
        ),
      );
    }
    await ledger.postPayment(org2, paymentRequest({ reference: 'PAY-1' }));
    const page1 = await ledger.listEntries(org2, { first: 2 });
    expect(page1.totalCount).toBe(6);
    expect(page1.hasNextPage).toBe(true);
    expect(page1.entries[0].reference).toBe('PAY-1');
    expect(page1.entries[1].id).toBe(made[4].id);
    const page2 = await ledger.listEntries(org2, { first: 10, after: page1.entries[1].id });
    expect(page2.entries.map((e) => e.id)).toEqual([
      made[3].id,
      made[2].id,
      made[1].id,
      made[0].id,
    ]);
    expect(page2.hasNextPage).toBe(false);
    expect(page2.entries[0].lines.length).toBeGreaterThan(1);
    const batch = await ledger.listEntries(org2, { first: 10, journal: 'BATCH_INVOICES' });
    expect(batch.entries.map((e) => e.id)).toEqual([made[3].id, made[1].id]);
    expect(batch.totalCount).toBe(2);
    const found = await ledger.listEntries(org2, { first: 10, reference: 'find-3' });
    expect(found.entries.map((e) => e.id)).toEqual([made[3].id]);
    // LIKE wildcards in the filter are taken literally.
    expect((await ledger.listEntries(org2, { first: 10, reference: '%' })).totalCount).toBe(0);
    expect((await ledger.listEntries(org2, { first: 10, reference: '_x' })).totalCount).toBe(5);
    const many = await ledger.getEntries(org2, [
      made[2].id,
      randomUUID(),
      made[0].id,
      'not-a-uuid',
    ]);
    expect(many.map((e) => e.id)).toEqual([made[2].id, made[0].id]);
  });

  describe('fast path', () => {
    it('posts plain invoices and payments in one statement once the organization is known', async () => {
      const fresh = new BuiltinLedger(db.orm);
      const org3 = await createTestLedger(db.orm);
      await fresh.postInvoice(org3, invoiceRequest());
      expect(fresh.stats).toMatchObject({ fastPath: 0, slowPath: 1 });
      const e = await fresh.postInvoice(org3, invoiceRequest({ journal: 'BATCH_INVOICES' }));
      await fresh.postPayment(org3, paymentRequest());
      expect(fresh.stats).toMatchObject({ fastPath: 2, slowPath: 1, fastPathErrors: 0 });
      expect(await fresh.getEntry(org3, e.id)).toEqual(e);
      // A new VAT code is learnt on the slow path first.
      const rc = invoiceRequest({
        grossAmount: '100.00',
        lines: [line({ vatCode: 'EURC', vatAmount: '0.00' })],
      });
      await fresh.postInvoice(org3, rc);
      await fresh.postInvoice(org3, { ...rc, idempotencyKey: randomUUID(), reference: 'RC-2' });
      expect(fresh.stats).toMatchObject({ fastPath: 3, slowPath: 2 });
      // Repeats, rejections and closed periods go the slow way and come out as before.
      expect((await fresh.postInvoice(org3, rc)).reference).toBe(rc.reference);
      expect(
        (await rejection(fresh.postInvoice(org3, { ...rc, idempotencyKey: randomUUID() })))[0].code,
      ).toBe('DUPLICATE_REFERENCE');
      expect(fresh.stats.fastPathErrors).toBe(0);
    });

    it('never books with stale settings or VAT rates', async () => {
      const fresh = new BuiltinLedger(db.orm);
      const org3 = await createTestLedger(db.orm);
      const rcLine = line({ vatCode: 'EURC', netAmount: '100.00', vatAmount: '0.00' });
      await fresh.postInvoice(org3, invoiceRequest({ grossAmount: '100.00', lines: [rcLine] }));
      await db.sql(
        `update ledger.vat_code set rate = 24.00 where organization_id = $1 and code = 'EURC'`,
        [org3],
      );
      await db.sql(
        `update ledger.settings set accounts_payable_account = '2870' where organization_id = $1`,
        [org3],
      );
      const e = await fresh.postInvoice(
        org3,
        invoiceRequest({ grossAmount: '100.00', lines: [rcLine] }),
      );
      expect(e.lines.map((l) => [l.accountCode, l.debit, l.credit])).toEqual([
        ['4000', '100.00', '0.00'],
        ['1763', '24.00', '0.00'],
        ['2939', '0.00', '24.00'],
        ['2870', '0.00', '100.00'],
      ]);
      // Learnt again: the next one is fast and right.
      const fast = fresh.stats.fastPath;
      const e2 = await fresh.postInvoice(
        org3,
        invoiceRequest({ grossAmount: '100.00', lines: [rcLine] }),
      );
      expect(fresh.stats.fastPath).toBe(fast + 1);
      expect(e2.lines.map((l) => l.accountCode)).toEqual(['4000', '1763', '2939', '2870']);
      // Master data turned invalid after it was learnt is still refused.
      await db.sql(
        `update ledger.account set active = false where organization_id = $1 and code = '7600'`,
        [org3],
      );
      const problems = await rejection(
        fresh.postInvoice(org3, invoiceRequest({ lines: [line({ accountCode: '7600' })] })),
      );
      expect(problems.map((p) => p.code)).toEqual(['ACCOUNT_NOT_POSTABLE']);
      await db.sql(
        `update ledger.vat_code set valid_to = '2026-01-31' where organization_id = $1 and code = 'FI25.5'`,
        [org3],
      );
      expect((await rejection(fresh.postInvoice(org3, invoiceRequest())))[0].code).toBe(
        'VAT_CODE_INVALID',
      );
      await db.sql(`update ledger.supplier_account set active = false where organization_id = $1`, [
        org3,
      ]);
      expect((await rejection(fresh.postPayment(org3, paymentRequest())))[0].code).toBe(
        'SUPPLIER_NOT_IN_LEDGER',
      );
    });
  });
});
