import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { startTestServer, type GqlClient, type TestServer } from '../../testing/server.js';

const ORGS = `{ viewer { organizations { id slug } } }`;
const SYSTEM = `query($o: ID!) { accountingSystem(organizationId: $o) { system systemName } }`;
const TEST = `mutation($i: AccountingConnectionOrganizationInput!) { testAccountingConnection(input: $i) {
  result { ok companyName } userErrors { code } } }`;

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL results are checked by shape */
describe('LEDGERLINK_DEMO_ACCOUNTSIQ=on', () => {
  let srv: TestServer;
  let admin: GqlClient;
  beforeAll(async () => {
    srv = await startTestServer({
      env: { LEDGERLINK_SEED: 'demo', LEDGERLINK_DEMO_ACCOUNTSIQ: 'on', LEDGERLINK_WORKER: 'off' },
    });
    admin = await srv.login('admin@borealis.example', 'ledgerlink-demo');
  }, 120_000);
  afterAll(() => srv?.stop());

  it('connects Borealis AB to a local accountsIQ seeded with its master data', async () => {
    const orgs: any = await admin(ORGS);
    const borealis = orgs.data.viewer.organizations.find((o: any) => o.slug === 'borealis');
    const sys: any = await admin(SYSTEM, { o: borealis.id });
    expect(sys.data.accountingSystem).toEqual({ system: 'ACCOUNTSIQ', systemName: 'accountsIQ' });
    const test: any = await admin(TEST, { i: { organizationId: borealis.id } });
    expect(test.data.testAccountingConnection.result).toEqual({
      ok: true,
      companyName: 'Borealis AB (local accountsIQ)',
    });
    const [aurora] = await srv.db.sql(
      `select count(*)::int as n from accounting_connection c join organization o on o.id = c.organization_id where o.slug = 'aurora'`,
    );
    expect(aurora.n).toBe(0);
  });

  it('is refused in production', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        LEDGERLINK_SECRET_KEY: 'ab'.repeat(32),
        LEDGERLINK_DEMO_ACCOUNTSIQ: 'on',
      }),
    ).toThrow(ConfigError);
  });
});
