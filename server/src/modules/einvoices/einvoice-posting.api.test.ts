// The official Peppol examples imported end to end get a proposed posting that adds up to the
// document exactly; once the user picks the account, the invoice posts, circulates and is
// approved with no posting warning and no transfer blocker left.
import { describe, expect, it } from 'vitest';
import { sumMoney } from '../../common/money.js';
import { APPROVE, POST, SEND, UPDATE_POSTING, mutate } from '../../api-tests/write-api.helpers.js';
import {
  createSupplierFrom,
  ctx,
  freshTenant,
  importXml,
  readFixture,
  setupEInvoiceApi,
  type Any,
} from './einvoice.api.helpers.js';

const LINES = `query($id: ID!) { invoice(id: $id) { id version status netAmount vatAmount grossAmount kind
  lines { accountCode costUnitCode vatCode netAmount vatAmount description }
  postingWarnings { code field } transferBlockers { code } } }`;
const SET = `mutation($i: SetVatMappingInput!) { setVatMapping(input: $i) { userErrors { code } } }`;

/** The example dated into the test ledger's years, where VAT255 is valid (the bytes change, the rules still pass). */
const dated = (file: string) =>
  readFixture('peppol', 'examples', file).replace(/2017-(1[12])-(\d\d)/g, '2025-$1-$2');

const total = (lines: Any[], k: string) => sumMoney(lines.map((l) => l[k])).toFixed(2);

async function importWithSupplier(xml: string, t: Any) {
  const client = ctx.srv.client({ token: t.tokens.write });
  const r = await importXml(xml, { client, tenant: t });
  expect(r.userErrors, JSON.stringify(r.userErrors)).toEqual([]);
  const done = await createSupplierFrom(r.document.id, client);
  expect(done.userErrors, JSON.stringify(done.userErrors)).toEqual([]);
  const invoice = (await client(LINES, { id: done.invoice.id })).data!.invoice;
  return { client, import: r, invoice };
}

describe('the posting an imported e-invoice proposes', () => {
  setupEInvoiceApi();

  it('Peppol base example: a line per e-invoice line and one for the charge, summing to the totals; account chosen → posted, approved, transferable', async () => {
    const t = await freshTenant();
    const admin = ctx.srv.client({ token: t.tokens.admin });
    await admin(SET, {
      i: { organizationId: t.orgId, category: 'S', rate: '25', vatCode: 'VAT255' },
    });
    const { client, invoice } = await importWithSupplier(dated('base-example.xml'), t);
    expect(
      invoice.lines.map((l: Any) => [l.vatCode, l.netAmount, l.vatAmount, l.accountCode]),
    ).toEqual([
      ['VAT255', '2800.00', '700.00', ''],
      ['VAT255', '-1500.00', '-375.00', ''],
      ['VAT255', '25.00', '6.25', ''],
    ]);
    expect(invoice.lines[0].description).toBeTruthy();
    expect([total(invoice.lines, 'netAmount'), total(invoice.lines, 'vatAmount')]).toEqual([
      invoice.netAmount,
      invoice.vatAmount,
    ]);
    // No default account on a supplier: the posting warnings ask for it, nothing is invented.
    expect(invoice.postingWarnings.map((w: Any) => w.code)).toEqual([
      'ACCOUNT_MISSING',
      'ACCOUNT_MISSING',
      'ACCOUNT_MISSING',
    ]);

    const coded = await mutate(client, UPDATE_POSTING, {
      invoiceId: invoice.id,
      version: invoice.version,
      lines: invoice.lines.map((l: Any) => ({ ...l, accountCode: '6800' })),
    });
    expect(coded.userErrors).toEqual([]);
    expect(coded.warnings).toEqual([]);
    const posted = await mutate(client, POST, {
      invoiceId: invoice.id,
      version: coded.invoice.version,
    });
    expect(posted.userErrors).toEqual([]);
    let version = (
      await mutate(client, SEND, { invoiceId: invoice.id, version: posted.invoice.version })
    ).invoice.version;
    for (let stage = 0; stage < 3; stage++) {
      const saved = await mutate(client, APPROVE, { invoiceId: invoice.id, version });
      expect(saved.userErrors).toEqual([]);
      version = saved.invoice.version;
    }
    const after = (await client(LINES, { id: invoice.id })).data!.invoice;
    expect(after.status).toBe('APPROVED');
    expect(after.postingWarnings).toEqual([]);
    expect(after.transferBlockers).toEqual([]);
  });

  it('the credit note: its lines are negative and add up to its negative totals', async () => {
    const t = await freshTenant();
    const admin = ctx.srv.client({ token: t.tokens.admin });
    await admin(SET, {
      i: { organizationId: t.orgId, category: 'S', rate: '25', vatCode: 'VAT255' },
    });
    const { invoice } = await importWithSupplier(dated('base-creditnote-correction.xml'), t);
    expect(invoice.kind).toBe('CREDIT_NOTE');
    expect(invoice.lines.map((l: Any) => [l.netAmount, l.vatAmount])).toEqual([
      ['-2800.00', '-700.00'],
      ['1500.00', '375.00'],
      ['-25.00', '-6.25'],
    ]);
    expect([total(invoice.lines, 'netAmount'), total(invoice.lines, 'vatAmount')]).toEqual([
      invoice.netAmount,
      invoice.vatAmount,
    ]);
    expect(invoice.netAmount).toBe('-1325.00');
  });

  it('an unmapped rate: no VAT code, the VAT_CODE_UNMAPPED warning, amounts still exact', async () => {
    const t = await freshTenant();
    const { import: r, invoice } = await importWithSupplier(dated('base-example.xml'), t);
    expect(r.warnings.map((w: Any) => w.code)).toContain('VAT_CODE_UNMAPPED');
    expect(invoice.lines.every((l: Any) => l.vatCode === '')).toBe(true);
    expect(invoice.postingWarnings.map((w: Any) => w.code)).toContain('VAT_CODE_MISSING');
    expect(total(invoice.lines, 'vatAmount')).toBe(invoice.vatAmount);
  });

  it('a mapping added while the document waits for its supplier is used and the warning goes', async () => {
    const t = await freshTenant();
    const client = ctx.srv.client({ token: t.tokens.write });
    const r = await importXml(dated('base-example.xml'), { client, tenant: t });
    expect(r.warnings.map((w: Any) => w.code)).toContain('VAT_CODE_UNMAPPED');
    const admin = ctx.srv.client({ token: t.tokens.admin });
    await admin(SET, {
      i: { organizationId: t.orgId, category: 'S', rate: '25', vatCode: 'VAT255' },
    });
    const done = await createSupplierFrom(r.document.id, client);
    expect(done.userErrors).toEqual([]);
    const invoice = (await client(LINES, { id: done.invoice.id })).data!.invoice;
    expect(invoice.lines.every((l: Any) => l.vatCode === 'VAT255')).toBe(true);
    const doc = await client(
      `query($id: ID!) { node(id: $id) { ... on EInvoiceDocument { warnings { code } } } }`,
      {
        id: r.document.id,
      },
    );
    expect(JSON.stringify(doc.errors ?? null)).toBe('null');
    expect(doc.data!.node.warnings.map((w: Any) => w.code)).not.toContain('VAT_CODE_UNMAPPED');
  });
});
