import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClosedPeriodPolicy } from '../accounting.enums.js';
import { createTestDatabase, type TestDatabase } from '../../testing/db.js';
import {
  AccountingRejection,
  type AccountingProblem,
  type ReversalRequest,
} from '../accounting-system.js';
import { BuiltinLedger } from './builtin-ledger.js';
import { createTestLedger, invoiceRequest } from './ledger.fixtures.js';

async function problems(p: Promise<unknown>): Promise<AccountingProblem[]> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof AccountingRejection))
    throw new Error(`expected an AccountingRejection, got ${String(err)}`);
  return err.problems;
}

function reversal(entryId: string, overrides: Partial<ReversalRequest> = {}): ReversalRequest {
  return {
    idempotencyKey: randomUUID(),
    entryId,
    documentDate: '2026-04-05',
    closedPeriodPolicy: ClosedPeriodPolicy.SHIFT_TO_NEXT_OPEN,
    description: 'Removed from accounting',
    ...overrides,
  };
}

describe('reversals, moves and tenant isolation', () => {
  let db: TestDatabase;
  let ledger: BuiltinLedger;
  let org: string;
  let other: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ledger = new BuiltinLedger(db.orm);
    org = await createTestLedger(db.orm);
    other = await createTestLedger(db.orm);
  });
  afterAll(() => db.close());

  async function periodId(organizationId: string, name: string): Promise<string> {
    return (
      await db.sql(`select id from ledger.period where organization_id = $1 and name = $2`, [
        organizationId,
        name,
      ])
    )[0].id;
  }

  it('reverses an entry with its mirror and marks the original; idempotent by key', async () => {
    const original = await ledger.postInvoice(org, invoiceRequest());
    const req = reversal(original.id);
    const rev = await ledger.reverse(org, req);
    expect(rev).toMatchObject({
      kind: 'REVERSAL',
      journal: original.journal,
      reference: original.reference,
      supplierAccountName: 'ACME',
      reversesEntryId: original.id,
      reversedByEntryId: null,
      total: original.total,
      documentDate: '2026-04-05',
      postingDate: '2026-04-05',
      description: 'Removed from accounting',
    });
    expect(
      rev.lines.map((l) => [l.accountCode, l.costUnitCode, l.vatCode, l.debit, l.credit]),
    ).toEqual(
      original.lines.map((l) => [l.accountCode, l.costUnitCode, l.vatCode, l.credit, l.debit]),
    );
    expect((await ledger.getEntry(org, original.id))?.reversedByEntryId).toBe(rev.id);
    expect((await ledger.reverse(org, req)).id).toBe(rev.id);
    // The original is no longer live: the reference is free for a corrected invoice.
    expect(await ledger.findByReference(org, 'ACME', original.reference, 'INVOICE')).toBeNull();
    const corrected = await ledger.postInvoice(
      org,
      invoiceRequest({ reference: original.reference }),
    );
    expect(await ledger.findByReference(org, 'ACME', original.reference, 'INVOICE')).toEqual(
      corrected,
    );
    expect((await ledger.findByReference(org, 'ACME', original.reference, 'REVERSAL'))?.id).toBe(
      rev.id,
    );
  });

  it('refuses to reverse twice (VALIDATION), a reversal, or an unknown entry (ENTRY_NOT_FOUND)', async () => {
    const original = await ledger.postInvoice(org, invoiceRequest());
    const rev = await ledger.reverse(org, reversal(original.id));
    expect(await problems(ledger.reverse(org, reversal(original.id)))).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: ['entryId'] }),
    ]);
    expect((await problems(ledger.reverse(org, reversal(rev.id))))[0].code).toBe('VALIDATION');
    expect(await problems(ledger.reverse(org, reversal(randomUUID())))).toEqual([
      expect.objectContaining({ code: 'ENTRY_NOT_FOUND' }),
    ]);
    expect((await problems(ledger.reverse(org, reversal('nope'))))[0].code).toBe('ENTRY_NOT_FOUND');
  });

  it('reverses once under concurrency: same key → same entry, other keys → VALIDATION', async () => {
    const original = await ledger.postInvoice(org, invoiceRequest());
    const req = reversal(original.id);
    const same = await Promise.all(Array.from({ length: 5 }, () => ledger.reverse(org, req)));
    expect(new Set(same.map((r) => r.id)).size).toBe(1);
    const original2 = await ledger.postInvoice(org, invoiceRequest());
    const settled = await Promise.allSettled(
      Array.from({ length: 5 }, () => ledger.reverse(org, reversal(original2.id))),
    );
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    const [{ n }] = await db.sql(
      `select count(*)::int as n from ledger.entry where reverses_entry_id = $1`,
      [original2.id],
    );
    expect(n).toBe(1);
  });

  it('reverses an entry of a closed period into an open one; BLOCK refuses', async () => {
    const original = await ledger.postInvoice(org, invoiceRequest({ documentDate: '2026-06-10' }));
    await ledger.closePeriod(org, await periodId(org, '2026-06'));
    expect(
      await problems(
        ledger.reverse(
          org,
          reversal(original.id, {
            documentDate: '2026-06-20',
            closedPeriodPolicy: ClosedPeriodPolicy.BLOCK,
          }),
        ),
      ),
    ).toEqual([expect.objectContaining({ code: 'PERIOD_LOCKED' })]);
    const rev = await ledger.reverse(org, reversal(original.id, { documentDate: '2026-06-20' }));
    expect([rev.postingDate, rev.period.name]).toEqual(['2026-07-01', '2026-07']);
  });

  it('moves an entry to another open period: its own date if inside, else the first day', async () => {
    const entry = await ledger.postInvoice(org, invoiceRequest({ documentDate: '2026-08-14' }));
    const sept = await ledger.moveEntryToPeriod(org, entry.id, await periodId(org, '2026-09'));
    expect([sept.documentDate, sept.postingDate, sept.period.name]).toEqual([
      '2026-08-14',
      '2026-09-01',
      '2026-09',
    ]);
    const back = await ledger.moveEntryToPeriod(org, entry.id, await periodId(org, '2026-08'));
    expect([back.postingDate, back.period.name]).toEqual(['2026-08-14', '2026-08']);
    expect(back.lines).toEqual(entry.lines);
    // Into a period the lock date falls in: the day after the lock date.
    await ledger.moveEntryToPeriod(org, entry.id, await periodId(org, '2026-09'));
    await ledger.setLockDate(org, '2026-08-20');
    const locked = await ledger.moveEntryToPeriod(org, entry.id, await periodId(org, '2026-08'));
    expect([locked.postingDate, locked.period.name]).toEqual(['2026-08-21', '2026-08']);
    await ledger.setLockDate(org, null);
  });

  it('refuses moves into a closed or locked period, or out of one', async () => {
    const entry = await ledger.postInvoice(org, invoiceRequest({ documentDate: '2026-10-14' }));
    const nov = await periodId(org, '2026-11');
    await ledger.closePeriod(org, nov);
    expect(await problems(ledger.moveEntryToPeriod(org, entry.id, nov))).toEqual([
      expect.objectContaining({ code: 'PERIOD_LOCKED', field: ['periodId'] }),
    ]);
    await ledger.reopenPeriod(org, nov);
    // Out of a closed period.
    const oct = await periodId(org, '2026-10');
    await ledger.closePeriod(org, oct);
    expect(await problems(ledger.moveEntryToPeriod(org, entry.id, nov))).toEqual([
      expect.objectContaining({ code: 'PERIOD_LOCKED', field: ['entryId'] }),
    ]);
    await ledger.reopenPeriod(org, oct);
    // Out of, or into, a locked range.
    await ledger.setLockDate(org, '2026-10-31');
    expect((await problems(ledger.moveEntryToPeriod(org, entry.id, nov)))[0].code).toBe(
      'PERIOD_LOCKED',
    );
    await ledger.setLockDate(org, '2026-10-01');
    expect(
      await problems(ledger.moveEntryToPeriod(org, entry.id, await periodId(org, '2026-09'))),
    ).toEqual([expect.objectContaining({ code: 'PERIOD_LOCKED', field: ['periodId'] })]);
    await ledger.setLockDate(org, null);
    expect(
      (await problems(ledger.moveEntryToPeriod(org, entry.id, randomUUID())))[0],
    ).toMatchObject({ code: 'VALIDATION', field: ['periodId'] });
    expect((await problems(ledger.moveEntryToPeriod(org, randomUUID(), nov)))[0].code).toBe(
      'ENTRY_NOT_FOUND',
    );
  });

  it('closes and reopens periods, sets the lock date; unknown periods are VALIDATION errors', async () => {
    const id = await periodId(org, '2027-05');
    const closed = await ledger.closePeriod(org, id);
    expect(closed).toMatchObject({ id, name: '2027-05', status: 'CLOSED' });
    expect((await ledger.closePeriod(org, id)).status).toBe('CLOSED');
    const [{ closed_at }] = await db.sql(`select closed_at from ledger.period where id = $1`, [id]);
    expect(closed_at).not.toBeNull();
    expect((await ledger.reopenPeriod(org, id)).status).toBe('OPEN');
    expect((await ledger.setLockDate(org, '2026-01-31')).apLockDate).toBe('2026-01-31');
    expect((await ledger.setLockDate(org, null)).apLockDate).toBeNull();
    expect(await problems(ledger.closePeriod(org, randomUUID()))).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: ['periodId'] }),
    ]);
    expect((await problems(ledger.reopenPeriod(org, 'garbage')))[0].code).toBe('VALIDATION');
    expect((await problems(ledger.setLockDate(org, '2026-02-30')))[0].code).toBe('VALIDATION');
  });

  it("isolates tenants: another organization's entries and periods behave exactly like missing ones", async () => {
    const mine = await ledger.postInvoice(org, invoiceRequest());
    const myPeriod = await periodId(org, '2026-03');
    const theirPeriod = await periodId(other, '2026-04');
    expect(await ledger.getEntry(other, mine.id)).toBeNull();
    expect(await ledger.getEntries(other, [mine.id])).toEqual([]);
    expect(await ledger.findByIdempotencyKey(other, mine.idempotencyKey)).toBeNull();
    expect(await ledger.findByReference(other, 'ACME', mine.reference, 'INVOICE')).toBeNull();
    expect(
      (await ledger.listEntries(other, { first: 100 })).entries.map((e) => e.id),
    ).not.toContain(mine.id);
    expect((await ledger.listEntries(other, { first: 10, after: mine.id })).entries).toEqual([]);

    const missingReverse = await problems(ledger.reverse(other, reversal(randomUUID())));
    const foreignReverse = await problems(ledger.reverse(other, reversal(mine.id)));
    expect(foreignReverse.map((p) => p.code)).toEqual(missingReverse.map((p) => p.code));
    expect(foreignReverse[0].code).toBe('ENTRY_NOT_FOUND');

    const foreignMove = await problems(ledger.moveEntryToPeriod(other, mine.id, theirPeriod));
    expect(foreignMove[0].code).toBe('ENTRY_NOT_FOUND');
    // My entry, their period: like a missing period.
    const foreignPeriod = await problems(ledger.moveEntryToPeriod(org, mine.id, theirPeriod));
    const missingPeriod = await problems(ledger.moveEntryToPeriod(org, mine.id, randomUUID()));
    expect(foreignPeriod.map((p) => p.code)).toEqual(missingPeriod.map((p) => p.code));
    expect((await problems(ledger.closePeriod(other, myPeriod)))[0].code).toBe('VALIDATION');
    expect((await problems(ledger.reopenPeriod(other, myPeriod)))[0].code).toBe('VALIDATION');

    // Nothing of mine changed; the same key and reference are free in the other organization.
    expect(await ledger.getEntry(org, mine.id)).toEqual(mine);
    const [{ status }] = await db.sql(`select status from ledger.period where id = $1`, [myPeriod]);
    expect(status).toBe('OPEN');
    const theirs = await ledger.postInvoice(
      other,
      invoiceRequest({ idempotencyKey: mine.idempotencyKey, reference: mine.reference }),
    );
    expect(theirs.id).not.toBe(mine.id);
  });
});
