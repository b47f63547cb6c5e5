/**
 * GraphQL documents and helpers shared by the write-side API tests (invoices, circulation,
 * approval processes, payments).
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TestDatabase } from '../testing/db.js';
import type { GqlClient, GqlResult } from '../testing/server.js';

export const INVOICE_FIELDS = `id invoiceNumber documentNumber fiscalYear status posted version postingVersion
  billDate dueDate currency netAmount vatAmount grossAmount
  currentStage { id name position transferFromThisStep }
  lines { position accountCode costUnitCode vatCode netAmount vatAmount description }`;

const USER_ERRORS = 'userErrors { code message field }';

export const CREATE = `mutation($input: CreatePurchaseInvoiceInput!) {
  createPurchaseInvoice(input: $input) { invoice { ${INVOICE_FIELDS} } warnings { code message field } ${USER_ERRORS} } }`;
export const UPDATE_POSTING = `mutation($input: UpdatePostingInput!) {
  updatePosting(input: $input) { invoice { ${INVOICE_FIELDS} } warnings { code message field } ${USER_ERRORS} } }`;
export const POST = `mutation($input: PostInvoiceInput!) { postInvoice(input: $input) { invoice { ${INVOICE_FIELDS} } ${USER_ERRORS} } }`;
export const SEND = `mutation($input: SendToCirculationInput!) {
  sendToCirculation(input: $input) { invoice { ${INVOICE_FIELDS} approvalProcess { id name } } ${USER_ERRORS} } }`;
export const APPROVE = `mutation($input: ApproveInvoiceInput!) { approveInvoice(input: $input) { invoice { ${INVOICE_FIELDS} } ${USER_ERRORS} } }`;
export const APPROVE_MANY = `mutation($input: ApproveInvoicesInput!) {
  approveInvoices(input: $input) { results { invoiceId invoice { id status version currentStage { name } } ${USER_ERRORS} } ${USER_ERRORS} } }`;
export const REJECT = `mutation($input: RejectInvoiceInput!) { rejectInvoice(input: $input) { invoice { ${INVOICE_FIELDS} } ${USER_ERRORS} } }`;
export const PAY = `mutation($input: RecordPaymentInput!) {
  recordPayment(input: $input) { payment { id amount paymentDate source bankReference documentNumber fiscalYear invoice { id } } ${USER_ERRORS} } }`;
const PROCESS_FIELDS =
  'id name isDefault version stages { id name position approverRole approvers { id email } transferFromThisStep }';
export const CREATE_PROCESS = `mutation($input: CreateApprovalProcessInput!) {
  createApprovalProcess(input: $input) { approvalProcess { ${PROCESS_FIELDS} } ${USER_ERRORS} } }`;
export const UPDATE_PROCESS = `mutation($input: UpdateApprovalProcessInput!) {
  updateApprovalProcess(input: $input) { approvalProcess { ${PROCESS_FIELDS} } ${USER_ERRORS} } }`;
export const DELETE_PROCESS = `mutation($input: DeleteApprovalProcessInput!) {
  deleteApprovalProcess(input: $input) { deletedApprovalProcessId ${USER_ERRORS} } }`;
export const PROCESSES = `query($org: ID!) { approvalProcesses(organizationId: $org) { ${PROCESS_FIELDS} } }`;
export const INVOICE = `query($id: ID!) { invoice(id: $id) { ${INVOICE_FIELDS}
  paidAmount openAmount payments { id amount documentNumber }
  history(first: 100) { totalCount nodes { action details actor { __typename ... on User { email } ... on ApiClient { name } } } } } }`;

/** GraphQL response data in tests: loosely typed on purpose, the assertions check the shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Data = Record<string, any>;

export interface UserErrorShape {
  code: string;
  message: string;
  field: string[] | null;
}

/** Runs a mutation and returns its payload, failing the test on top-level GraphQL errors. */
export async function mutate<T = Data>(
  client: GqlClient,
  document: string,
  input: unknown,
): Promise<T & { userErrors: UserErrorShape[] }> {
  const res: GqlResult = await client(document, { input });
  expect(res.status, JSON.stringify(res.errors)).toBeLessThan(500);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return Object.values(res.data!)[0] as T & { userErrors: UserErrorShape[] };
}

/** Like `mutate`, but the payload must have no userErrors. */
export async function ok<T = Data>(
  client: GqlClient,
  document: string,
  input: unknown,
): Promise<T & { userErrors: UserErrorShape[] }> {
  const payload = await mutate<T>(client, document, input);
  expect(payload.userErrors, JSON.stringify(payload.userErrors)).toEqual([]);
  return payload;
}

export const codes = (payload: { userErrors: UserErrorShape[] }) =>
  payload.userErrors.map((e) => e.code);

export function key(): string {
  return `test-${randomUUID()}`;
}

/** The tables the write side touches; a refused mutation must leave every one of them as it was. */
const WRITE_TABLES = [
  'purchase_invoice',
  'invoice_line',
  'payment',
  'credit_offset',
  'audit_event',
  'document_sequence',
  'idempotency_record',
  'approval_process',
  'approval_stage',
  'approval_stage_approver',
  'transfer',
];

/**
 * The API's access log (one `api.mutation` audit event per mutation call, refused ones included)
 * is not a write of the mutation itself.
 */
const ACCESS_LOG_EXCLUDED: Record<string, string> = {
  audit_event: ` where t.action <> 'api.mutation'`,
};

/** Row count and a hash of every row's content, per table. */
export async function snapshotTables(db: TestDatabase): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of WRITE_TABLES) {
    const [row] = await db.sql<{ n: number; h: string }>(
      `select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from ${table} t${ACCESS_LOG_EXCLUDED[table] ?? ''}`,
    );
    out[table] = `${row.n}:${row.h}`;
  }
  return out;
}

/** Runs `refused` and checks that it changed nothing in the write tables. */
export async function expectNoChange<T>(db: TestDatabase, refused: () => Promise<T>): Promise<T> {
  const before = await snapshotTables(db);
  const result = await refused();
  expect(await snapshotTables(db)).toEqual(before);
  return result;
}

let dateCounter = 0;

/** A different bill date (in 2026) per call, so default invoices never look like duplicates of each other. */
export function nextBillDate(): { billDate: string; dueDate: string } {
  const day = new Date(Date.UTC(2026, 0, 1) + (dateCounter++ % 300) * 86_400_000);
  const due = new Date(day.getTime() + 30 * 86_400_000);
  return { billDate: day.toISOString().slice(0, 10), dueDate: due.toISOString().slice(0, 10) };
}

export function invoiceInput(
  orgId: string,
  supplierId: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    organizationId: orgId,
    supplierId,
    invoiceNumber: `INV-${randomUUID().slice(0, 8)}`,
    ...nextBillDate(),
    currency: 'EUR',
    netAmount: '100.00',
    vatAmount: '25.50',
    grossAmount: '125.50',
    idempotencyKey: key(),
    ...overrides,
  };
}

export const BALANCED_LINES = [
  {
    accountCode: '4010',
    costUnitCode: 'ADM',
    vatCode: 'VAT255',
    netAmount: '60.00',
    vatAmount: '15.30',
    description: 'Materials',
  },
  {
    accountCode: '6800',
    costUnitCode: 'SAL',
    vatCode: 'VAT255',
    netAmount: '40.00',
    description: 'Paper',
  },
];
