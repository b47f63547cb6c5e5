import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvoiceStatus, PurchaseInvoice } from '../modules/invoices/invoice.entity.js';
import { ApiClient } from '../modules/api-clients/api-client.entity.js';
import {
  createInvoice,
  createTenant,
  gid,
  TEST_PASSWORD,
  type Tenant,
} from '../testing/factories.js';
import { startTestServer, type GqlResult, type TestServer } from '../testing/server.js';

const INVOICE_IDS = `query($org: ID!, $tab: InvoiceTab!, $first: Int, $after: String, $filter: InvoiceFilter) {
  invoices(organizationId: $org, tab: $tab, first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id invoiceNumber }
  }
}`;

describe('read API', () => {
  let srv: TestServer;
  let a: Tenant;
  let b: Tenant;
  const expected: Record<string, string[]> = {
    IN_PROCESS: [],
    TRANSFERABLE: [],
    TRANSFERRED: [],
    ALL: [],
  };

  beforeAll(async () => {
    srv = await startTestServer();
    a = await createTenant(srv.db.orm, 'alpha');
    b = await createTenant(srv.db.orm, 'beta');
    const em = srv.db.orm.em.fork();
    const add = async (tabs: string[], spec: Parameters<typeof createInvoice>[2]) => {
      const inv = await createInvoice(em, a, spec);
      for (const t of tabs) expected[t].push(gid('PurchaseInvoice', inv.id));
      return inv;
    };
    await add(['ALL'], { status: InvoiceStatus.DRAFT });
    await add(['ALL', 'IN_PROCESS'], { status: InvoiceStatus.IN_CIRCULATION, stage: a.stages[0] });
    // At a stage flagged "transferred from this step": in process and transferable.
    await add(['ALL', 'IN_PROCESS', 'TRANSFERABLE'], {
      status: InvoiceStatus.IN_CIRCULATION,
      stage: a.stages[2],
    });
    await add(['ALL', 'TRANSFERABLE'], { status: InvoiceStatus.APPROVED });
    await add(['ALL'], { status: InvoiceStatus.APPROVED, posted: false });
    await add(['ALL'], { status: InvoiceStatus.REJECTED });
    await add(['ALL', 'TRANSFERRED'], { status: InvoiceStatus.APPROVED, ledgerVersion: 1 });
    // In the ledger but its posting changed since: transferable again (a correction is due).
    const changed = await add(['ALL', 'TRANSFERABLE'], {
      status: InvoiceStatus.APPROVED,
      ledgerVersion: 1,
    });
    changed.postingVersion = 2;
    const removed = await createInvoice(em, a, { status: InvoiceStatus.APPROVED });
    removed.status = InvoiceStatus.REMOVED;
    removed.removedAt = new Date();
    await em.flush();
    // Borealis-like second tenant's data never shows up for alpha.
    await createInvoice(em, b, { status: InvoiceStatus.APPROVED });
  });
  afterAll(() => srv?.stop());

  it('each tab returns exactly its invoices, and the counts agree', async () => {
    const c = srv.client({ token: a.tokens.read });
    for (const tab of Object.keys(expected)) {
      const res = await c(INVOICE_IDS, { org: a.orgId, tab, first: 100 });
      expect(res.errors, tab).toBeUndefined();
      const ids = res.data!.invoices.nodes.map((n: { id: string }) => n.id);
      expect(new Set(ids), tab).toEqual(new Set(expected[tab]));
      expect(res.data!.invoices.totalCount, tab).toBe(expected[tab].length);
    }
    const counts = await c(
      `query($org: ID!) { invoiceTabCounts(organizationId: $org) { tab count } }`,
      { org: a.orgId },
    );
    expect(
      Object.fromEntries(
        counts.data!.invoiceTabCounts.map((t: { tab: string; count: number }) => [t.tab, t.count]),
      ),
    ).toEqual(Object.fromEntries(Object.entries(expected).map(([t, ids]) => [t, ids.length])));
  });

  it('removed invoices are found only by asking for status REMOVED', async () => {
    const c = srv.client({ token: a.tokens.read });
    const res = await c(INVOICE_IDS, { org: a.orgId, tab: 'ALL', filter: { status: ['REMOVED'] } });
    expect(res.data!.invoices.totalCount).toBe(1);
  });

  it('pagination is stable while rows are inserted', async () => {
    const em = srv.db.orm.em.fork();
    const tenant = await createTenant(srv.db.orm, 'paging');
    for (let i = 0; i < 25; i++) {
      await createInvoice(em, tenant, {
        billDate: `2026-03-${String((i % 28) + 1).padStart(2, '0')}`,
      });
    }
    const c = srv.client({ token: tenant.tokens.read });
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      type Page = {
        invoices: {
          nodes: { id: string }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      };
      const res: GqlResult<Page> = await c<Page>(INVOICE_IDS, {
        org: tenant.orgId,
        tab: 'ALL',
        first: 7,
        after,
      });
      expect(res.errors).toBeUndefined();
      const page = res.data!.invoices;
      seen.push(...page.nodes.map((n) => n.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      // New invoices, newer and older than the page boundary, arrive while paging.
      await createInvoice(em, tenant, { billDate: '2026-04-15' });
      await createInvoice(em, tenant, { billDate: '2026-01-02' });
      pages++;
    } while (after && pages < 20);
    // Every original invoice exactly once, in order, despite the inserts.
    expect(new Set(seen).size).toBe(seen.length);
    const originals = await em.find(PurchaseInvoice, {
      organization: tenant.org.id,
      billDate: { $lt: '2026-04-01', $gt: '2026-01-02' },
    });
    for (const inv of originals) expect(seen).toContain(gid('PurchaseInvoice', inv.id));
  });

  it('filters by supplier, dates, amounts and text', async () => {
    const em = srv.db.orm.em.fork();
    const t = await createTenant(srv.db.orm, 'filters');
    const x = await createInvoice(em, t, {
      supplier: t.suppliers[1],
      invoiceNumber: 'ABC-777',
      billDate: '2026-02-10',
      lines: [{ netAmount: '1000.00' }],
    });
    await createInvoice(em, t, { billDate: '2026-05-10', lines: [{ netAmount: '10.00' }] });
    const c = srv.client({ token: t.tokens.read });
    const only = async (filter: Record<string, unknown>) =>
      (await c(INVOICE_IDS, { org: t.orgId, tab: 'ALL', filter })).data!.invoices.nodes.map(
        (n: { id: string }) => n.id,
      );
    const xid = gid('PurchaseInvoice', x.id);
    expect(await only({ supplierId: gid('Supplier', t.suppliers[1].id) })).toEqual([xid]);
    expect(await only({ billDateFrom: '2026-02-01', billDateTo: '2026-02-28' })).toEqual([xid]);
    expect(await only({ amountMin: '1000.00' })).toEqual([xid]);
    expect(await only({ search: 'c-77' })).toEqual([xid]);
    expect(await only({ search: String(x.documentNumber), billDateTo: '2026-03-01' })).toEqual([
      xid,
    ]);
    expect(await only({ search: '%' })).toEqual([]);
  });

  it('returns invoice details with lines, supplier, stage and history', async () => {
    const em = srv.db.orm.em.fork();
    const inv = await createInvoice(em, a, {
      status: InvoiceStatus.IN_CIRCULATION,
      stage: a.stages[2],
      lines: [{ netAmount: '50.00' }, { netAmount: '20.00', vatCode: 'VAT14', vatRate: '14.00' }],
    });
    const c = srv.client({ token: a.tokens.read });
    const res = await c(
      `query($id: ID!) { invoice(id: $id) { id netAmount vatAmount grossAmount status posted documentNumber
        supplier { name accountName } currentStage { name transferFromThisStep }
        lines { accountCode vatCode netAmount vatAmount } transferBlockers { code }
        history(first: 5) { totalCount } transfers { id } payments { id } ledgerEntry { id } ledgerOutOfDate } }`,
      { id: gid('PurchaseInvoice', inv.id) },
    );
    expect(res.errors).toBeUndefined();
    const got = res.data!.invoice;
    expect(got).toMatchObject({
      netAmount: '70.00',
      vatAmount: '15.55',
      grossAmount: '85.55',
      status: 'IN_CIRCULATION',
      posted: true,
      supplier: { accountName: 'SUP-1' },
      currentStage: { name: 'Accounting check', transferFromThisStep: true },
      transferBlockers: [],
      ledgerEntry: null,
      ledgerOutOfDate: false,
    });
    expect(got.lines).toHaveLength(2);
    expect(got.lines[1]).toEqual({
      accountCode: '4010',
      vatCode: 'VAT14',
      netAmount: '20.00',
      vatAmount: '2.80',
    });
  });

  it('serves master data, periods, settings and approval processes', async () => {
    const c = srv.client({ token: a.tokens.read });
    const res = await c(
      `query($org: ID!) {
        masterData(organizationId: $org) { accounts { code postable active } costUnits { code } vatCodes { code rate validFrom validTo } }
        accountingPeriods(organizationId: $org, fiscalYear: 2026) { id name startDate endDate status }
        transferSettings(organizationId: $org) { autoTransferInvoices exportMode closedPeriodPolicy }
        approvalProcesses(organizationId: $org) { name isDefault stages { name position transferFromThisStep approverRole } }
        suppliers(organizationId: $org, first: 2) { totalCount nodes { name } pageInfo { hasNextPage } }
        ledgerEntries(organizationId: $org) { totalCount }
      }`,
      { org: a.orgId },
    );
    expect(res.errors).toBeUndefined();
    const d = res.data!;
    expect(d.masterData.accounts.find((x: { code: string }) => x.code === '4000')).toEqual({
      code: '4000',
      postable: false,
      active: true,
    });
    expect(d.masterData.vatCodes.find((x: { code: string }) => x.code === 'VAT14')).toMatchObject({
      rate: '14.00',
      validTo: '2025-12-31',
    });
    expect(d.accountingPeriods).toHaveLength(12);
    expect(d.accountingPeriods[1]).toMatchObject({
      name: '2026-02',
      startDate: '2026-02-01',
      endDate: '2026-02-28',
      status: 'OPEN',
    });
    expect(d.transferSettings).toEqual({
      autoTransferInvoices: false,
      exportMode: 'ITEM',
      closedPeriodPolicy: 'SHIFT_TO_NEXT_OPEN',
    });
    expect(d.approvalProcesses[0].stages.map((s: { name: string }) => s.name)).toEqual([
      'Inspection',
      'Approval',
      'Accounting check',
    ]);
    expect(d.suppliers).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
  });

  describe('tenant isolation', () => {
    it('organization B (user or token) gets nothing of organization A', async () => {
      const em = srv.db.orm.em.fork();
      const inv = await createInvoice(em, a, { status: InvoiceStatus.APPROVED });
      const invoiceId = gid('PurchaseInvoice', inv.id);
      const lineId = gid(
        'InvoiceLine',
        (await em.findOneOrFail(PurchaseInvoice, inv.id, { populate: ['lines'] })).lines[0].id,
      );
      const clients = [
        srv.client({ token: b.tokens.read }),
        await srv.login(b.users.admin.email, TEST_PASSWORD),
      ];
      const orgScoped = [
        'invoices(organizationId: $org, tab: ALL) { totalCount }',
        'invoiceTabCounts(organizationId: $org) { count }',
        'suppliers(organizationId: $org) { totalCount }',
        'masterData(organizationId: $org) { accounts { code } }',
        'transfers(organizationId: $org) { totalCount }',
        'transferReports(organizationId: $org) { totalCount }',
        'approvalProcesses(organizationId: $org) { id }',
        'transferSettings(organizationId: $org) { exportMode }',
        'accountingPeriods(organizationId: $org) { id }',
        'ledgerEntries(organizationId: $org) { totalCount }',
        'lockDate(organizationId: $org)',
      ];
      const missingOrg = gid('Organization', '00000000-0000-4000-8000-000000000000');
      for (const c of clients) {
        for (const field of orgScoped) {
          const foreign = await c(`query($org: ID!) { ${field} }`, { org: a.orgId });
          const missing = await c(`query($org: ID!) { ${field} }`, { org: missingOrg });
          expect(
            Object.values(foreign.data ?? {}).every((v) => v === null),
            field,
          ).toBe(true);
          expect(foreign.errors?.[0].extensions?.code, field).toBe('NOT_FOUND');
          expect(foreign.errors?.[0].message, field).toBe(missing.errors?.[0].message);
        }
        for (const id of [
          invoiceId,
          lineId,
          a.orgId,
          gid('Supplier', a.suppliers[0].id),
          gid('ApprovalProcess', a.process.id),
        ]) {
          const res = await c(`query($id: ID!) { node(id: $id) { id } }`, { id });
          expect(res.data, id).toEqual({ node: null });
        }
        const direct = await c(`query($id: ID!) { invoice(id: $id) { id } }`, { id: invoiceId });
        expect(direct.data).toEqual({ invoice: null });
        const viewer = await c(`{ viewer { organizations { slug } } }`);
        expect(viewer.data!.viewer.organizations.map((o: { slug: string }) => o.slug)).toEqual([
          'beta',
        ]);
      }
    });

    it('anonymous callers are refused', async () => {
      const res = await srv.client()(INVOICE_IDS, { org: a.orgId, tab: 'ALL' });
      expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(res.data).toBeNull();
    });
  });

  describe('bad input gets a clear error, never a 500', () => {
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['malformed id', 'query($id: ID!) { invoice(id: $id) { id } }', { id: 'not-an-id' }, ''],
      ['first over 100', INVOICE_IDS, { tab: 'ALL', first: 101 }, 'BAD_USER_INPUT'],
      ['negative first', INVOICE_IDS, { tab: 'ALL', first: -1 }, 'BAD_USER_INPUT'],
      ['unknown enum', INVOICE_IDS, { tab: 'SIGNED_OFF' }, 'BAD_USER_INPUT'],
      [
        'bad date',
        INVOICE_IDS,
        { tab: 'ALL', filter: { billDateFrom: '2026-02-30' } },
        'BAD_USER_INPUT',
      ],
      ['bad decimal', INVOICE_IDS, { tab: 'ALL', filter: { amountMin: 12.5 } }, 'BAD_USER_INPUT'],
      ['bad cursor', INVOICE_IDS, { tab: 'ALL', after: 'garbage' }, 'BAD_USER_INPUT'],
      [
        'wrong id type',
        INVOICE_IDS,
        { tab: 'ALL', filter: { supplierId: 'abc' } },
        'BAD_USER_INPUT',
      ],
      ['unknown field', '{ viewer { password } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
      ['syntax error', '{ viewer { ', {}, 'GRAPHQL_PARSE_FAILED'],
    ];
    for (const [name, query, vars, code] of cases) {
      it(name, async () => {
        const res = await srv.client({ token: a.tokens.read })(query, { org: a.orgId, ...vars });
        expect(res.status).toBeLessThan(500);
        if (code) {
          expect(res.errors?.[0].extensions?.code).toBe(code);
          expect(res.errors?.[0].message.length).toBeGreaterThan(10);
        } else {
          expect(res.data).toEqual({ invoice: null });
        }
      });
    }

    it('malformed JSON body', async () => {
      const res = await fetch(srv.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query": ',
      });
      expect(res.status).toBe(400);
    });
  });

  describe('authentication', () => {
    it('logs in and out with the session cookie', async () => {
      const c = await srv.login(a.users.accountant.email, TEST_PASSWORD);
      const me = await c(`{ viewer { user { email } organizations { slug role } } }`);
      expect(me.data!.viewer).toEqual({
        user: { email: a.users.accountant.email },
        organizations: [{ slug: 'alpha', role: 'ACCOUNTANT' }],
      });
      const cookie = c.cookie;
      await c(`mutation { logout { userErrors { code } } }`);
      const after = await srv.client({ cookie })(`{ viewer { user { email } } }`);
      expect(after.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('refuses a wrong password and an unknown email the same way', async () => {
      const q = `mutation($i: LoginInput!) { login(input: $i) { user { id } userErrors { code message } } }`;
      const wrong = await srv.client()(q, { i: { email: a.users.admin.email, password: 'nope' } });
      const unknown = await srv.client()(q, {
        i: { email: 'nobody@nowhere.test', password: 'nope' },
      });
      expect(wrong.data!.login).toEqual({
        user: null,
        userErrors: [{ code: 'INVALID_CREDENTIALS', message: expect.any(String) }],
      });
      expect(unknown.data!.login).toEqual(wrong.data!.login);
      expect(wrong.headers.get('set-cookie')).toBeNull();
    });

    it('refuses a revoked token', async () => {
      const c = srv.client({ token: b.tokens.write });
      expect((await c(`{ viewer { apiClient { name } } }`)).data!.viewer.apiClient.name).toBe(
        'write token',
      );
      await srv.db.orm.em
        .fork()
        .nativeUpdate(
          ApiClient,
          { name: 'write token', organization: b.org.id },
          { revokedAt: new Date() },
        );
      const res = await c(`{ viewer { apiClient { name } } }`);
      expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });
  });
});
