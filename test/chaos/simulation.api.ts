/** The GraphQL documents the simulation's actors send, and what each organization's actors hold. */
import { TEST_PASSWORD, type Tenant } from '../../server/src/testing/factories.js';
import { gqlClient, login, type Gql } from '../helpers/gql.js';
import { type OrgKey } from './simulation.plan.js';

// ------------------------------------------------------------------------------------------ API

export const INVOICE_Q = `query($id: ID!) { invoice(id: $id) { id version status
  lines { accountCode costUnitCode vatCode netAmount vatAmount description } } }`;
export const UPDATE_POSTING = `mutation($input: UpdatePostingInput!) { updatePosting(input: $input) {
  invoice { id version } userErrors { code message } warnings { code } } }`;
export const REMOVE = `mutation($input: RemoveInvoiceInput!) { removeInvoice(input: $input) {
  invoice { id status } transfer { id kind } userErrors { code message } warnings { code } } }`;
export const APPROVE_MANY = `mutation($input: ApproveInvoicesInput!) { approveInvoices(input: $input) {
  results { invoiceId invoice { id status } userErrors { code message } } userErrors { code message } } }`;
export const PAY = `mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { payment { id } userErrors { code message } } }`;
export const OFFSET = `mutation($input: OffsetCreditNoteInput!) { offsetCreditNote(input: $input) { offset { id } userErrors { code message } } }`;
export const PERIODS = `query($org: ID!, $year: Int) { accountingPeriods(organizationId: $org, fiscalYear: $year) { id name startDate endDate status } }`;
export const CLOSE = `mutation($input: PeriodInput!) { closePeriod(input: $input) { period { id status } userErrors { code message } } }`;
export const LOCK = `mutation($input: SetLockDateInput!) { setLockDate(input: $input) { lockDate userErrors { code message } } }`;
export const SETTINGS = `mutation($input: UpdateTransferSettingsInput!) { updateTransferSettings(input: $input) {
  transferSettings { autoTransferInvoices autoTransferPayments exportMode closedPeriodPolicy } userErrors { code message } } }`;

export const EXPORT_CODES = new Set(['NOT_FOUND', 'TRANSFER_IN_PROGRESS', 'ALREADY_TRANSFERRED']);

export interface OrgCtx {
  key: OrgKey;
  tenant: Tenant;
  exporters: Gql[];
  accountant: Gql;
  admin: Gql;
  writer: Gql;
}

/** Each organization's actors, signed in on the server at `url`. */
export async function orgContexts(
  url: string,
  tenants: Record<OrgKey, Tenant>,
): Promise<Record<OrgKey, OrgCtx>> {
  const orgs = {} as Record<OrgKey, OrgCtx>;
  for (const k of ['A', 'B'] as const) {
    const t = tenants[k];
    const accountant = gqlClient(url, {
      cookie: await login(url, t.users.accountant.email, TEST_PASSWORD),
    });
    const admin = gqlClient(url, {
      cookie: await login(url, t.users.admin.email, TEST_PASSWORD),
    });
    orgs[k] = {
      key: k,
      tenant: t,
      exporters: [gqlClient(url, { token: t.tokens.export }), accountant, admin],
      accountant,
      admin,
      writer: gqlClient(url, { token: t.tokens.write }),
    };
  }
  return orgs;
}

/** How each organization transfers; the answers are the caller's to check. */
export async function applyTransferSettings(
  orgs: Record<OrgKey, OrgCtx>,
  tenants: Record<OrgKey, Tenant>,
) {
  // A: automatic transfer of invoices and payments, shift out of closed periods, item journal.
  // B: batch journal, closed periods block, automatic transfer switched on mid-run.
  const settingsA = await orgs.A.admin.ok(SETTINGS, {
    input: {
      organizationId: tenants.A.orgId,
      autoTransferInvoices: true,
      autoTransferPayments: true,
      closedPeriodPolicy: 'SHIFT_TO_NEXT_OPEN',
      exportMode: 'ITEM',
    },
  });
  const settingsB = await orgs.B.admin.ok(SETTINGS, {
    input: {
      organizationId: tenants.B.orgId,
      autoTransferInvoices: false,
      closedPeriodPolicy: 'BLOCK',
      exportMode: 'BATCH',
    },
  });
  return { settingsA, settingsB };
}
