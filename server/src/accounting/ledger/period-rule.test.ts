import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClosedPeriodPolicy } from '../accounting.enums.js';
import { initOrm } from '../../orm.js';
import { createTestDatabase, type TestDatabase } from '../../testing/db.js';
import { AccountingRejection } from '../accounting-system.js';
import { BuiltinLedger } from './builtin-ledger.js';
import { addDays, daysInMonth, isIsoDate } from './dates.js';
import { createTestLedger, invoiceRequest, paymentRequest } from './ledger.fixtures.js';
import { fiscalYearPeriods } from './ledger-setup.js';

describe('dates', () => {
  it('knows real calendar dates, leap years and month ends', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2100-02-29')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2026-04-31')).toBe(false);
    expect(isIsoDate('2026-4-01')).toBe(false);
    expect(isIsoDate('2026-04-01T00:00:00Z')).toBe(false);
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-02-29', 1)).toBe('2028-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30'); // a DST change weekend in Europe
  });

  it('builds the 12 monthly periods of a fiscal year, also one not starting in January', () => {
    const y = fiscalYearPeriods(2027, 7);
    expect(y[0]).toEqual({ name: '2027-07', startDate: '2027-07-01', endDate: '2027-07-31' });
    expect(y[7]).toEqual({ name: '2028-02', startDate: '2028-02-01', endDate: '2028-02-29' });
    expect(y[11]).toEqual({ name: '2028-06', startDate: '2028-06-01', endDate: '2028-06-30' });
  });
});

describe('period rule', () => {
  let db: TestDatabase;
  let ledger: BuiltinLedger;

  beforeAll(async () => {
    db = await createTestDatabase();
    ledger = new BuiltinLedger(db.orm);
  });
  afterAll(() => db.close());

  async function periodId(org: string, name: string): Promise<string> {
    return (
      await db.sql(`select id from ledger.period where organization_id = $1 and name = $2`, [
        org,
        name,
      ])
    )[0].id;
  }
  async function close(org: string, ...names: string[]) {
    for (const n of names) await ledger.closePeriod(org, await periodId(org, n));
  }
  async function post(
    org: string,
    documentDate: string,
    policy = ClosedPeriodPolicy.SHIFT_TO_NEXT_OPEN,
  ) {
    const e = await ledger.postInvoice(
      org,
      invoiceRequest({ documentDate, closedPeriodPolicy: policy }),
    );
    return { documentDate: e.documentDate, postingDate: e.postingDate, period: e.period.name };
  }
  async function refused(p: Promise<unknown>) {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AccountingRejection);
    return (err as AccountingRejection).problems;
  }

  it('picks the period of the document date, on the first and last day of a month', async () => {
    const org = await createTestLedger(db.orm);
    expect(await post(org, '2026-03-01')).toEqual({
      documentDate: '2026-03-01',
      postingDate: '2026-03-01',
      period: '2026-03',
    });
    expect(await post(org, '2026-03-31')).toEqual({
      documentDate: '2026-03-31',
      postingDate: '2026-03-31',
      period: '2026-03',
    });
    expect(await post(org, '2026-02-28')).toEqual({
      documentDate: '2026-02-28',
      postingDate: '2026-02-28',
      period: '2026-02',
    });
    expect(await post(org, '2026-12-31')).toEqual({
      documentDate: '2026-12-31',
      postingDate: '2026-12-31',
      period: '2026-12',
    });
    expect(await post(org, '2027-01-01')).toEqual({
      documentDate: '2027-01-01',
      postingDate: '2027-01-01',
      period: '2027-01',
    });
  });

  it('shifts a document of a closed period to the first day of the next open period', async () => {
    const org = await createTestLedger(db.orm);
    await close(org, '2026-03');
    expect(await post(org, '2026-03-15')).toEqual({
      documentDate: '2026-03-15',
      postingDate: '2026-04-01',
      period: '2026-04',
    });
    expect(await post(org, '2026-03-31')).toEqual({
      documentDate: '2026-03-31',
      postingDate: '2026-04-01',
      period: '2026-04',
    });
    await close(org, '2026-04', '2026-05');
    expect(await post(org, '2026-03-01')).toEqual({
      documentDate: '2026-03-01',
      postingDate: '2026-06-01',
      period: '2026-06',
    });
    // Across the fiscal year end.
    await close(org, '2026-12');
    expect(await post(org, '2026-12-31')).toMatchObject({
      postingDate: '2027-01-01',
      period: '2027-01',
    });
  });

  it('refuses with PERIOD_LOCKED under BLOCK', async () => {
    const org = await createTestLedger(db.orm);
    await close(org, '2026-03');
    const problems = await refused(
      ledger.postInvoice(
        org,
        invoiceRequest({
          documentDate: '2026-03-15',
          closedPeriodPolicy: ClosedPeriodPolicy.BLOCK,
        }),
      ),
    );
    expect(problems).toEqual([
      expect.objectContaining({ code: 'PERIOD_LOCKED', field: ['documentDate'] }),
    ]);
    expect(problems[0].message).toMatch(/2026-03 is closed/);
    await ledger.setLockDate(org, '2026-04-10');
    const locked = await refused(
      ledger.postInvoice(
        org,
        invoiceRequest({
          documentDate: '2026-04-10',
          closedPeriodPolicy: ClosedPeriodPolicy.BLOCK,
        }),
      ),
    );
    expect(locked[0].message).toMatch(/lock date 2026-04-10/);
    expect(await post(org, '2026-04-11', ClosedPeriodPolicy.BLOCK)).toMatchObject({
      postingDate: '2026-04-11',
      period: '2026-04',
    });
  });

  it('posts the day after the lock date when it falls inside the next open period', async () => {
    const org = await createTestLedger(db.orm);
    await close(org, '2026-03');
    await ledger.setLockDate(org, '2026-04-10');
    expect(await post(org, '2026-03-15')).toEqual({
      documentDate: '2026-03-15',
      postingDate: '2026-04-11',
      period: '2026-04',
    });
    // A document on the lock date in an open period moves on too.
    expect(await post(org, '2026-04-10')).toEqual({
      documentDate: '2026-04-10',
      postingDate: '2026-05-01',
      period: '2026-05',
    });
    // Lock date on the last day of the next period: the one after it.
    await ledger.setLockDate(org, '2026-04-30');
    expect(await post(org, '2026-03-15')).toMatchObject({
      postingDate: '2026-05-01',
      period: '2026-05',
    });
    // Lock date on a month end with that month open: the next month's first day.
    await ledger.setLockDate(org, '2026-05-31');
    expect(await post(org, '2026-05-31')).toMatchObject({
      postingDate: '2026-06-01',
      period: '2026-06',
    });
    expect(await post(org, '2026-06-01')).toMatchObject({
      postingDate: '2026-06-01',
      period: '2026-06',
    });
  });

  it('handles the leap day 2028-02-29', async () => {
    const org = await createTestLedger(db.orm);
    expect(await post(org, '2028-02-29')).toEqual({
      documentDate: '2028-02-29',
      postingDate: '2028-02-29',
      period: '2028-02',
    });
    await ledger.setLockDate(org, '2028-02-28');
    expect(await post(org, '2028-02-29')).toMatchObject({
      postingDate: '2028-02-29',
      period: '2028-02',
    });
    await ledger.setLockDate(org, '2028-02-29');
    expect(await post(org, '2028-02-29')).toEqual({
      documentDate: '2028-02-29',
      postingDate: '2028-03-01',
      period: '2028-03',
    });
    await ledger.setLockDate(org, null);
    await close(org, '2028-02');
    expect(await post(org, '2028-02-29')).toMatchObject({
      postingDate: '2028-03-01',
      period: '2028-03',
    });
    await close(org, '2028-01');
    await ledger.setLockDate(org, '2028-02-29');
    expect(await post(org, '2028-01-31')).toMatchObject({
      postingDate: '2028-03-01',
      period: '2028-03',
    });
  });

  it('refuses with PERIOD_LOCKED when no open period follows, or none covers the date', async () => {
    const org = await createTestLedger(db.orm);
    await close(org, '2028-12');
    const none = await refused(
      ledger.postInvoice(org, invoiceRequest({ documentDate: '2028-12-15' })),
    );
    expect(none).toEqual([
      expect.objectContaining({ code: 'PERIOD_LOCKED', field: ['documentDate'] }),
    ]);
    expect(none[0].message).toMatch(/no open period follows/);
    await ledger.setLockDate(org, '2028-11-30');
    await close(org, '2028-11');
    expect(
      (await refused(ledger.postInvoice(org, invoiceRequest({ documentDate: '2028-10-15' }))))[0]
        .code,
    ).toBe('PERIOD_LOCKED');
    const uncovered = await refused(
      ledger.postInvoice(org, invoiceRequest({ documentDate: '2025-06-30' })),
    );
    expect(uncovered[0]).toMatchObject({ code: 'PERIOD_LOCKED' });
    expect(uncovered[0].message).toMatch(/no accounting period covers 2025-06-30/);
  });

  it('applies the rule to payments and reversals too', async () => {
    const org = await createTestLedger(db.orm);
    const inv = await ledger.postInvoice(org, invoiceRequest({ documentDate: '2026-02-10' }));
    await close(org, '2026-02');
    const pay = await ledger.postPayment(org, paymentRequest({ documentDate: '2026-02-20' }));
    expect([pay.documentDate, pay.postingDate, pay.period.name]).toEqual([
      '2026-02-20',
      '2026-03-01',
      '2026-03',
    ]);
    const rev = await ledger.reverse(org, {
      idempotencyKey: 'rev-1',
      entryId: inv.id,
      documentDate: '2026-02-25',
      closedPeriodPolicy: ClosedPeriodPolicy.SHIFT_TO_NEXT_OPEN,
      description: null,
    });
    expect([rev.postingDate, rev.period.name]).toEqual(['2026-03-01', '2026-03']);
    const blocked = await refused(
      ledger.postPayment(
        org,
        paymentRequest({
          documentDate: '2026-02-20',
          closedPeriodPolicy: ClosedPeriodPolicy.BLOCK,
        }),
      ),
    );
    expect(blocked[0].code).toBe('PERIOD_LOCKED');
  });

  // The admin acts from another process (an API replica) while a worker's pool is busy posting.
  /** Starts `n` postings; resolves `started` once `after` of them have committed. */
  function postMany(
    n: number,
    after: number,
    make: (i: number) => Promise<{ postingDate: string; period: { name: string } }>,
  ) {
    let done = 0;
    let signal: () => void = () => {};
    const started = new Promise<void>((resolve) => (signal = resolve));
    const all = Array.from({ length: n }, (_, i) =>
      make(i).finally(() => {
        if (++done === after) signal();
      }),
    );
    return { started, results: Promise.allSettled(all) };
  }

  async function adminLedger() {
    const orm = await initOrm(db.url, undefined, 2);
    return { admin: new BuiltinLedger(orm), close: () => orm.close(true) };
  }

  it('never lets an entry land in a period closed while postings run', async () => {
    const org = await createTestLedger(db.orm);
    const { admin, close: closeAdmin } = await adminLedger();
    const march = await periodId(org, '2026-03');
    // Some postings before the close, so March has entries of its own.
    for (let i = 0; i < 5; i++) await post(org, '2026-03-20');
    const run = postMany(300, 30, (i) =>
      ledger.postInvoice(
        org,
        invoiceRequest({ documentDate: `2026-03-${String(1 + (i % 31)).padStart(2, '0')}` }),
      ),
    );
    await run.started;
    await admin.closePeriod(org, march);
    await closeAdmin();
    const [{ n: atClose }] = await db.sql(
      `select count(*)::int as n from ledger.entry where period_id = $1`,
      [march],
    );
    const results = await run.results;
    // The share locks make closing wait for in-flight postings, so none fails at insert either.
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const [{ n: after }] = await db.sql(
      `select count(*)::int as n from ledger.entry where period_id = $1`,
      [march],
    );
    expect(after).toBe(atClose);
    const landed = results.map(
      (r) => (r as PromiseFulfilledResult<{ period: { name: string } }>).value.period.name,
    );
    expect(new Set(landed)).toEqual(
      new Set(landed.filter((n) => n === '2026-03' || n === '2026-04')),
    );
    expect(landed).toContain('2026-04');
    // The only entries in a closed period are those committed before it closed.
    const inClosed = await db.sql(
      `select count(*)::int as n from ledger.entry e join ledger.period p on p.id = e.period_id
       where e.organization_id = $1 and p.status = 'CLOSED'`,
      [org],
    );
    expect(inClosed[0].n).toBe(atClose);
  });

  it('never posts on or before a lock date moved while postings run', async () => {
    const org = await createTestLedger(db.orm);
    const { admin, close: closeAdmin } = await adminLedger();
    const run = postMany(300, 30, () =>
      ledger.postInvoice(org, invoiceRequest({ documentDate: '2026-05-10' })),
    );
    await run.started;
    await admin.setLockDate(org, '2026-05-31');
    await closeAdmin();
    const [{ n: atLock }] = await db.sql(
      `select count(*)::int as n from ledger.entry where organization_id = $1 and posting_date <= '2026-05-31'`,
      [org],
    );
    const results = await run.results;
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const [{ n: after }] = await db.sql(
      `select count(*)::int as n from ledger.entry where organization_id = $1 and posting_date <= '2026-05-31'`,
      [org],
    );
    expect(after).toBe(atLock);
    expect(
      results.some((r) => r.status === 'fulfilled' && r.value.postingDate === '2026-06-01'),
    ).toBe(true);
  });
});
