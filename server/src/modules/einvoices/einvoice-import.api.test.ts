// E-invoice intake over real GraphQL/HTTP on a real database: the Peppol example from
// "needs supplier" to its invoice, re-imports, supplier matching, VAT mapping, tenancy.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../../testing/factories.js';
import {
  createSupplierFrom,
  ctx,
  freshTenant,
  importXml,
  readFixture,
  rowCounts,
  setupEInvoiceApi,
  type Any,
} from './einvoice.api.helpers.js';

const base = () => readFixture('peppol', 'examples', 'base-example.xml');

describe('importEInvoice', () => {
  setupEInvoiceApi();

  it('the Peppol example: stored, waits for its supplier, one click creates supplier and invoice, re-imports find it', async () => {
    const before = await rowCounts();
    const first = await importXml(base(), { filename: 'base-example.xml' });
    expect(first.userErrors).toEqual([]);
    expect(first.outcome).toBe('NEEDS_SUPPLIER');
    expect(first.invoice).toBeNull();
    expect(first.document).toMatchObject({
      format: 'UBL_INVOICE',
      state: 'NEEDS_SUPPLIER',
      filename: 'base-example.xml',
      invoiceNumber: 'Snippet1',
      grossAmount: '1656.25',
      importedBy: 'accountant@eia.test',
      seller: { name: 'SupplierOfficialName Ltd', endpoint: '0088:9482348239847239874' },
    });
    expect(first.document.ruleSets.map((r: Any) => r.id)).toEqual([
      'en16931-ubl',
      'peppol-bis3-ubl',
    ]);
    // No VAT mapping yet: every line is flagged, none guessed.
    expect(first.document.lines.every((l: Any) => l.vatCode === null)).toBe(true);
    expect(first.warnings.map((w: Any) => w.code)).toContain('VAT_CODE_UNMAPPED');
    const afterFirst = await rowCounts();
    expect(afterFirst.einvoice_document).toBe(before.einvoice_document + 1);
    expect(afterFirst.purchase_invoice).toBe(before.purchase_invoice);

    const created = await createSupplierFrom(first.document.id);
    expect(created.userErrors).toEqual([]);
    expect(created.document.state).toBe('IMPORTED');
    expect(created.supplier).toMatchObject({
      name: 'SupplierOfficialName Ltd',
      peppolEndpoint: '0088:9482348239847239874',
      vatNumber: 'GB1232434',
    });
    expect(created.invoice).toMatchObject({
      invoiceNumber: 'Snippet1',
      billDate: '2017-11-13',
      dueDate: '2017-12-01',
      currency: 'EUR',
      netAmount: '1325.00',
      vatAmount: '331.25',
      grossAmount: '1656.25',
      source: 'PEPPOL',
      status: 'DRAFT',
    });
    // Clicking again: the document has its supplier now.
    const again = await createSupplierFrom(first.document.id);
    expect(again.userErrors.map((u: Any) => u.code)).toEqual(['INVALID_STATE']);

    // The same bytes: the same invoice, nothing new.
    const mid = await rowCounts();
    const dup = await importXml(base());
    expect(dup).toMatchObject({ outcome: 'DUPLICATE', userErrors: [] });
    expect(dup.invoice.id).toBe(created.invoice.id);
    expect(dup.document.id).toBe(first.document.id);
    // Other bytes, same supplier and number: refused, naming the existing invoice.
    const resent = await importXml(base().replace('</Invoice>', '<!-- resent --></Invoice>'));
    expect(resent.outcome).toBe('REJECTED');
    expect(resent.userErrors.map((u: Any) => u.code)).toEqual(['DUPLICATE_INVOICE']);
    expect(resent.userErrors[0].message).toContain(created.invoice.id);
    const after = await rowCounts();
    expect(after.purchase_invoice).toBe(mid.purchase_invoice);
    expect(after.einvoice_document).toBe(mid.einvoice_document);

    // The invoice knows its e-invoice.
    const read = await ctx.accountant(
      `query($id: ID!) { invoice(id: $id) { source einvoice { id state findings { ruleId } } } }`,
      { id: created.invoice.id },
    );
    expect(read.data!.invoice).toMatchObject({
      source: 'PEPPOL',
      einvoice: { id: first.document.id },
    });
  });

  it('an idempotency key replays its first answer; reused for another document it is refused', async () => {
    const t = await freshTenant();
    const client = ctx.srv.client({ token: t.tokens.write });
    const key = randomUUID();
    const xml = readFixture('peppol', 'examples', 'Vat-category-S.xml');
    const one = await importXml(xml, { client, tenant: t, key });
    const two = await importXml(xml, { client, tenant: t, key });
    expect(two).toEqual(one);
    const other = await importXml(readFixture('peppol', 'examples', 'vat-category-Z.xml'), {
      client,
      tenant: t,
      key,
    });
    expect(other.userErrors.map((u: Any) => u.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
  });

  it('matches suppliers by Peppol endpoint, VAT number and Finnish business id', async () => {
    const t = await freshTenant();
    const client = ctx.srv.client({ token: t.tokens.write });
    const [s1, s2, s3] = t.suppliers;
    const xml = base();
    await ctx.srv.db.sql(
      `update supplier set peppol_endpoint_scheme = '0088', peppol_endpoint_id = '9482348239847239874' where id = $1`,
      [s1!.id],
    );
    const byEndpoint = await importXml(xml, { client, tenant: t });
    expect(byEndpoint).toMatchObject({ outcome: 'CREATED', supplierMatchedBy: 'PEPPOL_ENDPOINT' });
    expect(byEndpoint.invoice.supplier.name).toBe(s1!.name);

    // Other bytes (a comment), and the endpoint no longer known: the VAT number decides.
    await ctx.srv.db.sql(`update supplier set peppol_endpoint_id = null where id = $1`, [s1!.id]);
    await ctx.srv.db.sql(`update supplier set vat_number = 'GB1232434' where id = $1`, [s2!.id]);
    const byVat = await importXml(xml.replace('</Invoice>', '<!-- 2 --></Invoice>'), {
      client,
      tenant: t,
    });
    expect(byVat).toMatchObject({ outcome: 'CREATED', supplierMatchedBy: 'VAT_NUMBER' });
    expect(byVat.invoice.supplier.name).toBe(s2!.name);

    // A Finnish seller known only by its Y-tunnus; the document carries its FI VAT number.
    await ctx.srv.db.sql(`update supplier set business_id = '0112038-9' where id = $1`, [s3!.id]);
    const finnish = xml
      .replace('GB1232434', 'FI01120389')
      .replace('</Invoice>', '<!-- 3 --></Invoice>');
    const byBusinessId = await importXml(finnish, { client, tenant: t });
    expect(byBusinessId).toMatchObject({ outcome: 'CREATED', supplierMatchedBy: 'BUSINESS_ID' });
    expect(byBusinessId.invoice.supplier.name).toBe(s3!.name);
    expect(byBusinessId.document.seller.businessId).toBe('0112038-9');
  });

  it('VAT mappings: admin-edited, lines get their code, an unmapped rate stays a warning', async () => {
    const t = await freshTenant();
    const admin = ctx.srv.client({ token: t.tokens.admin });
    const writer = ctx.srv.client({ token: t.tokens.write });
    const SET = `mutation($i: SetVatMappingInput!) { setVatMapping(input: $i) { vatMapping { category rate vatCode } userErrors { code } } }`;
    const set = await admin(SET, {
      i: { organizationId: t.orgId, category: 's', rate: '25.00', vatCode: 'VAT25' },
    });
    expect(set.data!.setVatMapping).toEqual({
      vatMapping: { category: 'S', rate: '25', vatCode: 'VAT25' },
      userErrors: [],
    });
    const forbidden = await writer(SET, {
      i: { organizationId: t.orgId, category: 'S', rate: '24', vatCode: 'X' },
    });
    expect(forbidden.data!.setVatMapping.userErrors.map((u: Any) => u.code)).toEqual(['FORBIDDEN']);
    const bad = await admin(SET, {
      i: { organizationId: t.orgId, category: 'Q', rate: '250', vatCode: 'X' },
    });
    expect(bad.data!.setVatMapping.userErrors.map((u: Any) => u.code)).toEqual([
      'VALIDATION',
      'VALIDATION',
    ]);
    const list = await admin(
      `query($o: ID!) { vatMappings(organizationId: $o) { category rate vatCode } }`,
      { o: t.orgId },
    );
    expect(list.data!.vatMappings).toEqual([{ category: 'S', rate: '25', vatCode: 'VAT25' }]);

    const r = await importXml(base(), { client: writer, tenant: t });
    expect(r.document.lines.map((l: Any) => [l.vatCategory, l.vatRate, l.vatCode])).toEqual([
      ['S', '25.0', 'VAT25'],
      ['S', '25.0', 'VAT25'],
    ]);
    expect(r.warnings.map((w: Any) => w.code)).not.toContain('VAT_CODE_UNMAPPED');

    const z = await importXml(readFixture('peppol', 'examples', 'vat-category-Z.xml'), {
      client: writer,
      tenant: t,
    });
    expect(z.warnings.filter((w: Any) => w.code === 'VAT_CODE_UNMAPPED').length).toBe(
      z.document.lines.length,
    );
    const REMOVE = `mutation($i: RemoveVatMappingInput!) { removeVatMapping(input: $i) { removed userErrors { code } } }`;
    expect(
      (await admin(REMOVE, { i: { organizationId: t.orgId, category: 'S', rate: '25' } })).data!
        .removeVatMapping,
    ).toEqual({ removed: true, userErrors: [] });
    expect(
      (await admin(REMOVE, { i: { organizationId: t.orgId, category: 'S', rate: '25' } })).data!
        .removeVatMapping.userErrors[0].code,
    ).toBe('NOT_FOUND');
  });

  it('tenancy: another organization cannot import into, read, download or complete a document', async () => {
    const r = await importXml(readFixture('en16931', 'examples', 'ubl-tc434-example1.xml'));
    expect(r.outcome).toBe('NEEDS_SUPPLIER');
    const before = await rowCounts();
    const into = await importXml(base(), { client: ctx.foreign, tenant: ctx.A });
    expect(into.userErrors.map((u: Any) => u.code)).toEqual(['NOT_FOUND']);
    const node = await ctx.foreign(`query($id: ID!) { node(id: $id) { id } }`, {
      id: r.document.id,
    });
    expect(node.data!.node).toBeNull();
    const complete = await createSupplierFrom(r.document.id, ctx.foreign);
    expect(complete.userErrors.map((u: Any) => u.code)).toEqual(['NOT_FOUND']);
    const list = await ctx.foreign(
      `query($o: ID!) { einvoiceDocuments(organizationId: $o) { id } }`,
      { o: ctx.A.orgId },
    );
    expect(list.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const own = ctx.srv.url.replace(/\/graphql$/, '');
    const foreignXml = await fetch(`${own}${r.document.xmlUrl}`, {
      headers: { cookie: ctx.foreign.cookie! },
    });
    expect(foreignXml.status).toBe(404);
    const mine = await fetch(`${own}${r.document.xmlUrl}`, {
      headers: { cookie: ctx.accountant.cookie! },
    });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-type')).toContain('application/xml');
    expect(await mine.text()).toBe(readFixture('en16931', 'examples', 'ubl-tc434-example1.xml'));
    const anonymous = await fetch(`${own}${r.document.xmlUrl}`);
    expect(anonymous.status).toBe(401);
    expect(await rowCounts()).toEqual(before);
    // A viewer may read but not import.
    const viewer = await ctx.srv.login('viewer@eia.test', TEST_PASSWORD);
    const refused = await importXml(base(), { client: viewer });
    expect(refused.userErrors.map((u: Any) => u.code)).toEqual(['FORBIDDEN']);
  });
});
