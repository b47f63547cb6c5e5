/**
 * The tenancy rule for indexes: on every table with an `organization_id`, each index and unique
 * constraint leads with `organization_id`, so a tenant's queries stay inside its own slice of
 * the index and the table can later be distributed by organization (e.g. on Citus). Primary keys
 * are uuid `id`s, unique without the organization; the few indexes that must work across
 * organizations are listed below with the reason. A new index outside the rule fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/db.js';

/** `table.index` → why it does not lead with organization_id. */
const CROSS_TENANT_INDEXES: Record<string, string> = {
  'api_client.api_client_token_hash_unique':
    'a bearer token is looked up by its hash before the organization is known',
  'approval_stage_approver.approval_stage_approver_pkey':
    'the join key (stage, approver) is unique on its own; the stage belongs to one organization',
  'membership.membership_user_id_organization_id_index':
    "sign-in lists one user's memberships across organizations",
  'transfer.transfer_sending_heartbeat_index':
    'the sweeper finds stalled sends of every organization at once',
};

interface IndexRow {
  schema: string;
  tbl: string;
  idx: string;
  primary: boolean;
  first_column: string | null;
}

describe('tenant tables', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  async function indexesNotLedByOrganization(): Promise<IndexRow[]> {
    return db.orm.em.getConnection().execute<IndexRow[]>(`
      select n.nspname as schema, c.relname as tbl, i.relname as idx,
             x.indisprimary as primary, a.attname as first_column
        from pg_index x
        join pg_class i on i.oid = x.indexrelid
        join pg_class c on c.oid = x.indrelid
        join pg_namespace n on n.oid = c.relnamespace
        left join pg_attribute a on a.attrelid = c.oid and a.attnum = x.indkey[0]
       where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
         and exists (select 1 from pg_attribute t
                      where t.attrelid = c.oid and t.attname = 'organization_id'
                        and not t.attisdropped)
         and a.attname is distinct from 'organization_id'
       order by 1, 2, 3`);
  }

  it('lead every index and unique constraint with organization_id, but for the named exceptions', async () => {
    const rows = await indexesNotLedByOrganization();
    const offending = rows
      .filter((r) => !(r.primary && r.first_column === 'id'))
      .map((r) => `${r.tbl}.${r.idx}`)
      .filter((name) => !(name in CROSS_TENANT_INDEXES));
    expect(offending).toEqual([]);
  });

  it('still have every named exception (a stale entry is removed from the list)', async () => {
    const names = new Set((await indexesNotLedByOrganization()).map((r) => `${r.tbl}.${r.idx}`));
    expect(Object.keys(CROSS_TENANT_INDEXES).filter((name) => !names.has(name))).toEqual([]);
  });

  it('catch an index that breaks the rule', async () => {
    const conn = db.orm.em.getConnection();
    await conn.execute('create index probe_invoice_number_index on purchase_invoice (invoice_number)');
    try {
      const names = (await indexesNotLedByOrganization()).map((r) => `${r.tbl}.${r.idx}`);
      expect(names).toContain('purchase_invoice.probe_invoice_number_index');
    } finally {
      await conn.execute('drop index probe_invoice_number_index');
    }
  });
});
