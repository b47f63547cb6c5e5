import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInvoice,
  createTenant,
  gid,
  TEST_PASSWORD,
  type Tenant,
} from '../../testing/factories.js';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { FAST_WORKER_ENV, waitForTransfers } from '../../testing/transfers.js';

const EXPORT = `mutation($input: ExportInvoicesInput!) { exportInvoices(input: $input) {
  transfers { id } userErrors { code message field } } }`;
const REPORTS = `query($org: ID!) { transferReports(organizationId: $org, first: 5) {
  nodes { id total notTransferred items { invoice { invoiceNumber } errors { code } } } } }`;

describe('GET /api/transfer-reports/:id.csv', () => {
  let srv: TestServer;
  let t: Tenant;
  let other: Tenant;
  let reportId: string;
  const base = () => srv.url.replace(/\/graphql$/, '');
  const get = (id: string, headers: Record<string, string> = {}) =>
    fetch(`${base()}/api/transfer-reports/${id}.csv`, { headers });

  beforeAll(async () => {
    srv = await startTestServer({ env: FAST_WORKER_ENV });
    t = await createTenant(srv.db.orm, 'csvreport');
    other = await createTenant(srv.db.orm, 'csvother');
    const em = srv.db.orm.em.fork();
    const today = new Date().toISOString().slice(0, 10);
    // Two reasons on one invoice (inactive account, closed cost unit), and a number a spreadsheet would run.
    const broken = await createInvoice(em, t, {
      billDate: today,
      invoiceNumber: '=1+2,"x"',
      lines: [{ netAmount: '100.00', accountCode: '7390', costUnitCode: 'OLD' }],
    });
    const fine = await createInvoice(em, t, { billDate: today, invoiceNumber: 'OK-1' });
    const exporter = srv.client({ token: t.tokens.export });
    const res = await exporter(EXPORT, {
      input: {
        organizationId: t.orgId,
        invoiceIds: [gid('PurchaseInvoice', broken.id), gid('PurchaseInvoice', fine.id)],
        idempotencyKey: randomUUID(),
      },
    });
    expect(res.data!.exportInvoices.userErrors).toEqual([]);
    await waitForTransfers(srv.db.orm, { organizationId: t.org.id });
    const reports = await exporter(REPORTS, { org: t.orgId });
    const [report] = reports.data!.transferReports.nodes;
    expect(report).toMatchObject({ total: 2, notTransferred: 1 });
    reportId = report.id;
  });
  afterAll(() => srv?.stop());

  it('renders one row per reason for a bearer token, as a UTF-8 attachment', async () => {
    const res = await get(reportId, { authorization: `Bearer ${t.tokens.read}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="transfer-report-\d{4}-\d{2}-\d{2}-\d{4}\.csv"$/,
    );
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    const lines = body.split('\r\n');
    expect(lines[0]).toBe(
      'Document type,Invoice number,Supplier,Account name,Document number,Date,Amount,Currency,Reason code,Reason,Field',
    );
    const rows = lines.slice(1, -1);
    expect(lines.at(-1)).toBe('');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    // The formula is neutralized and the comma and quotes are quoted.
    for (const row of rows)
      expect(row.startsWith(`Invoice,"'=1+2,""x""",Supplier 1 of csvreport,SUP-1,`)).toBe(true);
    const codes = rows.map((r) => r.split(',').at(-3));
    expect(codes).toEqual(expect.arrayContaining(['ACCOUNT_NOT_POSTABLE', 'COST_UNIT_INVALID']));
    expect(body).toContain('lines.0.accountCode');
    expect(body).not.toContain('OK-1');
  });

  it('accepts the session cookie of a member, the viewer included', async () => {
    const viewer = await srv.login(t.users.viewer.email, TEST_PASSWORD);
    const res = await get(reportId, { cookie: viewer.cookie! });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('ACCOUNT_NOT_POSTABLE');
  });

  it('is 401 without credentials and with an unknown token or session', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer ll_nonsense' },
      { cookie: 'll_session=nope' },
    ];
    for (const headers of attempts) {
      const res = await get(reportId, headers);
      expect(res.status).toBe(401);
      expect((await res.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('answers a foreign report exactly like a missing or malformed one: 404', async () => {
    const foreignUser = await srv.login(other.users.admin.email, TEST_PASSWORD);
    const answers = await Promise.all([
      get(reportId, { authorization: `Bearer ${other.tokens.admin}` }),
      get(reportId, { cookie: foreignUser.cookie! }),
      get(gid('TransferReport', randomUUID()), { authorization: `Bearer ${t.tokens.read}` }),
      get(gid('PurchaseInvoice', randomUUID()), { authorization: `Bearer ${t.tokens.read}` }),
      get('not-an-id', { authorization: `Bearer ${t.tokens.read}` }),
    ]);
    const bodies = await Promise.all(
      answers.map(async (r) => ({ status: r.status, body: await r.json() })),
    );
    for (const { status, body } of bodies) {
      expect(status).toBe(404);
      expect(body.errors[0]).toMatchObject({
        message: 'Transfer report not found',
        extensions: { code: 'NOT_FOUND' },
      });
    }
  });
});
