/** Shared setup of the bank statement API tests: a server, two tenants with the same account IBAN, helpers. */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, expect } from 'vitest';
import { BuiltinLedger } from '../../accounting/ledger/builtin-ledger.js';
import { buildCamt, type CamtEntrySpec } from './camt.writer.js';
import {
  createInvoice,
  createTenant,
  gid,
  TEST_PASSWORD,
  type InvoiceSpec,
  type Tenant,
} from '../../testing/factories.js';
import { startTestServer, type GqlClient, type TestServer } from '../../testing/server.js';
import { DEFAULT_WORKER_OPTIONS, TransferProcessor } from '../transfers/transfer.worker.js';
import { finnishCheckDigit } from './payment-reference.js';
export const UE = 'userErrors { code message field }';
export const ENTRY = `id amount matchState reason accountServicerReference valueDate
  suggestions { amount reason invoice { id invoiceNumber } }
  payments { amount invoice { id } payment { id amount paymentDate source bankReference transferStatus } }
  resolvedBy { email }`;
export const IMPORT = `mutation($i: ImportBankStatementInput!) { importBankStatement(input: $i) {
  statements { duplicate statement { id statementId openingBalance closingBalance balanceWarning entries(first: 10) { nodes { ${ENTRY} } } } }
  importedEntries duplicateEntries matchedEntries queuedEntries ${UE} } }`;
export const CONFIRM = `mutation($i: ConfirmBankEntryMatchInput!) { confirmBankEntryMatch(input: $i) { entry { ${ENTRY} } ${UE} } }`;
export const ASSIGN = `mutation($i: AssignBankEntryInput!) { assignBankEntry(input: $i) { entry { ${ENTRY} } ${UE} } }`;
export const IGNORE = `mutation($i: IgnoreBankEntryInput!) { ignoreBankEntry(input: $i) { entry { ${ENTRY} } ${UE} } }`;
export const SETTINGS = `mutation($i: UpdateTransferSettingsInput!) { updateTransferSettings(input: $i) { ${UE} } }`;
export const EXPORT_INVOICES = `mutation($i: ExportInvoicesInput!) { exportInvoices(input: $i) { transfers { id } ${UE} } }`;

export const ACCOUNT_IBAN = 'FI2112345600000785';
export const SUPPLIER_IBAN = 'FI5810171000000122';
export const OTHER_IBAN = 'FI4950000120000000';

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL results are checked by shape */
export type Any = any;

export const BANK_TABLES = [
  'bank_statement',
  'bank_statement_entry',
  'bank_entry_payment',
  'payment',
  'transfer',
  'idempotency_record',
  'document_sequence',
];
export let srv: TestServer;
export let A: Tenant;
export let B: Tenant;
export let accountant: GqlClient;
export let foreignAdmin: GqlClient;
export let worker: TransferProcessor;
export const today = new Date().toISOString().slice(0, 10);
let stmtCounter = 0;

/** Registers the suite's server and tenants (call inside a describe). */
export function setupBankApi(): void {
  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    A = await createTenant(srv.db.orm, 'bka');
    B = await createTenant(srv.db.orm, 'bkb');
    for (const t of [A, B]) {
      await srv.db.sql(
        `insert into bank_account (id, organization_id, identifier, currency, name) values ($1, $2, $3, 'EUR', 'Main')`,
        [randomUUID(), t.org.id, ACCOUNT_IBAN],
      );
    }
    await srv.db.sql(`update supplier set iban = $2 where id = $1`, [
      A.suppliers[1].id,
      SUPPLIER_IBAN,
    ]);
    accountant = await srv.login('accountant@bka.test', TEST_PASSWORD);
    foreignAdmin = await srv.login('admin@bkb.test', TEST_PASSWORD);
    worker = new TransferProcessor(
      srv.db.orm,
      new BuiltinLedger(srv.db.orm),
      pino({ level: 'silent' }),
      DEFAULT_WORKER_OPTIONS,
    );
  }, 60_000);
  afterAll(() => srv?.stop());
}

export async function invoice(spec: InvoiceSpec & { reference?: string; gross?: string } = {}) {
  // Zero-rated, so the gross amount is exactly the one asked for.
  const inv = await createInvoice(srv.db.orm.em.fork(), A, {
    billDate: today,
    ...(spec.gross ? { lines: [{ netAmount: spec.gross, vatCode: 'VAT0', vatRate: '0.00' }] } : {}),
    ...spec,
  });
  if (spec.reference)
    await srv.db.sql(`update purchase_invoice set payment_reference = $2 where id = $1`, [
      inv.id,
      spec.reference,
    ]);
  return { ...inv, gid: gid('PurchaseInvoice', inv.id) };
}

export async function importDoc(
  xml: string,
  client = accountant,
  tenant = A,
  idempotencyKey = randomUUID(),
) {
  const res = await client(IMPORT, {
    i: { organizationId: tenant.orgId, document: xml, idempotencyKey },
  });
  expect(res.status, JSON.stringify(res.errors)).toBeLessThan(500);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!.importBankStatement as Any;
}

/** A statement of the given entries (the first entry's AcctSvcrRef unique unless given). */
export function statement(
  entries: CamtEntrySpec[],
  extra: Partial<Parameters<typeof buildCamt>[0]> = {},
) {
  stmtCounter++;
  return buildCamt({
    statementId: `S-${stmtCounter}-${randomUUID().slice(0, 6)}`,
    iban: ACCOUNT_IBAN,
    entries: entries.map((e, i) => ({
      ref: `AR-${stmtCounter}-${i}-${randomUUID().slice(0, 6)}`,
      ...e,
    })),
    ...extra,
  });
}

export const entriesOf = (r: Any) => r.statements[0].statement.entries.nodes as Any[];
export const counts = async () => {
  const out: Record<string, number> = {};
  for (const t of BANK_TABLES)
    out[t] = (await srv.db.sql<{ n: number }>(`select count(*)::int as n from ${t}`))[0].n;
  return out;
};
/** The Finnish reference for a base: the base and its check digit. */
export function toFinnish(base: string): string {
  return `${base}${finnishCheckDigit(base)}`;
}
