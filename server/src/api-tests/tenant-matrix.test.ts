/**
 * The tenant and role matrix, generated from ONE table (MATRIX below): every query, mutation and
 * subscription of the built schema × every principal (the four roles, the four token scopes,
 * anonymous) × the caller's own organization and a foreign one → allowed or refused exactly as
 * the table says. A foreign object must also be indistinguishable from a missing one. An
 * operation of the schema without a row fails the test.
 *
 * The table is written out by hand, not derived from auth/permissions.ts, so a wrong entry there
 * is caught here.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiScope } from '../modules/api-clients/api-client.entity.js';
import { createApiClient } from '../modules/api-clients/api-client.service.js';
import { ApprovalProcess, ApprovalStage } from '../modules/approval/approval-process.entity.js';
import { InvoiceStatus } from '../modules/invoices/invoice.entity.js';
import { Role } from '../modules/organizations/organization.entity.js';
import { createSchema } from '../schema.js';
import {
  createInvoice,
  createTenant,
  gid,
  TEST_PASSWORD,
  type Tenant,
} from '../testing/factories.js';
import {
  startTestServer,
  type GqlClient,
  type GqlResult,
  type TestServer,
} from '../testing/server.js';
import { FAST_WORKER_ENV, waitForTransfers } from '../testing/transfers.js';

const PRINCIPALS = [
  'admin',
  'accountant',
  'approver',
  'viewer',
  'token:read',
  'token:write',
  'token:export',
  'token:admin',
  'anonymous',
] as const;
type Principal = (typeof PRINCIPALS)[number];
type Target = 'own' | 'foreign' | 'missing';
type Outcome = 'ALLOWED' | 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHENTICATED' | `OTHER:${string}`;
type Kind = 'query' | 'mutation' | 'subscription';

const EVERYONE: Principal[] = [
  'admin',
  'accountant',
  'approver',
  'viewer',
  'token:read',
  'token:write',
  'token:export',
  'token:admin',
];
const WRITERS: Principal[] = ['admin', 'accountant', 'token:write'];
/** Stage 0 of the factory's process is saved by APPROVERs (and admins, and write tokens). */
const STAGE_APPROVERS: Principal[] = ['admin', 'approver', 'token:write'];
const EXPORTERS: Principal[] = ['admin', 'accountant', 'token:export'];
const ADMINS: Principal[] = ['admin', 'token:admin'];

interface Op {
  query: string;
  variables: Record<string, unknown>;
}

interface Row {
  kind: Kind;
  /** Who may, in their own organization; 'public' also lets anonymous callers in. */
  allow: Principal[] | 'public';
  /** Whether the operation names an organization's object (then foreign = NOT_FOUND = missing). */
  scoped: boolean;
  /** Builds the call; `fresh` asks for a target of its own (an allowed call consumes it). */
  op(target: Target, fresh: boolean): Promise<Op>;
}

const UE = 'userErrors { code message field }';

describe('tenant and role matrix', () => {
  let srv: TestServer;
  let A: Tenant;
  let B: Tenant;
  const clients = new Map<string, GqlClient>();
  const thisYear = new Date().getUTCFullYear();
  const today = new Date().toISOString().slice(0, 10);
  const pools = {
    inLedger: new Map<string, string[]>(),
    failed: new Map<string, string[]>(),
    paid: new Map<string, string[]>(),
  };
  const batches = new Map<string, string>();
  const shared = new Map<string, Promise<unknown>>();
  const counters = { cells: 0, foreignMissingPairs: 0 };

  const tenantOf = (t: Target) => (t === 'foreign' ? B : A);
  const missing = (type: Parameters<typeof gid>[0]) => gid(type, randomUUID());
  const em = () => srv.db.orm.em.fork();
  /** One target per (key, tenant) for refused calls; a new one for each allowed call. */
  function fixture<T>(
    key: string,
    t: Target,
    fresh: boolean,
    make: (tenant: Tenant) => Promise<T>,
  ): Promise<T> {
    const tenant = tenantOf(t);
    if (fresh) return make(tenant);
    const k = `${key}:${tenant.org.slug}`;
    if (!shared.has(k)) shared.set(k, make(tenant));
    return shared.get(k) as Promise<T>;
  }
  function take(
    pool: Map<string, string[]>,
    key: string,
    t: Target,
    fresh: boolean,
  ): Promise<string> {
    return fixture(key, t, fresh, async (tenant) => {
      const id = pool.get(tenant.org.slug)!.pop();
      if (!id) throw new Error(`fixture pool ${key} of ${tenant.org.slug} is empty`);
      return id;
    });
  }
  const invoiceFixture =
    (key: string, spec: Parameters<typeof createInvoice>[2]) => (t: Target, fresh: boolean) =>
      fixture(key, t, fresh, async (tenant) => {
        const inv = await createInvoice(em(), tenant, spec);
        return { id: gid('PurchaseInvoice', inv.id), version: inv.version };
      });
  const draft = invoiceFixture('draft', { status: InvoiceStatus.DRAFT, posted: false });
  const circulating = (t: Target, fresh: boolean) =>
    fixture('circulating', t, fresh, async (tenant) => {
      const inv = await createInvoice(em(), tenant, {
        status: InvoiceStatus.IN_CIRCULATION,
        stage: tenant.stages[0],
      });
      return { id: gid('PurchaseInvoice', inv.id), version: inv.version };
    });
  const approved = invoiceFixture('approved', { status: InvoiceStatus.APPROVED });
  let periodCursor = 0;
  const periodOf = async (tenant: Tenant, year: number, status: 'OPEN' | 'CLOSED' | null) => {
    const rows = await srv.db.sql<{ id: string }>(
      `select id from ledger.period where organization_id = $1 and fiscal_year = $2 order by start_date`,
      [tenant.org.id, year],
    );
    const id = rows[periodCursor++ % rows.length].id;
    if (status)
      await srv.db.sql(`update ledger.period set status = $2 where id = $1`, [id, status]);
    return gid('AccountingPeriod', id);
  };
  const spareProcess = (t: Target, fresh: boolean) =>
    fixture('process', t, fresh, async (tenant) => {
      const e = em();
      const p = e.create(ApprovalProcess, {
        organization: tenant.org.id,
        name: `Spare ${randomUUID().slice(0, 8)}`,
        isDefault: false,
      });
      e.create(ApprovalStage, {
        organization: tenant.org.id,
        process: p,
        position: 0,
        name: 'Only',
        approverRole: Role.APPROVER,
        transferFromThisStep: true,
      });
      await e.flush();
      return { id: gid('ApprovalProcess', p.id), version: p.version };
    });

  // Bank statements: an account per tenant, documents for it, and queued entries to resolve.
  const bankIban = 'FI2112345600000785';
  const bankAccount = (tenant: Tenant) =>
    fixture('bankAccount', tenant === B ? 'foreign' : 'own', false, async () => {
      await srv.db.sql(
        `insert into bank_account (id, organization_id, identifier, currency, name) values ($1, $2, $3, 'EUR', 'Main')`,
        [randomUUID(), tenant.org.id, bankIban],
      );
      return bankIban;
    });
  const bankDocument = async (tenant: Tenant, entry = '') => {
    await bankAccount(tenant);
    const id = randomUUID();
    return `<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr><Stmt><Id>MX-${id}</Id><Acct><Id><IBAN>${bankIban}</IBAN></Id><Ccy>EUR</Ccy></Acct>${entry}</Stmt></BkToCstmrStmt></Document>`;
  };
  let bankRef = 100;
  /** A queued entry (a partial payment of an approved invoice, so it has a suggestion). */
  const queuedEntry = (t: Target, fresh: boolean) =>
    fixture('queuedEntry', t, fresh, async (tenant) => {
      const inv = await createInvoice(em(), tenant, { status: InvoiceStatus.APPROVED });
      const base = String(bankRef++);
      let sum = 0;
      for (let i = 0; i < base.length; i++)
        sum += Number(base[base.length - 1 - i]) * [7, 3, 1][i % 3];
      const reference = `${base}${(10 - (sum % 10)) % 10}`;
      await srv.db.sql(`update purchase_invoice set payment_reference = $2 where id = $1`, [
        inv.id,
        reference,
      ]);
      const doc = await bankDocument(
        tenant,
        `<Ntry><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>${today}</Dt></BookgDt><AcctSvcrRef>${randomUUID()}</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>${reference}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>`,
      );
      const accountant = await srv.login(`accountant@${tenant.org.slug}.test`, TEST_PASSWORD);
      const r = await accountant(
        `mutation($i: ImportBankStatementInput!) { importBankStatement(input: $i) { statements { statement { id entries(first: 1) { nodes { id matchState } } } } ${UE} } }`,
        { i: { organizationId: tenant.orgId, document: doc, idempotencyKey: randomUUID() } },
      );
      expect(r.data!.importBankStatement.userErrors).toEqual([]);
      const statement = r.data!.importBankStatement.statements[0].statement;
      expect(statement.entries.nodes[0].matchState).toBe('QUEUED');
      return {
        statementId: statement.id as string,
        entryId: statement.entries.nodes[0].id as string,
        invoiceId: gid('PurchaseInvoice', inv.id),
      };
    });

  /** THE table. */
  const MATRIX: Record<string, Row> = {
    // ---- queries ------------------------------------------------------------------------------
    viewer: {
      kind: 'query',
      allow: EVERYONE,
      scoped: false,
      op: async () => ({ query: `{ viewer { organizations { id } } }`, variables: {} }),
    },
    rateLimit: {
      kind: 'query',
      allow: 'public',
      scoped: false,
      op: async () => ({ query: `{ rateLimit { limit remaining } }`, variables: {} }),
    },
    node: {
      kind: 'query',
      allow: EVERYONE,
      scoped: true,
      op: async (t) => ({
        query: `query($id: ID!) { node(id: $id) { id } }`,
        variables: {
          id: t === 'missing' ? missing('PurchaseInvoice') : (await approved(t, false)).id,
        },
      }),
    },
    invoice: {
      kind: 'query',
      allow: EVERYONE,
      scoped: true,
      op: async (t) => ({
        query: `query($id: ID!) { invoice(id: $id) { id invoiceNumber } }`,
        variables: {
          id: t === 'missing' ? missing('PurchaseInvoice') : (await approved(t, false)).id,
        },
      }),
    },
    ...Object.fromEntries(
      (
        [
          ['accountingPeriods', `accountingPeriods(organizationId: $org) { id }`, EVERYONE],
          ['approvalProcesses', `approvalProcesses(organizationId: $org) { id }`, EVERYONE],
          ['invoiceTabCounts', `invoiceTabCounts(organizationId: $org) { tab count }`, EVERYONE],
          [
            'invoices',
            `invoices(organizationId: $org, tab: ALL, first: 1) { totalCount nodes { id } }`,
            EVERYONE,
          ],
          [
            'ledgerEntries',
            `ledgerEntries(organizationId: $org, first: 1) { totalCount }`,
            EVERYONE,
          ],
          ['lockDate', `lockDate(organizationId: $org)`, EVERYONE],
          ['masterData', `masterData(organizationId: $org) { vatCodes { code } }`, EVERYONE],
          ['payments', `payments(organizationId: $org, first: 1) { totalCount }`, EVERYONE],
          ['suppliers', `suppliers(organizationId: $org, first: 1) { totalCount }`, EVERYONE],
          [
            'transferReports',
            `transferReports(organizationId: $org, first: 1) { totalCount }`,
            EVERYONE,
          ],
          ['transferSettings', `transferSettings(organizationId: $org) { exportMode }`, EVERYONE],
          ['transfers', `transfers(organizationId: $org, first: 1) { totalCount }`, EVERYONE],
          ['bankAccounts', `bankAccounts(organizationId: $org) { id identifier }`, EVERYONE],
          [
            'bankStatements',
            `bankStatements(organizationId: $org, first: 1) { totalCount nodes { id } }`,
            EVERYONE,
          ],
          [
            'bankEntryQueue',
            `bankEntryQueue(organizationId: $org, first: 1) { totalCount nodes { id } }`,
            EVERYONE,
          ],
          [
            'apiTokens',
            `apiTokens(organizationId: $org, first: 1) { totalCount nodes { id name } }`,
            ADMINS,
          ],
          [
            'members',
            `members(organizationId: $org, first: 1) { totalCount nodes { role user { id } } }`,
            ADMINS,
          ],
        ] as const
      ).map(([name, selection, allow]) => [
        name,
        {
          kind: 'query',
          allow: [...allow],
          scoped: true,
          op: async (t: Target) => ({
            query: `query($org: ID!) { ${selection} }`,
            variables: { org: t === 'missing' ? missing('Organization') : tenantOf(t).orgId },
          }),
        } satisfies Row,
      ]),
    ),

    bankStatement: {
      kind: 'query',
      allow: EVERYONE,
      scoped: true,
      op: async (t) => ({
        query: `query($id: ID!) { bankStatement(id: $id) { id statementId } }`,
        variables: {
          id:
            t === 'missing' ? missing('BankStatement') : (await queuedEntry(t, false)).statementId,
        },
      }),
    },
    // ---- mutations ----------------------------------------------------------------------------
    login: {
      kind: 'mutation',
      allow: 'public',
      scoped: false,
      op: async () => ({
        query: `mutation($i: LoginInput!) { login(input: $i) { user { id } ${UE} } }`,
        variables: { i: { email: 'viewer@mxa.test', password: TEST_PASSWORD } },
      }),
    },
    logout: {
      kind: 'mutation',
      allow: 'public',
      scoped: false,
      op: async () => ({ query: `mutation { logout { ${UE} } }`, variables: {} }),
    },
    createPurchaseInvoice: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t) => {
        const tenant = tenantOf(t);
        return {
          query: `mutation($i: CreatePurchaseInvoiceInput!) { createPurchaseInvoice(input: $i) { invoice { id } ${UE} } }`,
          variables: {
            i: {
              organizationId: t === 'missing' ? missing('Organization') : tenant.orgId,
              supplierId:
                t === 'missing' ? missing('Supplier') : gid('Supplier', tenant.suppliers[0].id),
              invoiceNumber: `MX-${randomUUID().slice(0, 8)}`,
              billDate: today,
              dueDate: today,
              currency: 'EUR',
              netAmount: '100.00',
              vatAmount: '25.50',
              grossAmount: '125.50',
              allowDuplicate: true,
              idempotencyKey: randomUUID(),
            },
          },
        };
      },
    },
    updatePosting: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t, fresh) => {
        const inv =
          t === 'missing' ? { id: missing('PurchaseInvoice'), version: 1 } : await draft(t, fresh);
        return {
          query: `mutation($i: UpdatePostingInput!) { updatePosting(input: $i) { invoice { id } ${UE} } }`,
          variables: {
            i: {
              invoiceId: inv.id,
              version: inv.version,
              lines: [
                {
                  accountCode: '6800',
                  costUnitCode: 'SAL',
                  vatCode: 'VAT255',
                  netAmount: '100.00',
                },
              ],
            },
          },
        };
      },
    },
    postInvoice: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t, fresh) => {
        const inv =
          t === 'missing' ? { id: missing('PurchaseInvoice'), version: 1 } : await draft(t, fresh);
        return {
          query: `mutation($i: PostInvoiceInput!) { postInvoice(input: $i) { invoice { id } ${UE} } }`,
          variables: { i: { invoiceId: inv.id, version: inv.version } },
        };
      },
    },
    sendToCirculation: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t, fresh) => {
        const inv =
          t === 'missing' ? { id: missing('PurchaseInvoice'), version: 1 } : await draft(t, fresh);
        return {
          query: `mutation($i: SendToCirculationInput!) { sendToCirculation(input: $i) { invoice { id } ${UE} } }`,
          variables: { i: { invoiceId: inv.id, version: inv.version } },
        };
      },
    },
    approveInvoice: {
      kind: 'mutation',
      allow: STAGE_APPROVERS,
      scoped: true,
      op: async (t, fresh) => {
        const inv =
          t === 'missing'
            ? { id: missing('PurchaseInvoice'), version: 1 }
            : await circulating(t, fresh);
        return {
          query: `mutation($i: ApproveInvoiceInput!) { approveInvoice(input: $i) { invoice { id } ${UE} } }`,
          variables: { i: { invoiceId: inv.id, version: inv.version } },
        };
      },
    },
    approveInvoices: {
      kind: 'mutation',
      allow: STAGE_APPROVERS,
      scoped: true,
      op: async (t, fresh) => {
        const inv =
          t === 'missing'
            ? { id: missing('PurchaseInvoice'), version: 1 }
            : await circulating(t, fresh);
        return {
          query: `mutation($i: ApproveInvoicesInput!) { approveInvoices(input: $i) { results { invoiceId ${UE} } ${UE} } }`,
          variables: { i: { invoiceIds: [inv.id] } },
        };
      },
    },
    rejectInvoice: {
      kind: 'mutation',
      allow: STAGE_APPROVERS,
      scoped: true,
      op: async (t, fresh) => {
        const inv =
          t === 'missing'
            ? { id: missing('PurchaseInvoice'), version: 1 }
            : await circulating(t, fresh);
        return {
          query: `mutation($i: RejectInvoiceInput!) { rejectInvoice(input: $i) { invoice { id } ${UE} } }`,
          variables: { i: { invoiceId: inv.id, version: inv.version, reason: 'Wrong supplier' } },
        };
      },
    },
    importBankStatement: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t) => ({
        query: `mutation($i: ImportBankStatementInput!) { importBankStatement(input: $i) { statements { duplicate statement { id } } importedEntries ${UE} } }`,
        variables: {
          i: {
            organizationId: t === 'missing' ? missing('Organization') : tenantOf(t).orgId,
            document: await bankDocument(tenantOf(t)),
            idempotencyKey: randomUUID(),
          },
        },
      }),
    },
    confirmBankEntryMatch: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t, fresh) => ({
        query: `mutation($i: ConfirmBankEntryMatchInput!) { confirmBankEntryMatch(input: $i) { entry { id matchState } ${UE} } }`,
        variables: {
          i: {
            entryId:
              t === 'missing'
                ? missing('BankStatementEntry')
                : (await queuedEntry(t, fresh)).entryId,
          },
        },
      }),
    },
    assignBankEntry: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t, fresh) => {
        const e =
          t === 'missing'
            ? { entryId: missing('BankStatementEntry'), invoiceId: missing('PurchaseInvoice') }
            : await queuedEntry(t, fresh);
        return {
          query: `mutation($i: AssignBankEntryInput!) { assignBankEntry(input: $i) { entry { id matchState } ${UE} } }`,
          variables: {
            i: { entryId: e.entryId, allocations: [{ invoiceId: e.invoiceId, amount: '10.00' }] },
          },
        };
      },
    },
    ignoreBankEntry: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t, fresh) => ({
        query: `mutation($i: IgnoreBankEntryInput!) { ignoreBankEntry(input: $i) { entry { id matchState } ${UE} } }`,
        variables: {
          i: {
            entryId:
              t === 'missing'
                ? missing('BankStatementEntry')
                : (await queuedEntry(t, fresh)).entryId,
            reason: 'Not ours',
          },
        },
      }),
    },
    recordPayment: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t, fresh) => {
        const inv = t === 'missing' ? { id: missing('PurchaseInvoice') } : await approved(t, fresh);
        return {
          query: `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { payment { id } ${UE} } }`,
          variables: {
            i: {
              invoiceId: inv.id,
              amount: '10.00',
              paymentDate: today,
              source: 'MANUAL',
              idempotencyKey: randomUUID(),
            },
          },
        };
      },
    },
    exportInvoices: {
      kind: 'mutation',
      allow: EXPORTERS,
      scoped: true,
      op: async (t, fresh) => {
        const inv = t === 'missing' ? { id: missing('PurchaseInvoice') } : await approved(t, fresh);
        return {
          query: `mutation($i: ExportInvoicesInput!) { exportInvoices(input: $i) { batch { id } transfers { id } ${UE} } }`,
          variables: {
            i: {
              organizationId: t === 'missing' ? missing('Organization') : tenantOf(t).orgId,
              invoiceIds: [inv.id],
              idempotencyKey: randomUUID(),
            },
          },
        };
      },
    },
    exportPayments: {
      kind: 'mutation',
      allow: EXPORTERS,
      scoped: true,
      op: async (t, fresh) => {
        const paymentId = t === 'missing' ? randomUUID() : await take(pools.paid, 'paid', t, fresh);
        return {
          query: `mutation($i: ExportPaymentsInput!) { exportPayments(input: $i) { batch { id } transfers { id } ${UE} } }`,
          variables: {
            i: {
              organizationId: t === 'missing' ? missing('Organization') : tenantOf(t).orgId,
              paymentIds: [gid('Payment', paymentId)],
              idempotencyKey: randomUUID(),
            },
          },
        };
      },
    },
    retryTransfer: {
      kind: 'mutation',
      allow: EXPORTERS,
      scoped: true,
      op: async (t, fresh) => {
        const id = t === 'missing' ? randomUUID() : await take(pools.failed, 'failed', t, fresh);
        return {
          query: `mutation($i: RetryTransferInput!) { retryTransfer(input: $i) { transfer { id } ${UE} } }`,
          variables: { i: { transferId: gid('Transfer', id), idempotencyKey: randomUUID() } },
        };
      },
    },
    removeInvoice: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t, fresh) => {
        const inv = t === 'missing' ? { id: missing('PurchaseInvoice') } : await draft(t, fresh);
        return {
          query: `mutation($i: RemoveInvoiceInput!) { removeInvoice(input: $i) { invoice { id } ${UE} } }`,
          variables: {
            i: { invoiceId: inv.id, alsoRemoveFromAccounting: false, idempotencyKey: randomUUID() },
          },
        };
      },
    },
    removeFromAccounting: {
      kind: 'mutation',
      allow: EXPORTERS,
      scoped: true,
      op: async (t, fresh) => {
        const id = t === 'missing' ? randomUUID() : await take(pools.inLedger, 'reverse', t, fresh);
        return {
          query: `mutation($i: RemoveFromAccountingInput!) { removeFromAccounting(input: $i) { transfer { id } ${UE} } }`,
          variables: { i: { invoiceId: gid('PurchaseInvoice', id), idempotencyKey: randomUUID() } },
        };
      },
    },
    adjustPostingPeriod: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t, fresh) => {
        let entry = gid('LedgerEntry', randomUUID());
        let period = gid('AccountingPeriod', randomUUID());
        if (t !== 'missing') {
          const invoiceId = await take(pools.inLedger, 'adjust', t, fresh);
          const [row] = await srv.db.sql<{ ledger_entry_id: string }>(
            `select ledger_entry_id from purchase_invoice where id = $1`,
            [invoiceId],
          );
          entry = gid('LedgerEntry', row.ledger_entry_id);
          period = await periodOf(tenantOf(t), thisYear + 1, null);
        }
        return {
          query: `mutation($i: AdjustPostingPeriodInput!) { adjustPostingPeriod(input: $i) { ledgerEntry { id } ${UE} } }`,
          variables: { i: { ledgerEntryId: entry, periodId: period } },
        };
      },
    },
    updateTransferSettings: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t) => ({
        query: `mutation($i: UpdateTransferSettingsInput!) { updateTransferSettings(input: $i) { transferSettings { exportMode } ${UE} } }`,
        variables: {
          i: {
            organizationId: t === 'missing' ? missing('Organization') : tenantOf(t).orgId,
            exportMode: 'ITEM',
          },
        },
      }),
    },
    setLockDate: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t) => ({
        query: `mutation($i: SetLockDateInput!) { setLockDate(input: $i) { lockDate ${UE} } }`,
        variables: {
          i: {
            organizationId: t === 'missing' ? missing('Organization') : tenantOf(t).orgId,
            lockDate: `${thisYear - 2}-01-31`,
          },
        },
      }),
    },
    closePeriod: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t, fresh) => {
        const period =
          t === 'missing'
            ? missing('AccountingPeriod')
            : await fixture('open-period', t, fresh, (tenant) =>
                periodOf(tenant, thisYear - 2, 'OPEN'),
              );
        return {
          query: `mutation($i: PeriodInput!) { closePeriod(input: $i) { period { id status } ${UE} } }`,
          variables: {
            i: {
              organizationId: t === 'missing' ? missing('Organization') : tenantOf(t).orgId,
              periodId: period,
            },
          },
        };
      },
    },
    reopenPeriod: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t, fresh) => {
        const period =
          t === 'missing'
            ? missing('AccountingPeriod')
            : await fixture('closed-period', t, fresh, (tenant) =>
                periodOf(tenant, thisYear - 1, 'CLOSED'),
              );
        return {
          query: `mutation($i: PeriodInput!) { reopenPeriod(input: $i) { period { id status } ${UE} } }`,
          variables: {
            i: {
              organizationId: t === 'missing' ? missing('Organization') : tenantOf(t).orgId,
              periodId: period,
            },
          },
        };
      },
    },
    createApprovalProcess: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t) => ({
        query: `mutation($i: CreateApprovalProcessInput!) { createApprovalProcess(input: $i) { approvalProcess { id } ${UE} } }`,
        variables: {
          i: {
            organizationId: t === 'missing' ? missing('Organization') : tenantOf(t).orgId,
            name: `Matrix ${randomUUID().slice(0, 8)}`,
            stages: [{ name: 'Check', approverRole: 'APPROVER', transferFromThisStep: true }],
          },
        },
      }),
    },
    updateApprovalProcess: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t, fresh) => {
        const p =
          t === 'missing'
            ? { id: missing('ApprovalProcess'), version: 1 }
            : await spareProcess(t, fresh);
        return {
          query: `mutation($i: UpdateApprovalProcessInput!) { updateApprovalProcess(input: $i) { approvalProcess { id } ${UE} } }`,
          variables: {
            i: {
              approvalProcessId: p.id,
              version: p.version,
              name: `Renamed ${randomUUID().slice(0, 8)}`,
            },
          },
        };
      },
    },
    deleteApprovalProcess: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t, fresh) => {
        const p =
          t === 'missing' ? { id: missing('ApprovalProcess') } : await spareProcess(t, fresh);
        return {
          query: `mutation($i: DeleteApprovalProcessInput!) { deleteApprovalProcess(input: $i) { deletedApprovalProcessId ${UE} } }`,
          variables: { i: { approvalProcessId: p.id } },
        };
      },
    },
    createApiToken: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t) => ({
        query: `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { apiToken { id } token ${UE} } }`,
        variables: {
          i: {
            organizationId: t === 'missing' ? missing('Organization') : tenantOf(t).orgId,
            name: 'Matrix token',
            scopes: ['ADMIN'],
          },
        },
      }),
    },
    revokeApiToken: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t, fresh) => {
        const id =
          t === 'missing'
            ? missing('ApiClient')
            : await fixture('spare-token', t, fresh, async (tenant) => {
                const { client } = await createApiClient(
                  em(),
                  tenant.org,
                  'Spare',
                  [ApiScope.READ],
                  null,
                );
                return gid('ApiClient', client.id);
              });
        return {
          query: `mutation($i: RevokeApiTokenInput!) { revokeApiToken(input: $i) { apiToken { id revokedAt } ${UE} } }`,
          variables: { i: { apiTokenId: id } },
        };
      },
    },

    // ---- subscriptions ------------------------------------------------------------------------
    transferStatusChanged: {
      kind: 'subscription',
      allow: EVERYONE,
      scoped: true,
      op: async (t) => ({
        query: `subscription($org: ID!) { transferStatusChanged(organizationId: $org) { status } }`,
        variables: { org: t === 'missing' ? missing('Organization') : tenantOf(t).orgId },
      }),
    },
    transferBatchProgress: {
      kind: 'subscription',
      allow: EVERYONE,
      scoped: true,
      op: async (t) => ({
        query: `subscription($batch: ID!) { transferBatchProgress(batchId: $batch) { id status } }`,
        variables: {
          batch: t === 'missing' ? missing('TransferBatch') : batches.get(tenantOf(t).org.slug)!,
        },
      }),
    },
  };

  function expected(row: Row, principal: Principal, target: Target): Outcome {
    if (principal === 'anonymous') return row.allow === 'public' ? 'ALLOWED' : 'UNAUTHENTICATED';
    if (target !== 'own' && row.scoped) return 'NOT_FOUND';
    return row.allow === 'public' || row.allow.includes(principal) ? 'ALLOWED' : 'FORBIDDEN';
  }

  const REFUSALS = new Set(['FORBIDDEN', 'NOT_FOUND', 'UNAUTHENTICATED']);
  const classify = (code: string | undefined): Outcome =>
    code && REFUSALS.has(code) ? (code as Outcome) : `OTHER:${code}`;

  function outcomeOf(kind: Kind, name: string, res: GqlResult): Outcome {
    if (res.status >= 500) return 'OTHER:HTTP500';
    if (res.errors?.length) return classify(res.errors[0].extensions?.code as string);
    const value = (res.data as Record<string, unknown>)[name] as Record<string, unknown> | null;
    if (kind === 'query') return value === null && name !== 'lockDate' ? 'NOT_FOUND' : 'ALLOWED';
    const userErrors = [
      ...((value?.userErrors as { code: string }[]) ?? []),
      ...((value?.results as { userErrors: { code: string }[] }[]) ?? []).flatMap(
        (r) => r.userErrors,
      ),
    ];
    return userErrors.length ? classify(userErrors[0].code) : 'ALLOWED';
  }

  async function clientOf(principal: Principal, fresh = false): Promise<GqlClient> {
    if (principal === 'anonymous') return srv.client();
    if (principal.startsWith('token:'))
      return srv.client({ token: A.tokens[principal.slice(6) as keyof Tenant['tokens']] });
    if (fresh) return srv.login(`${principal}@mxa.test`, TEST_PASSWORD);
    if (!clients.has(principal))
      clients.set(principal, await srv.login(`${principal}@mxa.test`, TEST_PASSWORD));
    return clients.get(principal)!;
  }

  async function subscribe(
    principal: Principal,
    op: Op,
  ): Promise<{ outcome: Outcome; body: unknown }> {
    const headers: Record<string, string> = {};
    let connectionParams: Record<string, unknown> | undefined;
    if (principal.startsWith('token:'))
      connectionParams = {
        authorization: `Bearer ${A.tokens[principal.slice(6) as keyof Tenant['tokens']]}`,
      };
    else if (principal !== 'anonymous') headers.cookie = (await clientOf(principal)).cookie!;
    class HeaderSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    }
    return new Promise((resolve) => {
      let settled = false;
      const client = createClient({
        url: srv.url.replace(/^http/, 'ws'),
        webSocketImpl: HeaderSocket,
        connectionParams,
        // Lazy: a refused connection reaches the subscription's error sink, not an unhandled rejection.
        lazy: true,
        retryAttempts: 0,
        on: {
          closed: (e) =>
            finish(
              (e as { code: number }).code === 4403
                ? 'UNAUTHENTICATED'
                : `OTHER:close ${(e as { code: number }).code}`,
              { closed: (e as { code: number }).code },
            ),
        },
      });
      // Refusals arrive at once; an allowed subscription stays quiet until something happens.
      const timer = setTimeout(() => finish('ALLOWED', { quiet: true }), 5_000);
      function finish(outcome: Outcome, body: unknown) {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ outcome, body });
        Promise.resolve(client.dispose()).catch(() => {});
      }
      client.subscribe(op, {
        next: (r) =>
          r.errors
            ? finish(classify(r.errors[0].extensions?.code as string), {
                errors: r.errors.map((e) => e.message),
              })
            : finish('ALLOWED', r.data),
        error: (err) => {
          const first = (Array.isArray(err) ? err[0] : err) as {
            message?: string;
            code?: number;
            extensions?: { code?: string };
          };
          // A socket refused at connection_init closes with 4403 (graphql-ws' Forbidden).
          if (first?.code === 4403) return finish('UNAUTHENTICATED', { closed: 4403 });
          finish(classify(first?.extensions?.code), { errors: [first?.message] });
        },
        complete: () => finish('ALLOWED', { completed: true }),
      });
    });
  }

  async function run(
    name: string,
    row: Row,
    principal: Principal,
    target: Target,
  ): Promise<{ outcome: Outcome; body: unknown }> {
    const fresh = expected(row, principal, target) === 'ALLOWED';
    const op = await row.op(target, fresh);
    if (row.kind === 'subscription') return subscribe(principal, op);
    // Signing in or out changes the client's own session: give those cells a session of their own.
    const client = await clientOf(principal, name === 'logout' || name === 'login');
    const res = await client(op.query, op.variables);
    const body = {
      status: res.status,
      data: res.data,
      errors: res.errors?.map((e) => ({ message: e.message, code: e.extensions?.code })),
    };
    return { outcome: outcomeOf(row.kind, name, res), body };
  }

  beforeAll(async () => {
    srv = await startTestServer({ env: { ...FAST_WORKER_ENV } });
    A = await createTenant(srv.db.orm, 'mxa');
    B = await createTenant(srv.db.orm, 'mxb');
    // In-ledger invoices (and payments on some of them), failed transfers and a batch per tenant.
    for (const [tenant, inLedger, failed, paid] of [
      [A, 10, 4, 4],
      [B, 3, 1, 1],
    ] as const) {
      const e = em();
      const good = [];
      for (let i = 0; i < inLedger + paid; i++)
        good.push(await createInvoice(e, tenant, { status: InvoiceStatus.APPROVED }));
      const bad = [];
      for (let i = 0; i < failed; i++)
        bad.push(
          await createInvoice(e, tenant, {
            status: InvoiceStatus.APPROVED,
            lines: [{ accountCode: '7390', netAmount: '10.00' }],
          }),
        );
      const accountant = await srv.login(`accountant@${tenant.org.slug}.test`, TEST_PASSWORD);
      const exported = await accountant(
        `mutation($i: ExportInvoicesInput!) { exportInvoices(input: $i) { batch { id } transfers { id } ${UE} } }`,
        {
          i: {
            organizationId: tenant.orgId,
            invoiceIds: [...good, ...bad].map((inv) => gid('PurchaseInvoice', inv.id)),
            idempotencyKey: randomUUID(),
          },
        },
      );
      expect(exported.data!.exportInvoices.userErrors).toEqual([]);
      batches.set(tenant.org.slug, exported.data!.exportInvoices.batch.id);
      const transfers = await waitForTransfers(
        srv.db.orm,
        { organizationId: tenant.org.id },
        60_000,
      );
      expect(transfers.filter((x) => x.status === 'TRANSFERRED')).toHaveLength(inLedger + paid);
      pools.inLedger.set(
        tenant.org.slug,
        good.slice(0, inLedger).map((inv) => inv.id),
      );
      pools.failed.set(
        tenant.org.slug,
        transfers.filter((x) => x.status === 'FAILED').map((x) => x.id),
      );
      expect(pools.failed.get(tenant.org.slug)).toHaveLength(failed);
      const payments: string[] = [];
      for (const inv of good.slice(inLedger)) {
        const r = await accountant(
          `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { payment { id } ${UE} } }`,
          {
            i: {
              invoiceId: gid('PurchaseInvoice', inv.id),
              amount: '5.00',
              paymentDate: today,
              source: 'MANUAL',
              idempotencyKey: randomUUID(),
            },
          },
        );
        expect(r.data!.recordPayment.userErrors).toEqual([]);
        payments.push(
          Buffer.from(r.data!.recordPayment.payment.id, 'base64url').toString().split(':')[1],
        );
      }
      pools.paid.set(tenant.org.slug, payments);
    }
  }, 120_000);
  afterAll(() => srv?.stop());

  it('every operation of the built schema has a row, and every row an operation', async () => {
    const schema = await createSchema();
    const ops = new Map<string, Kind>();
    for (const [kind, type] of [
      ['query', schema.getQueryType()],
      ['mutation', schema.getMutationType()],
      ['subscription', schema.getSubscriptionType()],
    ] as const) {
      for (const name of Object.keys(type?.getFields() ?? {})) ops.set(name, kind);
    }
    const withoutRow = [...ops.keys()].filter((name) => !MATRIX[name]);
    expect(withoutRow, 'operations without a row in MATRIX: add one').toEqual([]);
    for (const [name, kind] of ops) expect(MATRIX[name].kind, name).toBe(kind);
    // A row without an operation: only subscriptions may be absent (a server built without them).
    const stale = Object.keys(MATRIX).filter(
      (name) => !ops.has(name) && MATRIX[name].kind !== 'subscription',
    );
    expect(stale, 'rows for operations the schema does not have').toEqual([]);
  });

  it(
    'each cell: allowed or refused as the table says; foreign indistinguishable from missing',
    { timeout: 600_000 },
    async () => {
      const schema = await createSchema();
      const present = (name: string, kind: Kind) =>
        !!(
          kind === 'query'
            ? schema.getQueryType()
            : kind === 'mutation'
              ? schema.getMutationType()
              : schema.getSubscriptionType()
        )?.getFields()[name];
      const mismatches: string[] = [];
      const only = process.env.MATRIX_ONLY?.split(',');
      for (const [name, row] of Object.entries(MATRIX)) {
        if (!present(name, row.kind) || (only && !only.includes(name))) continue;
        const started = Date.now();
        const cells: [Principal, Target][] = PRINCIPALS.flatMap((p) =>
          (row.scoped ? (['own', 'foreign'] as Target[]) : (['own'] as Target[])).map(
            (t) => [p, t] as [Principal, Target],
          ),
        );
        const runCell = async ([principal, target]: [Principal, Target]) => {
          counters.cells++;
          const want = expected(row, principal, target);
          const got = await run(name, row, principal, target);
          if (got.outcome !== want)
            mismatches.push(
              `${name} as ${principal} on ${target}: expected ${want}, got ${got.outcome} ${JSON.stringify(got.body).slice(0, 300)}`,
            );
          if (target === 'foreign' && principal !== 'anonymous') {
            counters.foreignMissingPairs++;
            const twin = await run(name, row, principal, 'missing');
            // Ids the caller sent may be echoed back (approveInvoices' results): compare without them.
            const norm = (b: unknown) =>
              JSON.stringify(b)
                .replace(/"requestId":"[^"]*"/g, '')
                .replace(/"[A-Za-z0-9_-]{40,}"/g, '"<id>"');
            if (norm(twin.body) !== norm(got.body) || twin.outcome !== got.outcome) {
              mismatches.push(
                `${name} as ${principal}: a foreign target answers differently from a missing one:\n  foreign ${norm(got.body)}\n  missing ${norm(twin.body)}`,
              );
            }
          }
        };
        // Subscriptions wait for silence; run their cells side by side.
        if (row.kind === 'subscription') await Promise.all(cells.map(runCell));
        else for (const cell of cells) await runCell(cell);
        if (process.env.MATRIX_TIMING) console.log(`${name}: ${Date.now() - started} ms`);
      }
      expect(mismatches).toEqual([]);
      // 9 principals × (own + foreign for scoped operations, own for the others).
      console.log(
        `tenant matrix: ${counters.cells} cells, ${counters.foreignMissingPairs} foreign/missing comparisons`,
      );
      if (!only) expect(counters.cells).toBeGreaterThanOrEqual(9 * 2 * 40);
    },
  );
});
