/**
 * The documented limits trip as documented: depth, aliases, directives, tokens, query cost, and
 * the per-caller cost bucket shared by replicas (THROTTLED with a retry time).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_API_LIMITS, DOCUMENT_LIMITS } from '../modules/rate-limits/api-limits.js';
import { createInvoice, createTenant, type Tenant } from '../testing/factories.js';
import { startTestServer, type GqlResult, type TestServer } from '../testing/server.js';

const BUCKET = 100;
const SESSION_BUCKET = 300;
const RATE = 5;
const LIMIT_ENV = {
  LEDGERLINK_COST_BUCKET_SIZE: String(BUCKET),
  LEDGERLINK_COST_RESTORE_RATE: String(RATE),
  LEDGERLINK_SESSION_COST_BUCKET_SIZE: String(SESSION_BUCKET),
  LEDGERLINK_SESSION_COST_RESTORE_RATE: String(RATE),
  LEDGERLINK_MAX_QUERY_COST: String(BUCKET),
  LEDGERLINK_WORKER: 'off',
};

const code = (res: GqlResult) => res.errors?.[0]?.extensions?.code;

/** `invoice(id) { payments { invoice { payments ... { id } } } }`, `depth` fields deep. */
function deepQuery(depth: number): string {
  let body = 'id';
  for (let level = depth - 1; level >= 2; level--)
    body = `${level % 2 === 0 ? 'payments' : 'invoice'} { ${body} }`;
  return `query($id: ID!) { invoice(id: $id) { ${body} } }`;
}

describe('document limits (defaults)', () => {
  let srv: TestServer;
  let t: Tenant;
  let invoiceId: string;

  beforeAll(async () => {
    // The production defaults, not the test harness's bottomless bucket.
    srv = await startTestServer({
      env: {
        LEDGERLINK_WORKER: 'off',
        LEDGERLINK_COST_BUCKET_SIZE: String(DEFAULT_API_LIMITS.bucketSize),
        LEDGERLINK_COST_RESTORE_RATE: String(DEFAULT_API_LIMITS.restoreRate),
      },
    });
    t = await createTenant(srv.db.orm, 'limits');
    const inv = await createInvoice(srv.db.orm.em.fork(), t);
    invoiceId = Buffer.from(`PurchaseInvoice:${inv.id}`).toString('base64url');
  });
  afterAll(() => srv?.stop());

  it(`depth: ${DOCUMENT_LIMITS.maxDepth} levels run, one more is refused before anything runs`, async () => {
    const c = srv.client({ token: t.tokens.read });
    const okRes = await c(deepQuery(DOCUMENT_LIMITS.maxDepth), { id: invoiceId });
    expect(okRes.errors, JSON.stringify(okRes.errors)).toBeUndefined();
    expect(okRes.data!.invoice.payments).toEqual([]);
    const res = await c(deepQuery(DOCUMENT_LIMITS.maxDepth + 1), { id: invoiceId });
    expect(res.status).toBe(400);
    expect(code(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors![0].message).toContain(
      `depth limit of ${DOCUMENT_LIMITS.maxDepth} exceeded, found ${DOCUMENT_LIMITS.maxDepth + 1}`,
    );
    expect(res.data).toBeUndefined();
  });

  it('depth: fragments count as the fields they hold, not as a level', async () => {
    const c = srv.client({ token: t.tokens.read });
    const res = await c(
      `query($id: ID!) { invoice(id: $id) { ...A } } fragment A on PurchaseInvoice { ... on PurchaseInvoice { id } }`,
      {
        id: invoiceId,
      },
    );
    expect(res.errors).toBeUndefined();
  });

  it(`aliases: ${DOCUMENT_LIMITS.maxAliases} pass, one more is refused`, async () => {
    const c = srv.client({ token: t.tokens.read });
    const aliased = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: rateLimit { limit }`).join(' ')} }`;
    expect((await c(aliased(DOCUMENT_LIMITS.maxAliases))).errors).toBeUndefined();
    const res = await c(aliased(DOCUMENT_LIMITS.maxAliases + 1));
    expect(res.status).toBe(400);
    expect(code(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors![0].message).toContain(
      `Aliases limit of ${DOCUMENT_LIMITS.maxAliases} exceeded`,
    );
  });

  it(`directives: ${DOCUMENT_LIMITS.maxDirectives} pass, one more is refused`, async () => {
    const c = srv.client({ token: t.tokens.read });
    const directed = (n: number) =>
      `{ rateLimit { ${Array.from({ length: n }, () => 'limit @include(if: true)').join(' ')} } }`;
    expect((await c(directed(DOCUMENT_LIMITS.maxDirectives))).errors).toBeUndefined();
    const res = await c(directed(DOCUMENT_LIMITS.maxDirectives + 1));
    expect(res.status).toBe(400);
    expect(res.errors![0].message).toContain(
      `Directives limit of ${DOCUMENT_LIMITS.maxDirectives} exceeded`,
    );
  });

  it(`tokens: a document of more than ${DOCUMENT_LIMITS.maxTokens} tokens is not even parsed`, async () => {
    const c = srv.client({ token: t.tokens.read });
    // 22 tokens of frame plus one per enum value in the list.
    const doc = (values: number) =>
      `{ invoices(organizationId: "${t.orgId}", tab: ALL, filter: { status: [${Array.from({ length: values }, () => 'DRAFT').join(' ')}] }) { totalCount } }`;
    const fits = await c(doc(DOCUMENT_LIMITS.maxTokens - 22));
    expect(fits.errors, JSON.stringify(fits.errors)).toBeUndefined();
    const res = await c(doc(DOCUMENT_LIMITS.maxTokens - 21));
    expect(res.status).toBe(400);
    expect(code(res)).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.errors![0].message).toMatch(
      new RegExp(`Document contains more th\\w+ ${DOCUMENT_LIMITS.maxTokens} tokens`),
    );
  });

  it(`cost: a query priced above ${DEFAULT_API_LIMITS.maxQueryCost} is refused with its price, and takes nothing from the bucket`, async () => {
    const c = srv.client({ token: t.tokens.write });
    const before = (await c(`{ rateLimit { remaining } }`)).data!.rateLimit.remaining as number;
    const res = await c(
      `query($org: ID!) { invoices(organizationId: $org, tab: ALL, first: 100) { nodes { id history(first: 100) { nodes { id } } } } }`,
      { org: t.orgId },
    );
    expect(res.status).toBe(400);
    expect(code(res)).toBe('MAX_COST_EXCEEDED');
    expect(res.errors![0].extensions!.cost).toEqual({
      requestedQueryCost: 1 + 100 * 102,
      maximumQueryCost: DEFAULT_API_LIMITS.maxQueryCost,
    });
    expect(res.errors![0].extensions!.requestId).toBe(res.headers.get('x-request-id'));
    const after = (await c(`{ rateLimit { remaining } }`)).data!.rateLimit.remaining as number;
    // Only the two rateLimit queries (1 point each) were paid for, and the bucket refills meanwhile.
    expect(after).toBeGreaterThanOrEqual(before - 1);
  });

  it('every priced response reports the requested and the actual cost', async () => {
    const c = srv.client({ token: t.tokens.read });
    const res = await c(
      `query($org: ID!) { invoices(organizationId: $org, tab: ALL, first: 50) { totalCount nodes { id supplier { id } } } }`,
      {
        org: t.orgId,
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.invoices.totalCount).toBe(1);
    expect(res.extensions!.cost).toMatchObject({
      requestedQueryCost: 1 + 1 + 50 * 2,
      actualQueryCost: 1 + 1 + 1 * 2,
      throttleStatus: {
        maximumAvailable: DEFAULT_API_LIMITS.bucketSize,
        restoreRate: DEFAULT_API_LIMITS.restoreRate,
      },
    });
    expect(typeof res.extensions!.cost!.throttleStatus.currentlyAvailable).toBe('number');
  });

  it.each(['docs/partner-api.md', 'README.md'])(
    'the numbers in %s are the ones in force',
    (file) => {
      const doc = fs.readFileSync(
        path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', file),
        'utf8',
      );
      const row = (label: string) => {
        const m = new RegExp(`^\\s*\\|\\s*${label}\\s*\\|\\s*([\\d,.]+)`, 'm').exec(doc);
        expect(m, `${file} has a row "| ${label} | ..."`).not.toBeNull();
        return Number(m![1].replace(/,/g, ''));
      };
      expect(row('Query depth')).toBe(DOCUMENT_LIMITS.maxDepth);
      expect(row('Aliases per operation')).toBe(DOCUMENT_LIMITS.maxAliases);
      expect(row('Directives per operation')).toBe(DOCUMENT_LIMITS.maxDirectives);
      expect(row('Tokens per document')).toBe(DOCUMENT_LIMITS.maxTokens);
      expect(row('Cost of one query')).toBe(DEFAULT_API_LIMITS.maxQueryCost);
      expect(row('Bucket size')).toBe(DEFAULT_API_LIMITS.bucketSize);
      expect(row('Restore rate')).toBe(DEFAULT_API_LIMITS.restoreRate);
      expect(row('Bucket size, signed-in users')).toBe(DEFAULT_API_LIMITS.sessionBucketSize);
      expect(row('Restore rate, signed-in users')).toBe(DEFAULT_API_LIMITS.sessionRestoreRate);
      expect(row('Failed sign-ins per account')).toBe(DEFAULT_API_LIMITS.loginAccountBurst);
      expect(row('Failed sign-ins per address')).toBe(DEFAULT_API_LIMITS.loginAddressBurst);
    },
  );
});

describe('cost bucket: throttling, shared by replicas', () => {
  let a: TestServer;
  let b: TestServer;
  let t: Tenant;
  const LIST_60 = `query($org: ID!) { invoices(organizationId: $org, tab: ALL, first: 59) { nodes { id } } }`;

  beforeAll(async () => {
    a = await startTestServer({ env: LIMIT_ENV });
    // A second replica on the same database.
    b = await startTestServer({ env: LIMIT_ENV, db: a.db });
    t = await createTenant(a.db.orm, 'bucket');
    const em = a.db.orm.em.fork();
    for (let i = 0; i < 59; i++) await createInvoice(em, t);
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it('a query that does not fit waits: THROTTLED, HTTP 429, Retry-After; the other replica sees the same bucket; nothing runs', async () => {
    const onA = a.client({ token: t.tokens.write });
    const onB = b.client({ token: t.tokens.write });
    const first = await onA(LIST_60, { org: t.orgId });
    expect(first.errors).toBeUndefined();
    expect(first.extensions!.cost).toMatchObject({ requestedQueryCost: 60, actualQueryCost: 60 });
    expect(first.extensions!.cost!.throttleStatus.currentlyAvailable).toBeLessThanOrEqual(
      BUCKET - 60 + 1,
    );

    const throttled = await onB(LIST_60, { org: t.orgId });
    expect(throttled.status).toBe(429);
    expect(code(throttled)).toBe('THROTTLED');
    const ext = throttled.errors![0].extensions!;
    expect(Number.isInteger(ext.retryAfter)).toBe(true);
    expect(ext.retryAfter).toBeGreaterThanOrEqual(1);
    expect(ext.retryAfter).toBeLessThanOrEqual(Math.ceil((60 - (BUCKET - 60)) / RATE));
    expect(throttled.headers.get('retry-after')).toBe(String(ext.retryAfter));
    expect(throttled.errors![0].message).toMatch(/retry in \d+ s/);
    expect(ext.cost).toMatchObject({ requestedQueryCost: 60, actualQueryCost: 0 });
    expect(throttled.data).toBeUndefined();

    // A throttled mutation changes nothing and leaves no audit row.
    const count = async () =>
      (await a.db.sql<{ n: number }>(`select count(*)::int as n from purchase_invoice`))[0].n;
    const audits = async () =>
      (await a.db.sql<{ n: number }>(`select count(*)::int as n from audit_event`))[0].n;
    const [invoicesBefore, auditsBefore] = [await count(), await audits()];
    const nine = Array.from(
      { length: 9 },
      (_, i) => `m${i}: createPurchaseInvoice(input: $i) { userErrors { code } }`,
    ).join(' ');
    const drained = await onA(`mutation($i: CreatePurchaseInvoiceInput!) { ${nine} }`, {
      i: {
        organizationId: t.orgId,
        supplierId: 'x',
        invoiceNumber: 'x',
        billDate: '2026-01-01',
        dueDate: '2026-01-01',
        currency: 'EUR',
        netAmount: '1.00',
        vatAmount: '0.00',
        grossAmount: '1.00',
        idempotencyKey: 'k',
      },
    });
    expect(drained.status).toBe(429);
    expect([await count(), await audits()]).toEqual([invoicesBefore, auditsBefore]);

    // After the advertised wait the same query runs.
    await new Promise((r) => setTimeout(r, (ext.retryAfter as number) * 1000 + 200));
    const again = await onB(LIST_60, { org: t.orgId });
    expect(again.errors, JSON.stringify(again.errors)).toBeUndefined();
  });

  it('each token has its own bucket; rateLimit tells limit, remaining and reset time', async () => {
    const reader = a.client({ token: t.tokens.read });
    const res = await reader(
      `{ rateLimit { limit remaining resetAt restoreRate cost maxQueryCost } }`,
    );
    expect(res.errors).toBeUndefined();
    const rl = res.data!.rateLimit;
    expect(rl).toMatchObject({ limit: BUCKET, restoreRate: RATE, cost: 1, maxQueryCost: BUCKET });
    expect(rl.remaining).toBe(BUCKET - 1);
    const reset = Date.parse(rl.resetAt);
    expect(reset).toBeGreaterThan(Date.now() - 5_000);
    expect(reset).toBeLessThanOrEqual(Date.now() + Math.ceil((1 / RATE) * 1000) + 5_000);
  });

  it('unused points are given back: a list that returns little costs little', async () => {
    const c = a.client({ token: t.tokens.export });
    const res = await c(
      `query($org: ID!) { transfers(organizationId: $org, first: 90) { nodes { id } } }`,
      { org: t.orgId },
    );
    expect(res.extensions!.cost).toMatchObject({ requestedQueryCost: 91, actualQueryCost: 1 });
    const rl = (await c(`{ rateLimit { remaining } }`)).data!.rateLimit;
    expect(rl.remaining).toBeGreaterThanOrEqual(BUCKET - 1 - 1);
  });

  it('signed-in users pay from one larger bucket per user, anonymous callers from one per address', async () => {
    const admin = await a.login('admin@bucket.test', 'correct horse battery');
    const res = await admin(`{ rateLimit { remaining limit } }`);
    expect(res.data!.rateLimit.limit).toBe(SESSION_BUCKET);
    // Three lists of 60 in a row: more than a token's bucket, within a person's.
    for (let i = 0; i < 3; i++)
      expect((await admin(LIST_60, { org: t.orgId })).errors).toBeUndefined();
    // Another browser of the same user draws from the same bucket.
    const again = await a.login('admin@bucket.test', 'correct horse battery');
    const rl = (await again(`{ rateLimit { remaining } }`)).data!.rateLimit;
    expect(rl.remaining).toBeLessThanOrEqual(SESSION_BUCKET - 100);
    const keys = (
      await a.db.sql<{ key: string }>(`select key from rate_limit_bucket order by key`)
    ).map((r) => r.key);
    expect(keys.some((k) => k.startsWith('cost:user:'))).toBe(true);
    expect(keys.some((k) => k.startsWith('cost:ip:'))).toBe(true); // the anonymous login call
    expect(keys.some((k) => k.startsWith('cost:api_client:'))).toBe(true);
  });
});
