import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAccountsIq, LocalCompanySeed } from '../../accounting/accountsiq/index.js';
import {
  createInvoice,
  createTenant,
  gid,
  TEST_PASSWORD,
  type Tenant,
} from '../../testing/factories.js';
import { startTestServer, type GqlClient, type TestServer } from '../../testing/server.js';
import { AIQ_SECRET, startAiqFor } from './accounting-connection.helpers.js';

const FIELDS = `id system systemName connected endpoint entity clientId secretHint status
  lastTestCode lastTestMessage companyName masterDataRefreshedAt version`;
const QUERY = `query($o: ID!) { accountingConnection(organizationId: $o) { ${FIELDS} } }`;
const SYSTEM = `query($o: ID!) { accountingSystem(organizationId: $o) { system systemName } }`;
const CONNECT = `mutation($i: ConnectAccountingInput!) { connectAccounting(input: $i) {
  connection { ${FIELDS} } userErrors { code message field } } }`;
const UPDATE = `mutation($i: UpdateAccountingConnectionInput!) { updateAccountingConnection(input: $i) {
  connection { ${FIELDS} } userErrors { code message field } } }`;
const TEST = `mutation($i: AccountingConnectionOrganizationInput!) { testAccountingConnection(input: $i) {
  connection { ${FIELDS} } result { ok code message companyName openPeriods } userErrors { code message field } } }`;
const DISCONNECT = `mutation($i: AccountingConnectionOrganizationInput!) { disconnectAccounting(input: $i) {
  connection { ${FIELDS} } userErrors { code message field } } }`;
const REFRESH = `mutation($i: AccountingConnectionOrganizationInput!) { refreshMasterData(input: $i) {
  connection { ${FIELDS} } userErrors { code message field } } }`;
const DRIFT = `mutation($i: AccountingConnectionOrganizationInput!) { runDriftCheck(input: $i) {
  report { id checked items { kind externalReference transferId expected actual message } }
  userErrors { code message field } } }`;
const DRIFT_REPORT = `query($o: ID!) { accountingDriftReport(organizationId: $o) { id checked items { kind } } }`;
const MASTER = `query($o: ID!) { masterData(organizationId: $o) { accounts { code } vatCodes { code } } }`;
const EXPORT = `mutation($input: ExportInvoicesInput!) { exportInvoices(input: $input) {
  transfers { id status } userErrors { code message field } } }`;

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL results are checked by shape */
describe('accounting connections', () => {
  let srv: TestServer;
  let A: Tenant;
  let B: Tenant;
  let admin: GqlClient;
  let aiq: LocalAccountsIq;
  let seed: LocalCompanySeed;
  const connectInput = (over: Record<string, unknown> = {}) => ({
    organizationId: A.orgId,
    system: 'ACCOUNTSIQ',
    endpoint: aiq.url,
    entity: seed.entity,
    clientId: seed.clientId,
    clientSecret: AIQ_SECRET,
    ...over,
  });

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    A = await createTenant(srv.db.orm, 'aca', { supplierCount: 3 });
    B = await createTenant(srv.db.orm, 'acb');
    ({ aiq, seed } = await startAiqFor(A, 'ACA', { supplierCount: 2 }));
    admin = await srv.login('admin@aca.test', TEST_PASSWORD);
  });
  afterAll(async () => {
    await srv?.stop();
    await aiq?.close();
  });

  it('shows the built-in ledger while nothing is connected', async () => {
    const r: any = await admin(QUERY, { o: A.orgId });
    expect(r.data.accountingConnection).toMatchObject({
      system: 'BUILTIN',
      systemName: 'Built-in ledger',
      connected: false,
      secretHint: null,
    });
  });

  it('refuses malformed input field by field, and BUILTIN as a system to connect', async () => {
    const r: any = await admin(CONNECT, {
      i: connectInput({ endpoint: 'ftp://x', entity: ' ', clientSecret: '' }),
    });
    expect(r.data.connectAccounting.userErrors.map((e: any) => [e.code, e.field])).toEqual([
      ['VALIDATION', ['endpoint']],
      ['VALIDATION', ['entity']],
      ['VALIDATION', ['clientSecret']],
    ]);
    const builtin: any = await admin(CONNECT, { i: connectInput({ system: 'BUILTIN' }) });
    expect(builtin.data.connectAccounting.userErrors[0]).toMatchObject({
      code: 'VALIDATION',
      field: ['system'],
    });
    expect(await srv.db.sql('select * from accounting_connection')).toEqual([]);
  });

  it('is admin only, and another organization cannot see or use it', async () => {
    const accountant = await srv.login('accountant@aca.test', TEST_PASSWORD);
    const denied: any = await accountant(CONNECT, { i: connectInput() });
    expect(denied.data.connectAccounting.userErrors[0].code).toBe('FORBIDDEN');
    const readToken: any = await srv.client({ token: A.tokens.read })(CONNECT, {
      i: connectInput(),
    });
    expect(readToken.data.connectAccounting.userErrors[0].code).toBe('FORBIDDEN');
    const q: any = await accountant(QUERY, { o: A.orgId });
    expect(q.errors[0].extensions.code).toBe('FORBIDDEN');
    // The system's name is for everyone who can read the organization.
    expect((await accountant(SYSTEM, { o: A.orgId })).data!.accountingSystem.system).toBe(
      'BUILTIN',
    );

    const other = await srv.login('admin@acb.test', TEST_PASSWORD);
    const foreign: any = await other(CONNECT, { i: connectInput() });
    expect(foreign.data.connectAccounting.userErrors[0]).toMatchObject({
      code: 'NOT_FOUND',
      field: ['organizationId'],
    });
    const read: any = await other(QUERY, { o: A.orgId });
    expect(read.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('connects through the admin token with the secret masked, once', async () => {
    const adminToken = srv.client({ token: A.tokens.admin });
    const r: any = await adminToken(CONNECT, { i: connectInput() });
    expect(r.data.connectAccounting.userErrors).toEqual([]);
    expect(r.data.connectAccounting.connection).toMatchObject({
      system: 'ACCOUNTSIQ',
      systemName: 'accountsIQ',
      connected: true,
      entity: 'ACA',
      secretHint: '••••••3f9a',
      status: 'UNTESTED',
      version: 1,
    });
    const again: any = await admin(CONNECT, { i: connectInput() });
    expect(again.data.connectAccounting.userErrors[0].code).toBe('ALREADY_CONNECTED');
    const [row] = await srv.db.sql<{ secret_ciphertext: string; secret_key_id: string }>(
      'select secret_ciphertext, secret_key_id from accounting_connection',
    );
    expect(row.secret_ciphertext).not.toContain(AIQ_SECRET);
    expect(row.secret_key_id).toMatch(/^[0-9a-f]{8}$/);

    const other = await srv.login('admin@acb.test', TEST_PASSWORD);
    const test: any = await other(TEST, { i: { organizationId: A.orgId } });
    expect(test.data.testAccountingConnection.userErrors[0].code).toBe('NOT_FOUND');
    const mine: any = await other(QUERY, { o: B.orgId });
    expect(mine.data.accountingConnection.connected).toBe(false);
  });

  it('tests the credentials and records the outcome; an update needs the current version', async () => {
    const v = (await admin(QUERY, { o: A.orgId })).data!.accountingConnection.version;
    const wrong: any = await admin(UPDATE, {
      i: { organizationId: A.orgId, version: v, clientSecret: 'not-the-secret-0000' },
    });
    expect(wrong.data.updateAccountingConnection.connection.secretHint).toBe('••••••0000');
    const failed: any = await admin(TEST, { i: { organizationId: A.orgId } });
    expect(failed.errors).toBeUndefined();
    expect(failed.data.testAccountingConnection.result).toMatchObject({
      ok: false,
      code: 'AUTH_FAILED',
    });
    expect(failed.data.testAccountingConnection.connection.status).toBe('FAILED');
    const v2 = wrong.data.updateAccountingConnection.connection.version;
    expect(v2).toBe(v + 1);
    // A test records its outcome without changing the connection's version.
    expect(failed.data.testAccountingConnection.connection.version).toBe(v2);

    const stale: any = await admin(UPDATE, {
      i: { organizationId: A.orgId, version: v, clientSecret: AIQ_SECRET },
    });
    expect(stale.data.updateAccountingConnection.userErrors[0].code).toBe('STALE_VERSION');
    const fixed: any = await admin(UPDATE, {
      i: { organizationId: A.orgId, version: v2, clientSecret: AIQ_SECRET },
    });
    expect(fixed.data.updateAccountingConnection.userErrors).toEqual([]);
    expect(fixed.data.updateAccountingConnection.connection).toMatchObject({
      status: 'UNTESTED',
      secretHint: '••••••3f9a',
    });
    const ok: any = await admin(TEST, { i: { organizationId: A.orgId } });
    expect(ok.data.testAccountingConnection.result).toMatchObject({
      ok: true,
      companyName: 'ACA Ltd',
      openPeriods: 12,
    });
    expect(ok.data.testAccountingConnection.connection).toMatchObject({
      status: 'CONNECTED',
      companyName: 'ACA Ltd',
    });
    const audit = await srv.db.sql<{ action: string }>(
      `select action from audit_event where entity_type = 'AccountingConnection' order by at`,
    );
    expect(audit.map((a) => a.action)).toEqual([
      'accounting.connected',
      'accounting.connection_updated',
      'accounting.connection_updated',
    ]);
  });

  it('refreshes master data from accountsIQ; validation and dropdowns then use it', async () => {
    const r: any = await admin(REFRESH, { i: { organizationId: A.orgId } });
    expect(r.data.refreshMasterData.userErrors).toEqual([]);
    expect(r.data.refreshMasterData.connection.masterDataRefreshedAt).toBeTruthy();
    const md: any = await admin(MASTER, { o: A.orgId });
    expect(md.data.masterData.accounts.map((a: any) => a.code)).toContain('2100');
    expect(md.data.masterData.accounts.map((a: any) => a.code)).not.toContain('7300');
    // B still sees its own built-in ledger.
    const mdB: any = await srv.client({ token: B.tokens.read })(MASTER, { o: B.orgId });
    expect(mdB.data.masterData.accounts.map((a: any) => a.code)).toContain('7300');
  });

  it('refuses to switch while transfers are live', async () => {
    const inv = await createInvoice(srv.db.orm.em.fork(), A, {});
    const exp: any = await srv.client({ token: A.tokens.export })(EXPORT, {
      input: {
        organizationId: A.orgId,
        invoiceIds: [gid('PurchaseInvoice', inv.id)],
        idempotencyKey: 'switch-1',
      },
    });
    expect(exp.data.exportInvoices.userErrors).toEqual([]);
    const d: any = await admin(DISCONNECT, { i: { organizationId: A.orgId } });
    expect(d.data.disconnectAccounting.userErrors[0].code).toBe('TRANSFERS_IN_PROGRESS');
    const v = (await admin(QUERY, { o: A.orgId })).data!.accountingConnection.version;
    const moved: any = await admin(UPDATE, {
      i: { organizationId: A.orgId, version: v, entity: 'OTHER' },
    });
    expect(moved.data.updateAccountingConnection.userErrors[0].code).toBe('TRANSFERS_IN_PROGRESS');
    await srv.db.sql(`update transfer set status = 'CANCELLED' where organization_id = $1`, [
      A.org.id,
    ]);
  });

  it('reports drift and says NOT_CONNECTED for the built-in ledger', async () => {
    const r: any = await admin(DRIFT, { i: { organizationId: A.orgId } });
    expect(r.data.runDriftCheck.userErrors).toEqual([]);
    expect(r.data.runDriftCheck.report.items).toEqual([]);
    const latest: any = await admin(DRIFT_REPORT, { o: A.orgId });
    expect(latest.data.accountingDriftReport.id).toBe(r.data.runDriftCheck.report.id);
    const other = await srv.login('admin@acb.test', TEST_PASSWORD);
    const none: any = await other(DRIFT, { i: { organizationId: B.orgId } });
    expect(none.data.runDriftCheck.userErrors[0].code).toBe('NOT_CONNECTED');
    const foreign: any = await other(DRIFT_REPORT, { o: A.orgId });
    expect(foreign.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('disconnects back to the built-in ledger, with an audit row', async () => {
    const d: any = await admin(DISCONNECT, { i: { organizationId: A.orgId } });
    expect(d.data.disconnectAccounting.userErrors).toEqual([]);
    expect(d.data.disconnectAccounting.connection).toMatchObject({
      system: 'BUILTIN',
      connected: false,
    });
    const again: any = await admin(DISCONNECT, { i: { organizationId: A.orgId } });
    expect(again.data.disconnectAccounting.userErrors[0].code).toBe('NOT_CONNECTED');
    const [last] = await srv.db.sql<{ action: string; details: Record<string, unknown> }>(
      `select action, details from audit_event where entity_type = 'AccountingConnection' order by at desc limit 1`,
    );
    expect(last).toMatchObject({
      action: 'accounting.disconnected',
      details: { system: 'ACCOUNTSIQ', secretHint: '••••••3f9a' },
    });
  });
});
