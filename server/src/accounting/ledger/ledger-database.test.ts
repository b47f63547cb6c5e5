/**
 * The ledger schema defends itself, whatever code writes to it: these tests bypass
 * BuiltinLedger and write raw SQL.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/db.js';
import { createTestLedger } from './ledger.fixtures.js';

describe('ledger schema invariants (raw SQL)', () => {
  let db: TestDatabase;
  let org: string;
  let march: string;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    org = await createTestLedger(db.orm);
    march = (
      await db.sql(`select id from ledger.period where organization_id = $1 and name = '2026-03'`, [
        org,
      ])
    )[0].id;
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.close();
  });

  /** Runs statements in one transaction; returns the error (if any), rolled back. */
  async function tx(
    statements: [string, unknown[]?][],
  ): Promise<(Error & { code?: string; constraint?: string }) | null> {
    await client.query('begin');
    try {
      for (const [text, params] of statements) await client.query(text, params);
      await client.query('commit');
      return null;
    } catch (err) {
      await client.query('rollback').catch(() => {});
      return err as Error & { code?: string };
    }
  }

  function entrySql(
    id: string,
    opts: {
      key?: string;
      reference?: string;
      postingDate?: string;
      periodId?: string;
      total?: string;
      kind?: string;
    } = {},
  ): [string, unknown[]] {
    return [
      `insert into ledger.entry (id, organization_id, journal, kind, reference, supplier_account_name, idempotency_key,
         document_date, posting_date, period_id, currency, total)
       values ($1, $2, 'ITEM_INVOICES', $3, $4, 'ACME', $5, $6, $6, $7, 'EUR', $8)`,
      [
        id,
        org,
        opts.kind ?? 'INVOICE',
        opts.reference ?? `R-${id.slice(0, 8)}`,
        opts.key ?? id,
        opts.postingDate ?? '2026-03-10',
        opts.periodId ?? march,
        opts.total ?? '100.00',
      ],
    ];
  }
  function lineSql(
    entryId: string,
    lineNo: number,
    debit: string,
    credit: string,
  ): [string, unknown[]] {
    return [
      `insert into ledger.entry_line (id, organization_id, entry_id, line_no, account_code, debit, credit)
       values (gen_random_uuid(), $1, $2, $3, '4000', $4, $5)`,
      [org, entryId, lineNo, debit, credit],
    ];
  }
  function balanced(id: string, opts: Parameters<typeof entrySql>[1] = {}): [string, unknown[]][] {
    return [entrySql(id, opts), lineSql(id, 1, '100.00', '0'), lineSql(id, 2, '0', '100.00')];
  }

  it('accepts a balanced entry', async () => {
    expect(await tx(balanced(randomUUID()))).toBeNull();
  });

  it('refuses an unbalanced entry at commit', async () => {
    const id = randomUUID();
    const err = await tx([
      entrySql(id),
      lineSql(id, 1, '100.00', '0'),
      lineSql(id, 2, '0', '99.99'),
    ]);
    expect(err?.message).toMatch(/unbalanced/);
    expect(err?.code).toBe('23514');
  });

  it('refuses an entry whose lines do not add up to its total', async () => {
    const id = randomUUID();
    const err = await tx([
      entrySql(id, { total: '50.00' }),
      lineSql(id, 1, '100.00', '0'),
      lineSql(id, 2, '0', '100.00'),
    ]);
    expect(err?.message).toMatch(/unbalanced/);
  });

  it('refuses an entry with fewer than two lines, or none', async () => {
    const id = randomUUID();
    expect((await tx([entrySql(id), lineSql(id, 1, '100.00', '0')]))?.message).toMatch(
      /unbalanced/,
    );
    expect((await tx([entrySql(randomUUID())]))?.message).toMatch(/unbalanced/);
  });

  it('refuses lines added to an entry committed earlier, balanced or not', async () => {
    const id = randomUUID();
    expect(await tx(balanced(id))).toBeNull();
    const err = await tx([lineSql(id, 3, '50.00', '0'), lineSql(id, 4, '0', '50.00')]);
    expect(err?.message).toMatch(/unbalanced/);
    const lines = await db.sql(
      `select count(*)::int as n from ledger.entry_line where entry_id = $1`,
      [id],
    );
    expect(lines[0].n).toBe(2);
  });

  it('checks an entry written inside a savepoint, and lines added in a savepoint', async () => {
    const id = randomUUID();
    const unbalancedInSavepoint = await tx([
      ['savepoint s1'],
      entrySql(id),
      lineSql(id, 1, '100.00', '0'),
      lineSql(id, 2, '0', '90.00'),
      ['release savepoint s1'],
    ]);
    expect(unbalancedInSavepoint?.message).toMatch(/unbalanced/);

    const other = randomUUID();
    const extraLineInSavepoint = await tx([
      ...balanced(other),
      ['savepoint s2'],
      lineSql(other, 3, '10.00', '0'),
      ['release savepoint s2'],
    ]);
    expect(extraLineInSavepoint?.message).toMatch(/unbalanced/);
  });

  it('refuses a duplicate idempotency key', async () => {
    const key = randomUUID();
    expect(await tx(balanced(randomUUID(), { key }))).toBeNull();
    const err = await tx(balanced(randomUUID(), { key }));
    expect(err?.code).toBe('23505');
    expect(err?.constraint).toBe('entry_organization_id_idempotency_key_unique');
  });

  it('refuses a second live entry with the same supplier, reference and kind', async () => {
    const first = randomUUID();
    expect(await tx(balanced(first, { reference: 'DUP-1' }))).toBeNull();
    const err = await tx(balanced(randomUUID(), { reference: 'DUP-1' }));
    expect(err?.code).toBe('23505');
    expect(err?.constraint).toBe('entry_supplier_reference_unique');
    // A payment with the same reference is another kind: fine. Once the first is reversed, so is a new invoice.
    expect(await tx(balanced(randomUUID(), { reference: 'DUP-1', kind: 'PAYMENT' }))).toBeNull();
    const reversal = randomUUID();
    expect(
      await tx([
        ...balanced(reversal, { reference: 'DUP-1', kind: 'REVERSAL' }),
        [`update ledger.entry set reversed_by_entry_id = $1 where id = $2`, [reversal, first]],
      ]),
    ).toBeNull();
    expect(await tx(balanced(randomUUID(), { reference: 'DUP-1' }))).toBeNull();
  });

  it('refuses an entry in a closed period', async () => {
    const feb = (
      await db.sql(`select id from ledger.period where organization_id = $1 and name = '2026-02'`, [
        org,
      ])
    )[0].id;
    await db.sql(`update ledger.period set status = 'CLOSED' where id = $1`, [feb]);
    try {
      const err = await tx(balanced(randomUUID(), { periodId: feb, postingDate: '2026-02-10' }));
      expect(err?.message).toMatch(/closed/);
      expect(err?.constraint).toBe('entry_period_open');
    } finally {
      await db.sql(`update ledger.period set status = 'OPEN' where id = $1`, [feb]);
    }
  });

  it('refuses a posting date outside the period', async () => {
    const err = await tx(balanced(randomUUID(), { postingDate: '2026-04-01' }));
    expect(err?.message).toMatch(/outside period/);
  });

  it('refuses an entry on or before the lock date, accepts the day after', async () => {
    await db.sql(
      `update ledger.settings set ap_lock_date = '2026-03-10' where organization_id = $1`,
      [org],
    );
    try {
      const on = await tx(balanced(randomUUID(), { postingDate: '2026-03-10' }));
      expect(on?.constraint).toBe('entry_after_lock_date');
      const before = await tx(balanced(randomUUID(), { postingDate: '2026-03-01' }));
      expect(before?.constraint).toBe('entry_after_lock_date');
      expect(await tx(balanced(randomUUID(), { postingDate: '2026-03-11' }))).toBeNull();
    } finally {
      await db.sql(`update ledger.settings set ap_lock_date = null where organization_id = $1`, [
        org,
      ]);
    }
  });

  it('refuses moving an entry into a closed period by update', async () => {
    const id = randomUUID();
    expect(await tx(balanced(id))).toBeNull();
    const jan = (
      await db.sql(`select id from ledger.period where organization_id = $1 and name = '2026-01'`, [
        org,
      ])
    )[0].id;
    await db.sql(`update ledger.period set status = 'CLOSED' where id = $1`, [jan]);
    try {
      const err = await tx([
        [
          `update ledger.entry set period_id = $1, posting_date = '2026-01-05' where id = $2`,
          [jan, id],
        ],
      ]);
      expect(err?.constraint).toBe('entry_period_open');
    } finally {
      await db.sql(`update ledger.period set status = 'OPEN' where id = $1`, [jan]);
    }
  });

  it('refuses updates and deletes of lines, and deletes of entries', async () => {
    const id = randomUUID();
    expect(await tx(balanced(id))).toBeNull();
    const upd = await tx([
      [`update ledger.entry_line set description = 'x' where entry_id = $1`, [id]],
    ]);
    expect(upd?.message).toMatch(/immutable/);
    const del = await tx([[`delete from ledger.entry_line where entry_id = $1`, [id]]]);
    expect(del?.message).toMatch(/immutable/);
    const delEntry = await tx([[`delete from ledger.entry where id = $1`, [id]]]);
    expect(delEntry?.message).toMatch(/immutable/);
    expect(
      await db.sql(`select count(*)::int as n from ledger.entry_line where entry_id = $1`, [id]),
    ).toEqual([{ n: 2 }]);
  });

  it('refuses TRUNCATE of entries and lines', async () => {
    expect((await tx([[`truncate ledger.entry_line`]]))?.message).toMatch(/immutable/);
    expect((await tx([[`truncate ledger.entry cascade`]]))?.message).toMatch(/immutable/);
  });

  it('refuses a line with both or neither side, or a negative amount', async () => {
    const id = randomUUID();
    const both = await tx([
      entrySql(id),
      lineSql(id, 1, '100.00', '100.00'),
      lineSql(id, 2, '0', '0'),
    ]);
    expect(both?.message).toMatch(/entry_line_one_side_check/);
    const neg = await tx([entrySql(randomUUID()), lineSql(id, 1, '-100.00', '0')]);
    expect(neg?.message).toMatch(/entry_line_one_side_check/);
  });
});
