/**
 * The requests of the scale bench: the SPA's own documents (web/src/gql, printed), each beside
 * the plain SQL that returns the same rows and count, so a figure always comes with its floor.
 */
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/processes.js';
import { TAB_SQL } from '../../server/src/modules/invoices/invoice.rules.js';

/** No SPA view lists payments yet; the partner API's field, with what a page of them shows. */
const PAYMENTS = `query Payments($organizationId: ID!, $first: Int, $after: String) {
  payments(organizationId: $organizationId, first: $first, after: $after) {
    pageInfo { endCursor hasNextPage }
    nodes { id amount paymentDate documentNumber invoice { id invoiceNumber } }
  }
}`;

export interface BenchCase {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  /** The same rows (and count) in plain SQL; $1 is the organization. */
  sql: { text: string; params: unknown[] }[];
  /** Members need an admin; the other lists a reader. */
  as?: 'admin';
  /** Derives a follow-up case (page 2) from this one's response. */
  next?: (data: Record<string, unknown>) => BenchCase | null;
}

/** Every operation and fragment of the SPA (web/src/modules/*\/graphql/*.graphql), by name. */
function spaDefinitions(): Map<string, string> {
  const defs = new Map<string, string>();
  const modules = path.join(repoRoot, 'web', 'src', 'modules');
  for (const mod of fs.readdirSync(modules)) {
    const dir = path.join(modules, mod, 'graphql');
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.graphql'))) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const name = /^\s*(?:query|mutation|subscription|fragment)\s+(\w+)/m.exec(text)?.[1];
      if (name) defs.set(name, text);
    }
  }
  return defs;
}

let definitions: Map<string, string> | undefined;

/** The SPA's operation `name` with the fragments it spreads, as the SPA sends it. */
function doc(name: string): string {
  definitions ??= spaDefinitions();
  const included = new Set<string>();
  const add = (n: string) => {
    if (included.has(n)) return;
    const text = definitions!.get(n);
    if (!text) throw new Error(`no SPA document named ${n}`);
    included.add(n);
    for (const m of text.matchAll(/\.\.\.\s*(?!on\b)(\w+)/g)) add(m[1]);
  };
  add(name);
  return [...included].map((n) => definitions!.get(n)).join('\n');
}

type Tab = 'IN_PROCESS' | 'TRANSFERABLE' | 'TRANSFERRED' | 'ALL';
const SORTS = {
  BILL_DATE: 'bill_date',
  DUE_DATE: 'due_date',
  GROSS_AMOUNT: 'gross_amount',
  CREATED_AT: 'created_at',
  INVOICE_NUMBER: 'invoice_number',
} as const;
const CASTS: Record<keyof typeof SORTS, string> = {
  BILL_DATE: 'date',
  DUE_DATE: 'date',
  GROSS_AMOUNT: 'numeric',
  CREATED_AT: 'timestamptz',
  INVOICE_NUMBER: 'text',
};

function tabWhere(tab: Tab): string {
  return tab === 'ALL' ? 'i.removed_at is null' : `(${TAB_SQL[tab]})`;
}

export interface InvoiceFilterSql {
  graphql: Record<string, unknown>;
  /** Conditions over `i`, parameters from $2. */
  where: string[];
  params: unknown[];
}

export function invoiceCase(
  name: string,
  orgGid: string,
  orgId: string,
  tab: Tab,
  filter: InvoiceFilterSql | null,
  sort: keyof typeof SORTS = 'BILL_DATE',
  direction: 'ASC' | 'DESC' = 'DESC',
  cursor?: { after: string; value: string; id: string },
): BenchCase {
  const col = SORTS[sort];
  const where = [`i.organization_id = $1`, tabWhere(tab), ...(filter?.where ?? [])];
  const params: unknown[] = [orgId, ...(filter?.params ?? [])];
  const countWhere = [...where];
  const countParams = [...params];
  if (cursor) {
    params.push(cursor.value, cursor.id);
    where.push(
      `(i.${col}, i.id) ${direction === 'DESC' ? '<' : '>'} ($${params.length - 1}::${CASTS[sort]}, $${params.length}::uuid)`,
    );
  }
  const dir = direction.toLowerCase();
  const sql = [
    {
      text: `select * from purchase_invoice i where ${where.join(' and ')} order by i.${col} ${dir}, i.id ${dir} limit 51`,
      params,
    },
  ];
  // The SPA asks for totalCount on every page; plain SQL counts the same rows.
  sql.push({
    text: `select count(*) from purchase_invoice i where ${countWhere.join(' and ')}`,
    params: countParams,
  });
  return {
    name,
    query: doc('InvoiceList'),
    variables: {
      organizationId: orgGid,
      tab,
      filter: filter?.graphql ?? null,
      orderBy: { field: sort, direction },
      first: 50,
      ...(cursor ? { after: cursor.after } : {}),
    },
    sql,
    next: cursor
      ? undefined
      : (data) => {
          const conn = (data as { invoices: { pageInfo: { endCursor: string | null } } }).invoices;
          const after = conn.pageInfo.endCursor;
          if (!after) return null;
          const [value, id] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as [
            string,
            string,
          ];
          return invoiceCase(`${name} page 2`, orgGid, orgId, tab, filter, sort, direction, {
            after,
            value,
            id,
          });
        },
  };
}

export function otherCases(orgGid: string, orgId: string, invoiceGid: string, invoiceId: string) {
  const page = (table: string, order: string) =>
    `select * from ${table} where organization_id = $1 order by ${order} limit 51`;
  return [
    {
      name: 'InvoiceTabCounts',
      query: doc('InvoiceTabCounts'),
      variables: { organizationId: orgGid },
      sql: [
        {
          text: `select ${(['IN_PROCESS', 'TRANSFERABLE', 'TRANSFERRED', 'ALL'] as Tab[])
            .map((t) => `count(*) filter (where ${tabWhere(t)})`)
            .join(', ')} from purchase_invoice i where i.organization_id = $1`,
          params: [orgId],
        },
      ],
    },
    {
      name: 'transfers (MonitorTransfers)',
      query: doc('MonitorTransfers'),
      variables: { organizationId: orgGid, first: 50 },
      sql: [{ text: page('transfer', 'created_at desc, id desc'), params: [orgId] }],
    },
    {
      name: 'transferReports',
      query: doc('TransferReports'),
      variables: { organizationId: orgGid, first: 50 },
      sql: [{ text: page('transfer_report', 'created_at desc, id desc'), params: [orgId] }],
    },
    {
      name: 'ledgerEntries',
      query: doc('LedgerEntries'),
      variables: { organizationId: orgGid, first: 50 },
      sql: [
        {
          text: page('ledger.entry', 'posting_date desc, created_at desc, id desc'),
          params: [orgId],
        },
      ],
    },
    {
      name: 'history (InvoiceHistory)',
      query: doc('InvoiceHistory'),
      variables: { id: invoiceGid, first: 50 },
      sql: [
        {
          text: `select * from audit_event where organization_id = $1 and invoice_id = $2 order by at desc, id desc limit 51`,
          params: [orgId, invoiceId],
        },
      ],
    },
    {
      name: 'payments',
      query: PAYMENTS,
      variables: { organizationId: orgGid, first: 50 },
      sql: [{ text: page('payment', 'payment_date desc, id desc'), params: [orgId] }],
    },
    {
      name: 'members',
      as: 'admin',
      query: doc('Members'),
      variables: { organizationId: orgGid, first: 50 },
      sql: [
        {
          text: `select m.*, u.name, u.email from membership m join app_user u on u.id = m.user_id where m.organization_id = $1 order by u.name, u.id limit 51`,
          params: [orgId],
        },
      ],
    },
  ] satisfies BenchCase[];
}
