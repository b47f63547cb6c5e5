/** Tenant matrix rows: e-invoice intake (import, one-click supplier, VAT mappings). */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Tenant } from '../testing/factories.js';
import {
  ADMINS,
  EVERYONE,
  UE,
  WRITERS,
  type MatrixContext,
  type Row,
  type Target,
} from './tenant-matrix.helpers.js';

const BASE = fs.readFileSync(
  path.join(
    import.meta.dirname,
    '..',
    'modules',
    'einvoices',
    'validation',
    'fixtures',
    'peppol',
    'examples',
    'base-example.xml',
  ),
  'utf8',
);

/**
 * The Peppol example as a new document from a new seller each time: its own number, name and VAT
 * number, no endpoint and EN 16931 only (a Peppol endpoint would have to be a real GLN), so it
 * always lands in NEEDS_SUPPLIER and its supplier can always be created.
 */
function uniqueDocument(): string {
  const n = randomUUID().replace(/-/g, '');
  return BASE.replace(
    /<cbc:CustomizationID>[^<]*</,
    '<cbc:CustomizationID>urn:cen.eu:en16931:2017<',
  )
    .replace('<cbc:ID>Snippet1</cbc:ID>', `<cbc:ID>MX-${n.slice(0, 12)}</cbc:ID>`)
    .replace(/<cbc:EndpointID schemeID="0088">9482348239847239874<\/cbc:EndpointID>/, '')
    .replace(/SupplierOfficialName Ltd/g, `Seller ${n.slice(0, 10)} Ltd`)
    .replace(/GB1232434/g, `GB${parseInt(n.slice(0, 8), 16) % 1_000_000_000}`);
}

export function einvoiceRows(ctx: MatrixContext): Record<string, Row> {
  const { tenantOf, missing, fixture } = ctx;
  const orgOf = (t: Target) => (t === 'missing' ? missing('Organization') : tenantOf(t).orgId);
  const importAs = async (tenant: Tenant) => {
    const r = await ctx.srv.client({ token: tenant.tokens.write })(
      `mutation($i: ImportEInvoiceInput!) { importEInvoice(input: $i) { outcome document { id } ${UE} } }`,
      {
        i: {
          organizationId: tenant.orgId,
          document: uniqueDocument(),
          idempotencyKey: randomUUID(),
        },
      },
    );
    expect(r.data!.importEInvoice.userErrors).toEqual([]);
    expect(r.data!.importEInvoice.outcome).toBe('NEEDS_SUPPLIER');
    return r.data!.importEInvoice.document.id as string;
  };
  let rate = 1;
  const mapping = (t: Target, fresh: boolean) =>
    fixture('vatMapping', t, fresh, async (tenant) => {
      const r = String(rate++);
      await ctx.srv.db.sql(
        `insert into vat_mapping (id, organization_id, category, rate, vat_code) values ($1, $2, 'S', $3, 'MX')`,
        [randomUUID(), tenant.org.id, r],
      );
      return r;
    });

  return {
    einvoiceDocuments: {
      kind: 'query',
      allow: EVERYONE,
      scoped: true,
      op: async (t) => ({
        query: `query($o: ID!) { einvoiceDocuments(organizationId: $o) { id } }`,
        variables: { o: orgOf(t) },
      }),
    },
    vatMappings: {
      kind: 'query',
      allow: EVERYONE,
      scoped: true,
      op: async (t) => ({
        query: `query($o: ID!) { vatMappings(organizationId: $o) { id } }`,
        variables: { o: orgOf(t) },
      }),
    },
    importEInvoice: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t) => ({
        query: `mutation($i: ImportEInvoiceInput!) { importEInvoice(input: $i) { outcome document { id } ${UE} } }`,
        variables: {
          i: { organizationId: orgOf(t), document: uniqueDocument(), idempotencyKey: randomUUID() },
        },
      }),
    },
    createSupplierFromEInvoice: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t, fresh) => ({
        query: `mutation($i: CreateSupplierFromEInvoiceInput!) { createSupplierFromEInvoice(input: $i) { supplier { id } invoice { id } ${UE} } }`,
        variables: {
          i: {
            documentId:
              t === 'missing'
                ? missing('EInvoiceDocument')
                : await fixture('needsSupplier', t, fresh, importAs),
          },
        },
      }),
    },
    setVatMapping: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t) => ({
        query: `mutation($i: SetVatMappingInput!) { setVatMapping(input: $i) { vatMapping { id } ${UE} } }`,
        variables: {
          i: { organizationId: orgOf(t), category: 'S', rate: '25.5', vatCode: 'VAT255' },
        },
      }),
    },
    removeVatMapping: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t, fresh) => ({
        query: `mutation($i: RemoveVatMappingInput!) { removeVatMapping(input: $i) { removed ${UE} } }`,
        variables: {
          i: {
            organizationId: orgOf(t),
            category: 'S',
            rate: t === 'missing' ? '99' : await mapping(t, fresh),
          },
        },
      }),
    },
  };
}
