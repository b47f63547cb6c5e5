/** Shared setup of the e-invoice API tests: a server, two tenants, the official fixtures, helpers. */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../testing/factories.js';
import { startTestServer, type GqlClient, type TestServer } from '../../testing/server.js';

export const FIXTURES = path.join(import.meta.dirname, 'validation', 'fixtures');
export const readFixture = (...p: string[]) => fs.readFileSync(path.join(FIXTURES, ...p), 'utf8');

export const UE = 'userErrors { code message field }';
const DOCUMENT = `id format state filename sha256 byteSize invoiceNumber kind issueDate currency grossAmount
  seller { name endpoint vatNumber businessId countryCode }
  findings { ruleSet ruleId flag message location } ruleSets { id name version }
  warnings { code message } xmlUrl importedBy
  attachments { id filename mimeType byteSize downloadUrl }
  lines { lineId description netAmount vatCategory vatRate vatCode }`;
const INVOICE =
  'id invoiceNumber billDate dueDate currency netAmount vatAmount grossAmount source paymentReference status supplier { id name vatNumber peppolEndpoint businessId }';
export const IMPORT = `mutation($i: ImportEInvoiceInput!) { importEInvoice(input: $i) {
  outcome supplierMatchedBy document { ${DOCUMENT} } invoice { ${INVOICE} }
  findings { ruleSet ruleId flag message location } warnings { code message field } ${UE} } }`;
export const CREATE_SUPPLIER = `mutation($i: CreateSupplierFromEInvoiceInput!) { createSupplierFromEInvoice(input: $i) {
  document { id state } supplier { id name vatNumber peppolEndpoint businessId iban } invoice { ${INVOICE} } ${UE} } }`;

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL results are checked by shape */
export type Any = any;

/**
 * Tables an import may write; a refused import must leave every one as it was. (audit_event is
 * left out: a refused API mutation is audited on purpose.)
 */
export const INTAKE_TABLES = [
  'einvoice_document',
  'einvoice_attachment',
  'purchase_invoice',
  'supplier',
  'idempotency_record',
];

export const ctx = {} as {
  srv: TestServer;
  A: Tenant;
  B: Tenant;
  accountant: GqlClient;
  foreign: GqlClient;
};

let tenantCounter = 0;

export function setupEInvoiceApi(): void {
  beforeAll(async () => {
    ctx.srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    ctx.A = await createTenant(ctx.srv.db.orm, 'eia');
    ctx.B = await createTenant(ctx.srv.db.orm, 'eib');
    ctx.accountant = await ctx.srv.login('accountant@eia.test', TEST_PASSWORD);
    ctx.foreign = await ctx.srv.login('admin@eib.test', TEST_PASSWORD);
  }, 60_000);
  afterAll(() => ctx.srv?.stop());
}

/** A tenant of its own, for a test that must not see the other tests' suppliers and invoices. */
export async function freshTenant(): Promise<Tenant> {
  tenantCounter++;
  return createTenant(ctx.srv.db.orm, `eif${tenantCounter}`);
}

export async function importXml(
  document: string,
  opts: { client?: GqlClient; tenant?: Tenant; filename?: string; key?: string } = {},
): Promise<Any> {
  const client = opts.client ?? ctx.accountant;
  const res = await client(IMPORT, {
    i: {
      organizationId: (opts.tenant ?? ctx.A).orgId,
      document,
      filename: opts.filename ?? 'invoice.xml',
      idempotencyKey: opts.key ?? randomUUID(),
    },
  });
  expect(res.status, JSON.stringify(res.errors)).toBeLessThan(500);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!.importEInvoice;
}

export async function createSupplierFrom(
  documentId: string,
  client = ctx.accountant,
): Promise<Any> {
  const res = await client(CREATE_SUPPLIER, { i: { documentId } });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!.createSupplierFromEInvoice;
}

export async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of INTAKE_TABLES)
    out[t] = (await ctx.srv.db.sql<{ n: number }>(`select count(*)::int as n from ${t}`))[0]!.n;
  return out;
}
