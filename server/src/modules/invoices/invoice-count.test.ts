/**
 * The tab counters (`invoice_count`, kept by triggers) against a plain count of the invoices
 * with the list's own predicates, after every kind of change: inserts, single and bulk updates,
 * a stage's transfer flag, deletes, compaction, truncate, and parallel writers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvoice, createTenant, type Tenant } from '../../testing/factories.js';
import { createTestDatabase, type TestDatabase } from '../../testing/db.js';
import { Rng } from '../../seeders/demo-random.js';
import { InvoiceStatus } from './invoice.entity.js';
import { InvoiceTab } from './invoice.rules.js';
import { invoiceTabCounts, tabCountCondition } from './invoice-count.queries.js';

describe('invoice tab counters', () => {
  let db: TestDatabase;
  let a: Tenant;
  let b: Tenant;
  const rng = new Rng(7);

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await createTenant(db.orm, 'count-a');
    b = await createTenant(db.orm, 'count-b');
    const em = db.orm.em.fork();
    const statuses = Object.values(InvoiceStatus);
    for (let k = 0; k < 60; k++) {
      const status = statuses[k % statuses.length];
      await createInvoice(em, k % 4 === 3 ? b : a, {
        status,
        stage: status === InvoiceStatus.IN_CIRCULATION ? a.stages[k % a.stages.length] : null,
        posted: k % 5 !== 0 && status !== InvoiceStatus.DRAFT,
        ledgerVersion: k % 3 === 0 ? 1 : null,
      });
    }
  });
  afterAll(() => db?.close());

  async function expectExact(tenant: Tenant, step: string) {
    const em = db.orm.em.fork();
    const fromCounters = Object.fromEntries(
      (await invoiceTabCounts(em, tenant.org.id)).map((t) => [t.tab, t.count]),
    );
    const select = Object.values(InvoiceTab)
      .map((t) => `count(*) filter (where ${tabCountCondition(t)})::int as "${t}"`)
      .join(', ');
    const [scanned] = await db.sql(
      `select ${select} from purchase_invoice i where i.organization_id = $1`,
      [tenant.org.id],
    );
    expect(fromCounters, step).toEqual(scanned);
  }

  it('agree with a count of the invoices after inserts', async () => {
    await expectExact(a, 'inserted');
    await expectExact(b, 'inserted');
    const [{ all }] = await db.sql(`select count(*)::int as all from purchase_invoice`);
    expect(all).toBe(60);
  });

  it('follow single and bulk state changes, in one statement or many', async () => {
    for (let round = 0; round < 15; round++) {
      const set = rng.pick([
        `status = 'APPROVED', current_stage_id = null`,
        `status = 'IN_CIRCULATION', current_stage_id = '${rng.pick(a.stages).id}'`,
        `ledger_version = posting_version`,
        `posting_version = posting_version + 1`,
        `removed_at = now(), status = 'REMOVED'`,
        `removed_at = null, status = 'DRAFT', posted = false`,
        `posted = true`,
        `version = version + 1`,
      ]);
      await db.sql(
        `update purchase_invoice set ${set} where id in (select id from purchase_invoice order by random() limit ${rng.int(1, 20)})`,
      );
      await expectExact(a, `round ${round}: ${set}`);
      await expectExact(b, `round ${round}: ${set}`);
    }
  });

  it("follow a stage's transfer flag without recounting", async () => {
    await db.sql(
      `update purchase_invoice set status = 'IN_CIRCULATION', current_stage_id = $1, posted = true where organization_id = $2 and document_number is not null`,
      [a.stages[0].id, a.org.id],
    );
    await db.sql(`update approval_stage set transfer_from_this_step = true where id = $1`, [
      a.stages[0].id,
    ]);
    await expectExact(a, 'flag on');
    await db.sql(`update approval_stage set transfer_from_this_step = false where id = $1`, [
      a.stages[0].id,
    ]);
    await expectExact(a, 'flag off');
  });

  it('stay exact through compaction, which folds deltas into one row per class', async () => {
    const before = await db.sql<{ rows: number }>(
      `select count(*)::int as rows from invoice_count where organization_id = $1`,
      [a.org.id],
    );
    await db.sql(`select invoice_count_compact($1)`, [a.org.id]);
    const [classes] = await db.sql<{ rows: number; classes: number }>(
      `select count(*)::int as rows,
              (select count(*)::int from (select distinct status, removed, posted, numbered, ledger, current_stage_id
                                            from invoice_count where organization_id = $1) d) as classes
         from invoice_count where organization_id = $1`,
      [a.org.id],
    );
    expect(classes.rows).toBe(classes.classes);
    expect(classes.rows).toBeLessThanOrEqual(before[0].rows);
    await expectExact(a, 'compacted');
    await expectExact(b, 'other organization untouched');
  });

  it('let parallel writers change invoices without waiting on one counter row', async () => {
    const ids = (
      await db.sql<{ id: string }>(
        `select id from purchase_invoice where organization_id = $1 order by id limit 10`,
        [a.org.id],
      )
    ).map((r) => r.id);
    // Two transactions move invoices between the same classes and stay open together: with a
    // single counter row per class the second would block on the first's row lock.
    const knex = db.orm.em.getConnection().getKnex();
    const t1 = await knex.transaction();
    const t2 = await knex.transaction();
    try {
      await t1.raw(
        `update purchase_invoice set ledger_version = posting_version where id = any(?)`,
        [ids.slice(0, 5)],
      );
      await t2.raw(`set local lock_timeout = '2s'`);
      await t2.raw(
        `update purchase_invoice set ledger_version = posting_version where id = any(?)`,
        [ids.slice(5)],
      );
      await t2.commit();
      await t1.commit();
    } catch (err) {
      await t1.rollback().catch(() => {});
      await t2.rollback().catch(() => {});
      throw err;
    }
    await expectExact(a, 'parallel writers');
  });

  it('start from zero after a truncate, and a delete counts down', async () => {
    await db.sql(`delete from purchase_invoice where organization_id = $1 and status = 'DRAFT'`, [
      b.org.id,
    ]);
    await expectExact(b, 'deleted');
    await db.sql(`truncate purchase_invoice cascade`);
    const [{ n }] = await db.sql(`select count(*)::int as n from invoice_count`);
    expect(n).toBe(0);
    await expectExact(a, 'truncated');
  });
});
