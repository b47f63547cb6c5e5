/**
 * Transfers routed to accountsIQ by the organization's connection, and the secrets test: after
 * connect, test, update, refresh, transfers and a drift check with a recognisable secret, that
 * secret appears in no API answer, log line, audit row, error message or database column.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalReferenceFor, type LocalAccountsIq } from '../../accounting/accountsiq/index.js';
import {
  createInvoice,
  createTenant,
  gid,
  TEST_PASSWORD,
  type Tenant,
} from '../../testing/factories.js';
import { startTestServer, type GqlClient, type TestServer } from '../../testing/server.js';
import { FAST_WORKER_ENV, waitForTransfers } from '../../testing/transfers.js';
import { AIQ_SECRET, startAiqFor } from './accounting-connection.helpers.js';

const CONNECTION = `id system secretHint status lastTestCode lastTestMessage version masterDataRefreshedAt`;
const CONNECT = `mutation($i: ConnectAccountingInput!) { connectAccounting(input: $i) {
  connection { ${CONNECTION} } userErrors { code message field } } }`;
const UPDATE = `mutation($i: UpdateAccountingConnectionInput!) { updateAccountingConnection(input: $i) {
  connection { ${CONNECTION} } userErrors { code message field } } }`;
const TEST = `mutation($i: AccountingConnectionOrganizationInput!) { testAccountingConnection(input: $i) {
  connection { ${CONNECTION} } result { ok code message } userErrors { code message field } } }`;
const REFRESH = `mutation($i: AccountingConnectionOrganizationInput!) { refreshMasterData(input: $i) {
  connection { ${CONNECTION} } userErrors { code message field } } }`;
const DRIFT = `mutation($i: AccountingConnectionOrganizationInput!) { runDriftCheck(input: $i) {
  report { checked items { kind externalReference transferId message } } userErrors { code message } } }`;
const QUERY = `query($o: ID!) { accountingConnection(organizationId: $o) { ${CONNECTION} } }`;
const EXPORT = `mutation($input: ExportInvoicesInput!) { exportInvoices(input: $input) {
  transfers { id status } userErrors { code message field } } }`;
const INVOICE = `query($id: ID!) { invoice(id: $id) { id transferStatus ledgerEntry { id externalDocumentId }
  lastTransferError { code message } transfers { id status errors { code message } } } }`;

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL results are checked by shape */
describe('transfers into a connected accountsIQ, and the secret nowhere', () => {
  let srv: TestServer;
  let A: Tenant;
  let aiq: LocalAccountsIq;
  let entity: string;
  let admin: GqlClient;
  const logLines: string[] = [];
  const answers: string[] = [];
  const call = async (query: string, variables: Record<string, unknown>) => {
    const r: any = await admin(query, variables);
    answers.push(JSON.stringify(r));
    return r;
  };
  const exportInvoices = async (ids: string[], key: string) =>
    call(EXPORT, { input: { organizationId: A.orgId, invoiceIds: ids, idempotencyKey: key } });

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    srv = await startTestServer({
      env: { ...FAST_WORKER_ENV },
      log: pino({ level: 'trace' }, sink),
    });
    A = await createTenant(srv.db.orm, 'acs', { supplierCount: 3 });
    const started = await startAiqFor(A, 'ACS', { supplierCount: 2 });
    aiq = started.aiq;
    entity = started.seed.entity;
    admin = await srv.login('admin@acs.test', TEST_PASSWORD);
  });
  afterAll(async () => {
    if (process.env.DUMP_LOGS)
      console.log(
        logLines
          .filter((l) => /"level":(40|50)/.test(l))
          .slice(0, 8)
          .join('\n'),
      );
    await srv?.stop();
    await aiq?.close();
  });

  it('connects, fails a test with a wrong secret, is fixed, and refreshes master data', async () => {
    const base = { organizationId: A.orgId };
    const c = await call(CONNECT, {
      i: {
        ...base,
        system: 'ACCOUNTSIQ',
        endpoint: aiq.url,
        entity,
        clientId: `client-${entity}`,
        clientSecret: `${AIQ_SECRET}-wrong`,
      },
    });
    expect(c.data.connectAccounting.userErrors).toEqual([]);
    const failed = await call(TEST, { i: base });
    expect(failed.data.testAccountingConnection.result.code).toBe('AUTH_FAILED');
    const u = await call(UPDATE, {
      i: {
        ...base,
        version: c.data.connectAccounting.connection.version,
        clientSecret: AIQ_SECRET,
      },
    });
    expect(u.data.updateAccountingConnection.userErrors).toEqual([]);
    expect((await call(TEST, { i: base })).data.testAccountingConnection.result.ok).toBe(true);
    expect((await call(REFRESH, { i: base })).data.refreshMasterData.userErrors).toEqual([]);
    await call(QUERY, { o: A.orgId });
  });

  it('sends the invoice to accountsIQ, not to the built-in ledger; an unknown supplier is refused before sending', async () => {
    const em = srv.db.orm.em.fork();
    const good = await createInvoice(em, A, { supplier: A.suppliers[0] });
    const unknown = await createInvoice(em, A, { supplier: A.suppliers[2] });
    const r = await exportInvoices(
      [gid('PurchaseInvoice', good.id), gid('PurchaseInvoice', unknown.id)],
      'aiq-export-1',
    );
    expect(r.data.exportInvoices.userErrors).toEqual([]);
    const transfers = await waitForTransfers(srv.db.orm, { organizationId: A.org.id });
    const byInvoice = new Map(transfers.map((t) => [t.invoice!.id, t]));
    expect(byInvoice.get(good.id)!.status).toBe('TRANSFERRED');
    expect(byInvoice.get(unknown.id)!.status).toBe('FAILED');

    const there = aiq.transactions(entity);
    expect(there).toHaveLength(1);
    expect(there[0]).toMatchObject({
      AccountCode: A.suppliers[0].accountName,
      Reference: good.invoiceNumber,
      ExternalReference: externalReferenceFor(byInvoice.get(good.id)!.id),
    });
    const ledgerRows = await srv.db.sql(`select id from ledger.entry where organization_id = $1`, [
      A.org.id,
    ]);
    expect(ledgerRows).toEqual([]);

    const sent = await call(INVOICE, { id: gid('PurchaseInvoice', good.id) });
    expect(sent.data.invoice.ledgerEntry.externalDocumentId).toBe(String(there[0].TransactionID));
    const inv = await call(INVOICE, { id: gid('PurchaseInvoice', unknown.id) });
    expect(inv.data.invoice.lastTransferError.code).toBe('SUPPLIER_NOT_IN_LEDGER');
  });

  it('the drift check finds a document removed by hand in accountsIQ, and changes nothing', async () => {
    const base = { organizationId: A.orgId };
    const clean = await call(DRIFT, { i: base });
    expect(clean.data.runDriftCheck.report.items).toEqual([]);
    // Someone deletes the posted invoice in accountsIQ (the local service's own state).
    const held = aiq.transactions(entity) as unknown[];
    const removed = held.splice(0, 1);
    const drift = await call(DRIFT, { i: base });
    expect(drift.data.runDriftCheck.report.items.map((i: any) => i.kind)).toEqual([
      'MISSING_THERE',
    ]);
    held.push(...removed);
    const statuses = await srv.db.sql<{ status: string }>(
      `select status from transfer where organization_id = $1 order by status`,
      [A.org.id],
    );
    expect(statuses.map((s) => s.status)).toEqual(['FAILED', 'TRANSFERRED']);
  });

  it('has not let the secret out anywhere', async () => {
    expect(answers.length).toBeGreaterThan(5);
    expect(logLines.length).toBeGreaterThan(0);
    const leaks = (texts: string[]) => texts.filter((t) => t.includes(AIQ_SECRET));
    expect(leaks(answers)).toEqual([]);
    expect(leaks(logLines)).toEqual([]);
    const audit = await srv.db.sql<{ row: string }>(`select a::text as row from audit_event a`);
    expect(audit.some((a) => a.row.includes('AccountingConnection'))).toBe(true);
    expect(leaks(audit.map((a) => a.row))).toEqual([]);
    // Every row of every table, as text.
    const tables = await srv.db.sql<{ schema: string; name: string }>(
      `select table_schema as schema, table_name as name from information_schema.tables
        where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
    );
    expect(tables.length).toBeGreaterThan(10);
    const found: string[] = [];
    for (const t of tables) {
      const rows = await srv.db.sql<{ row: string }>(
        `select x::text as row from "${t.schema}"."${t.name}" x`,
      );
      if (leaks(rows.map((r) => r.row)).length) found.push(`${t.schema}.${t.name}`);
    }
    expect(found).toEqual([]);
    // The check itself can fail: the secret is in what accountsIQ was given.
    expect(aiq.tokensIssued(entity)).toBeGreaterThan(0);
  });
});
