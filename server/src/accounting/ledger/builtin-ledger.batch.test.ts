import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClosedPeriodPolicy } from '../accounting.enums.js';
import { createTestDatabase, type TestDatabase } from '../../testing/db.js';
import {
  AccountingRejection,
  type AccountingProblem,
  type EntryInfo,
  type InvoicePostingOutcome,
  type InvoicePostingRequest,
} from '../accounting-system.js';
import { BuiltinLedger } from './builtin-ledger.js';
import { createTestLedger, invoiceRequest, line } from './ledger.fixtures.js';

function entryOf(o: InvoicePostingOutcome): EntryInfo {
  if (!('entry' in o)) throw new Error(`expected an entry, got ${JSON.stringify(o)}`);
  return o.entry;
}

function problemsOf(o: InvoicePostingOutcome): AccountingProblem[] {
  if (!('problems' in o)) throw new Error(`expected problems, got ${JSON.stringify(o)}`);
  return o.problems;
}

/** What postInvoice alone says of the same request (under a fresh key, so nothing is shared). */
async function aloneProblems(
  ledger: BuiltinLedger,
  org: string,
  r: InvoicePostingRequest,
): Promise<AccountingProblem[]> {
  try {
    await ledger.postInvoice(org, r);
  } catch (err) {
    if (err instanceof AccountingRejection) return err.problems;
    throw err;
  }
  throw new Error('expected an AccountingRejection');
}

describe('BuiltinLedger.postInvoices (batches)', () => {
  let db: TestDatabase;
  let ledger: BuiltinLedger;

  beforeAll(async () => {
    db = await createTestDatabase();
    ledger = new BuiltinLedger(db.orm);
  });
  afterAll(() => db.close());

  const count = async (org: string) =>
    (
      await db.sql(`select count(*)::int as n from ledger.entry where organization_id = $1`, [org])
    )[0].n as number;

  it('books every request in one fast statement, exactly as postInvoice would', async () => {
    const org = await createTestLedger(db.orm);
    // The first call of an organization learns its settings and VAT codes first.
    const requests = Array.from({ length: 20 }, (_, i) =>
      invoiceRequest({
        grossAmount: '239.00',
        lines: [
          line({ netAmount: '100.00', vatAmount: '25.50' }),
          line({
            accountCode: '7600',
            costUnitCode: null,
            vatCode: 'FI13.5',
            netAmount: '100.00',
            vatAmount: '13.50',
          }),
        ],
        documentDate: `2026-0${1 + (i % 9)}-1${i % 10}`,
      }),
    );
    const fastBefore = ledger.stats.fastPath;
    const outcomes = await ledger.postInvoices(org, requests);
    expect(ledger.stats.fastPath - fastBefore).toBe(20);
    expect(await count(org)).toBe(20);
    for (const [i, o] of outcomes.entries()) {
      const entry = entryOf(o);
      expect(entry).toMatchObject({
        idempotencyKey: requests[i].idempotencyKey,
        reference: requests[i].reference,
        documentDate: requests[i].documentDate,
        postingDate: requests[i].documentDate,
        total: '239.00',
      });
      expect(await ledger.getEntry(org, entry.id)).toEqual(entry);
    }
    // The same request alone gives the same lines.
    const alone = await ledger.postInvoice(org, {
      ...requests[0],
      idempotencyKey: 'alone',
      reference: 'ALONE',
    });
    expect(alone.lines).toEqual(entryOf(outcomes[0]).lines);
    expect(alone.period).toEqual(entryOf(outcomes[0]).period);
  });

  it('is idempotent per key: a replayed batch returns the first entries and writes nothing', async () => {
    const org = await createTestLedger(db.orm);
    const earlier = invoiceRequest();
    const single = await ledger.postInvoice(org, earlier);
    const requests = [invoiceRequest(), earlier, invoiceRequest()];
    const first = (await ledger.postInvoices(org, requests)).map(entryOf);
    expect(first[1]).toEqual(single);
    expect(await count(org)).toBe(3);
    const again = (await ledger.postInvoices(org, requests)).map(entryOf);
    expect(again).toEqual(first);
    // A repeat with another body still returns the key's entry, as postInvoice does.
    const changed = await ledger.postInvoices(org, [
      { ...requests[0], reference: 'OTHER', grossAmount: '1.00', lines: [] },
    ]);
    expect(entryOf(changed[0]).id).toBe(first[0].id);
    // The same key twice in one batch: one entry.
    const twice = invoiceRequest();
    const both = (await ledger.postInvoices(org, [twice, twice])).map(entryOf);
    expect(both[0].id).toBe(both[1].id);
    expect(await count(org)).toBe(4);
  });

  it('refuses the bad requests with what postInvoice says, and books the others', async () => {
    const org = await createTestLedger(db.orm);
    const taken = invoiceRequest();
    await ledger.postInvoice(org, taken);
    const good = () => invoiceRequest();
    const bad: InvoicePostingRequest[] = [
      invoiceRequest({ lines: [line({ accountCode: '9999' })] }),
      invoiceRequest({ grossAmount: '999.00' }),
      invoiceRequest({ supplierAccountName: 'OLDCO' }),
      invoiceRequest({ reference: taken.reference }),
      invoiceRequest({ lines: [line({ vatCode: 'NOPE' })] }),
      invoiceRequest({ currency: 'euro' }),
      { ...invoiceRequest(), idempotencyKey: '' },
    ];
    const requests = [good(), ...bad.slice(0, 3), good(), ...bad.slice(3), good()];
    const outcomes = await ledger.postInvoices(org, requests);
    const codes = outcomes.map((o) => ('entry' in o ? 'ok' : problemsOf(o).map((p) => p.code)));
    expect(codes).toEqual([
      'ok',
      ['ACCOUNT_NOT_FOUND'],
      ['UNBALANCED'],
      ['SUPPLIER_NOT_IN_LEDGER'],
      'ok',
      ['DUPLICATE_REFERENCE'],
      ['VAT_CODE_INVALID'],
      ['VALIDATION'],
      ['VALIDATION'],
      'ok',
    ]);
    for (const [i, r] of requests.entries()) {
      if ('entry' in outcomes[i] || !r.idempotencyKey) continue;
      const alone = await aloneProblems(ledger, org, {
        ...r,
        idempotencyKey: `${r.idempotencyKey}:alone`,
      });
      // Entry ids in messages differ only for a duplicate found; codes and fields are the same.
      expect(problemsOf(outcomes[i]).map((p) => [p.code, p.field])).toEqual(
        alone.map((p) => [p.code, p.field]),
      );
    }
    expect(await count(org)).toBe(4);
  });

  it('refuses the second of two requests with the same reference in one batch', async () => {
    const org = await createTestLedger(db.orm);
    const a = invoiceRequest();
    const b = invoiceRequest({ reference: a.reference });
    const outcomes = await ledger.postInvoices(org, [a, b]);
    expect(entryOf(outcomes[0]).idempotencyKey).toBe(a.idempotencyKey);
    expect(problemsOf(outcomes[1]).map((p) => p.code)).toEqual(['DUPLICATE_REFERENCE']);
  });

  it('applies the period rule per request: shifts under SHIFT_TO_NEXT_OPEN, refuses under BLOCK', async () => {
    const org = await createTestLedger(db.orm);
    const [{ id: march }] = await db.sql(
      `select id from ledger.period where organization_id = $1 and name = '2026-03'`,
      [org],
    );
    await ledger.closePeriod(org, march);
    await ledger.setLockDate(org, '2026-04-02');
    const requests = [
      invoiceRequest({ documentDate: '2026-03-15' }),
      invoiceRequest({ documentDate: '2026-03-15', closedPeriodPolicy: ClosedPeriodPolicy.BLOCK }),
      invoiceRequest({ documentDate: '2026-05-10' }),
      invoiceRequest({ documentDate: '2026-04-01' }),
      invoiceRequest({ documentDate: '2026-04-01', closedPeriodPolicy: ClosedPeriodPolicy.BLOCK }),
    ];
    const outcomes = await ledger.postInvoices(org, requests);
    expect(entryOf(outcomes[0])).toMatchObject({
      documentDate: '2026-03-15',
      postingDate: '2026-04-03',
      period: { name: '2026-04' },
    });
    expect(problemsOf(outcomes[1]).map((p) => p.code)).toEqual(['PERIOD_LOCKED']);
    expect(entryOf(outcomes[2])).toMatchObject({
      postingDate: '2026-05-10',
      period: { name: '2026-05' },
    });
    // On or before the lock date: the next open period after April's.
    expect(entryOf(outcomes[3])).toMatchObject({
      documentDate: '2026-04-01',
      postingDate: '2026-05-01',
      period: { name: '2026-05' },
    });
    expect(problemsOf(outcomes[4]).map((p) => p.code)).toEqual(['PERIOD_LOCKED']);
    expect(await count(org)).toBe(3);
  });

  it('keeps each entry balanced and never posts twice under concurrent overlapping batches', async () => {
    const org = await createTestLedger(db.orm);
    const requests = Array.from({ length: 30 }, () => invoiceRequest());
    const runs = await Promise.all([
      ledger.postInvoices(org, requests.slice(0, 20)),
      ledger.postInvoices(org, requests.slice(10, 30)),
      ledger.postInvoices(org, requests.slice(5, 25).reverse()),
    ]);
    const byKey = new Map<string, string>();
    for (const o of runs.flat()) {
      const e = entryOf(o);
      expect(byKey.get(e.idempotencyKey) ?? e.id).toBe(e.id);
      byKey.set(e.idempotencyKey, e.id);
    }
    expect(byKey.size).toBe(30);
    expect(await count(org)).toBe(30);
    const unbalanced = await db.sql(
      `select e.id from ledger.entry e join ledger.entry_line l on l.entry_id = e.id where e.organization_id = $1
        group by e.id, e.total having sum(l.debit) <> sum(l.credit) or sum(l.debit) <> e.total`,
      [org],
    );
    expect(unbalanced).toEqual([]);
  });

  it('answers an unknown organization per request, writing nothing', async () => {
    const outcomes = await ledger.postInvoices('not-a-uuid', [invoiceRequest(), invoiceRequest()]);
    expect(outcomes.map((o) => problemsOf(o).map((p) => p.code))).toEqual([
      ['VALIDATION'],
      ['VALIDATION'],
    ]);
    expect(await ledger.postInvoices(await createTestLedger(db.orm), [])).toEqual([]);
  });
});
