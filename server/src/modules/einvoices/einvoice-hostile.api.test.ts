// Malicious and broken e-invoices over GraphQL and the multipart upload: each gets a clear
// userError, nothing is written, and the server never answers 500.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ctx,
  importXml,
  readFixture,
  rowCounts,
  setupEInvoiceApi,
  type Any,
} from './einvoice.api.helpers.js';
import { EINVOICE_LIMITS } from './einvoice-limits.js';

const base = () => readFixture('peppol', 'examples', 'base-example.xml');
const uploadUrl = () =>
  `${ctx.srv.url.replace(/\/graphql$/, '')}/api/einvoices/import?organizationId=${encodeURIComponent(ctx.A.orgId)}`;

async function upload(
  files: { name: string; body: Buffer | string }[],
  headers: Record<string, string> = {},
) {
  const form = new FormData();
  for (const f of files)
    form.append(
      'file',
      new Blob([typeof f.body === 'string' ? f.body : new Uint8Array(f.body)]),
      f.name,
    );
  return fetch(uploadUrl(), {
    method: 'POST',
    body: form,
    headers: { cookie: ctx.accountant.cookie!, 'apollo-require-preflight': 'true', ...headers },
  });
}

describe('hostile and broken e-invoices', () => {
  setupEInvoiceApi();

  const xxe = `<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${base()
    .replace(/^<\?xml[^>]*>/, '')
    .replace('Snippet1', '&xxe;')}`;
  const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol3;</Invoice>`;
  const cases: [string, () => string, string][] = [
    ['XXE (external entity)', () => xxe, 'XML_FORBIDDEN'],
    ['billion laughs', () => laughs, 'XML_FORBIDDEN'],
    [
      'wrong namespace',
      () =>
        base().replace(
          'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
          'urn:example:not-ubl',
        ),
      'UNSUPPORTED_FORMAT',
    ],
    ['truncated', () => base().slice(0, 2000), 'MALFORMED_DOCUMENT'],
    ['not XML at all', () => '%PDF-1.4 not an invoice', 'MALFORMED_DOCUMENT'],
    ['empty', () => '   ', 'MALFORMED_DOCUMENT'],
    [
      'Finvoice 3.0',
      () =>
        '<?xml version="1.0" encoding="UTF-8"?><Finvoice Version="3.0"><MessageTransmissionDetails/></Finvoice>',
      'UNSUPPORTED_FORMAT',
    ],
    [
      'a broken total (BR-CO-15)',
      () => base().replace(/(<cbc:TaxInclusiveAmount currencyID="EUR">)[^<]*</, '$11.00<'),
      'EINVOICE_INVALID',
    ],
  ];

  it.each(cases.map(([name, doc, code]) => [name, code, doc] as const))(
    '%s → %s, nothing written',
    async (_name, code, doc) => {
      const before = await rowCounts();
      const r = await importXml(doc());
      expect(r.outcome).toBe('REJECTED');
      expect(r.userErrors.map((u: Any) => u.code)).toEqual([code]);
      expect(r.userErrors[0].message.length).toBeGreaterThan(20);
      expect(await rowCounts()).toEqual(before);
    },
  );

  it('the Finvoice refusal says why', async () => {
    const r = await importXml(cases[6]![1]());
    expect(r.userErrors[0].message).toMatch(/Finvoice/);
  });

  it('a broken total comes back with its rule, flag, message and XPath', async () => {
    const r = await importXml(cases[7]![1]());
    const finding = r.findings.find((f: Any) => f.ruleId === 'BR-CO-15');
    expect(finding).toMatchObject({ flag: 'fatal', ruleSet: 'en16931-ubl' });
    expect(finding.location).toMatch(/^\/\*:Invoice/);
    expect(r.userErrors[0].message).toContain('BR-CO-15');
  });

  it('mixed encodings: a latin-1 document declaring UTF-8 is refused; declared latin-1 is read', async () => {
    const latin = Buffer.from(base().replace('SupplierOfficialName Ltd', 'Säätiö Oy'), 'latin1');
    const before = await rowCounts();
    const res = await upload([{ name: 'liar.xml', body: latin }]);
    expect(res.status).toBe(200);
    const [lie] = ((await res.json()) as Any).results;
    expect(lie.outcome).toBe('REJECTED');
    expect(lie.userErrors[0].code).toBe('MALFORMED_DOCUMENT');
    expect(await rowCounts()).toEqual(before);
    const honest = Buffer.from(
      base()
        .replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
        .replace('SupplierOfficialName Ltd', 'Säätiö Oy'),
      'latin1',
    );
    const ok = await upload([{ name: 'latin1.xml', body: honest }]);
    const [read] = ((await ok.json()) as Any).results;
    expect(read.userErrors).toEqual([]);
    expect(read.outcome).toBe('NEEDS_SUPPLIER');
  });

  it('a 50 MB document: refused by size before it is read, over GraphQL and over upload', async () => {
    const huge = base().replace('</Invoice>', `<!--${'x'.repeat(50 * 1024 * 1024)}--></Invoice>`);
    const before = await rowCounts();
    const gql = await ctx.accountant(
      `mutation($i: ImportEInvoiceInput!) { importEInvoice(input: $i) { outcome userErrors { code } } }`,
      {
        i: { organizationId: ctx.A.orgId, document: huge, idempotencyKey: randomUUID() },
      },
    );
    expect(gql.status).toBe(413);
    const res = await upload([
      { name: 'huge.xml', body: huge },
      { name: 'ok.xml', body: readFixture('peppol', 'examples', 'vat-category-E.xml') },
    ]);
    expect(res.status).toBe(200);
    const results = ((await res.json()) as Any).results;
    expect(results.map((r: Any) => [r.filename, r.outcome, r.userErrors[0]?.code ?? null])).toEqual(
      [
        ['huge.xml', 'REJECTED', 'DOCUMENT_TOO_LARGE'],
        ['ok.xml', 'NEEDS_SUPPLIER', null],
      ],
    );
    const after = await rowCounts();
    expect(after.einvoice_document).toBe(before.einvoice_document + 1);
    // Just over the limit over GraphQL (under the body limit): the guard's own refusal.
    const over = base().replace(
      '</Invoice>',
      `<!--${'x'.repeat(EINVOICE_LIMITS.maxDocumentBytes)}--></Invoice>`,
    );
    const r = await importXml(over);
    expect(r.userErrors.map((u: Any) => u.code)).toEqual(['DOCUMENT_TOO_LARGE']);
  }, 60_000);

  it('upload: many files, one result each; a cookie without the CSRF header and anonymous callers are refused', async () => {
    const res = await upload([
      { name: 'a.xml', body: readFixture('peppol', 'examples', 'vat-category-O.xml') },
      { name: 'b.xml', body: readFixture('peppol', 'examples', 'base-creditnote-correction.xml') },
      {
        name: 'evil.xml',
        body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
      },
    ]);
    expect(res.status).toBe(200);
    const results = ((await res.json()) as Any).results;
    expect(results.map((r: Any) => [r.filename, r.outcome])).toEqual([
      ['a.xml', 'NEEDS_SUPPLIER'],
      ['b.xml', 'NEEDS_SUPPLIER'],
      ['evil.xml', 'REJECTED'],
    ]);
    expect(results[0].documentId).toBeTruthy();
    expect(results[2].userErrors[0].code).toBe('XML_FORBIDDEN');

    const form = new FormData();
    form.append('file', new Blob([base()]), 'x.xml');
    const csrf = await fetch(uploadUrl(), {
      method: 'POST',
      body: form,
      headers: { cookie: ctx.accountant.cookie! },
    });
    expect(csrf.status).toBe(400);
    const anonymous = await fetch(uploadUrl(), {
      method: 'POST',
      body: form,
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(anonymous.status).toBe(401);
    // A token needs no CSRF header; another organization's id is "not found", per file.
    const token = await fetch(uploadUrl(), {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${ctx.B.tokens.write}` },
    });
    const [foreign] = ((await token.json()) as Any).results;
    expect(foreign.userErrors[0].code).toBe('NOT_FOUND');
    const notMultipart = await fetch(uploadUrl(), {
      method: 'POST',
      body: base(),
      headers: { authorization: `Bearer ${ctx.A.tokens.write}`, 'content-type': 'application/xml' },
    });
    expect(notMultipart.status).toBe(415);
  });
});
