/**
 * The permission matrix of the write side, through the API: viewers read only, approvers save
 * their stages, accountants post and pay, admins configure; tokens: `write` for invoices,
 * posting, circulation and payments, `admin` for configuration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvoiceStatus } from '../modules/invoices/invoice.entity.js';
import {
  createInvoice,
  createTenant,
  gid,
  TEST_PASSWORD,
  type Tenant,
} from '../testing/factories.js';
import type { GqlClient } from '../testing/server.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import {
  APPROVE,
  APPROVE_MANY,
  BALANCED_LINES,
  CREATE,
  CREATE_PROCESS,
  DELETE_PROCESS,
  expectNoChange,
  invoiceInput,
  key,
  mutate,
  PAY,
  POST,
  REJECT,
  SEND,
  UPDATE_POSTING,
  UPDATE_PROCESS,
} from './write-api.helpers.js';

type CallerName =
  'viewer' | 'approver' | 'accountant' | 'admin' | 'read' | 'write' | 'export' | 'adminToken';
const CALLERS: CallerName[] = [
  'viewer',
  'approver',
  'accountant',
  'admin',
  'read',
  'write',
  'export',
  'adminToken',
];

describe('write-side permission matrix', () => {
  let srv: TestServer;
  let t: Tenant;
  const clients = {} as Record<CallerName, GqlClient>;

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    t = await createTenant(srv.db.orm, 'matrix');
    for (const role of ['viewer', 'approver', 'accountant', 'admin'] as const) {
      clients[role] = await srv.login(t.users[role].email, TEST_PASSWORD);
    }
    for (const scope of ['read', 'write', 'export'] as const)
      clients[scope] = srv.client({ token: t.tokens[scope] });
    clients.adminToken = srv.client({ token: t.tokens.admin });
  });
  afterAll(() => srv?.stop());

  const em = () => srv.db.orm.em.fork();
  const id = (inv: { id: string }) => gid('PurchaseInvoice', inv.id);
  const draft = async () =>
    id(await createInvoice(em(), t, { status: InvoiceStatus.DRAFT, posted: false }));
  const atStage = async (stage: number) =>
    id(
      await createInvoice(em(), t, {
        status: InvoiceStatus.IN_CIRCULATION,
        stage: t.stages[stage],
      }),
    );
  let processCount = 0;
  const process = async () => {
    const res = await mutate(clients.admin, CREATE_PROCESS, {
      organizationId: t.orgId,
      name: `Matrix ${++processCount}`,
      stages: [{ name: 'Only', approverRole: 'ADMIN' }],
    });
    return res.approvalProcess.id as string;
  };

  const WRITERS: CallerName[] = ['accountant', 'admin', 'write'];
  const rows: {
    name: string;
    document: string;
    allowed: CallerName[];
    input: () => Promise<Record<string, unknown>>;
    bulk?: boolean;
  }[] = [
    {
      name: 'createPurchaseInvoice',
      document: CREATE,
      allowed: WRITERS,
      input: async () => invoiceInput(t.orgId, gid('Supplier', t.suppliers[0].id)),
    },
    {
      name: 'updatePosting',
      document: UPDATE_POSTING,
      allowed: WRITERS,
      input: async () => ({ invoiceId: await draft(), version: 1, lines: BALANCED_LINES }),
    },
    {
      name: 'postInvoice',
      document: POST,
      allowed: WRITERS,
      input: async () => ({
        invoiceId: id(
          await createInvoice(em(), t, {
            status: InvoiceStatus.DRAFT,
            posted: false,
            numbered: false,
          }),
        ),
        version: 1,
      }),
    },
    {
      name: 'sendToCirculation',
      document: SEND,
      allowed: WRITERS,
      input: async () => ({ invoiceId: await draft(), version: 1 }),
    },
    {
      name: 'recordPayment',
      document: PAY,
      allowed: WRITERS,
      input: async () => ({
        invoiceId: id(await createInvoice(em(), t)),
        amount: '1.00',
        paymentDate: '2026-06-01',
        source: 'MANUAL',
        idempotencyKey: key(),
      }),
    },
    {
      name: 'approveInvoice (approver stage)',
      document: APPROVE,
      allowed: ['approver', 'admin', 'write'],
      input: async () => ({ invoiceId: await atStage(0), version: 1 }),
    },
    {
      name: 'approveInvoice (accountant stage)',
      document: APPROVE,
      allowed: ['accountant', 'admin', 'write'],
      input: async () => ({ invoiceId: await atStage(2), version: 1 }),
    },
    {
      name: 'approveInvoices',
      document: APPROVE_MANY,
      allowed: ['approver', 'admin', 'write'],
      bulk: true,
      input: async () => ({ invoiceIds: [await atStage(1)] }),
    },
    {
      name: 'rejectInvoice',
      document: REJECT,
      allowed: ['approver', 'admin', 'write'],
      input: async () => ({ invoiceId: await atStage(0), version: 1, reason: 'No' }),
    },
    {
      name: 'createApprovalProcess',
      document: CREATE_PROCESS,
      allowed: ['admin', 'adminToken'],
      input: async () => ({
        organizationId: t.orgId,
        name: `Created ${++processCount}`,
        stages: [{ name: 'S', approverRole: 'APPROVER' }],
      }),
    },
    {
      name: 'updateApprovalProcess',
      document: UPDATE_PROCESS,
      allowed: ['admin', 'adminToken'],
      input: async () => ({
        approvalProcessId: await process(),
        version: 1,
        name: `Renamed ${++processCount}`,
      }),
    },
    {
      name: 'deleteApprovalProcess',
      document: DELETE_PROCESS,
      allowed: ['admin', 'adminToken'],
      input: async () => ({ approvalProcessId: await process() }),
    },
  ];

  for (const row of rows) {
    it(row.name, async () => {
      const outcome: Record<string, string> = {};
      for (const caller of CALLERS) {
        const input = await row.input();
        const call = () => mutate(clients[caller], row.document, input);
        const allowed = row.allowed.includes(caller);
        const payload = allowed ? await call() : await expectNoChange(srv.db, call);
        const errors = row.bulk
          ? [
              ...payload.userErrors,
              ...payload.results.flatMap((r: { userErrors: unknown[] }) => r.userErrors),
            ]
          : payload.userErrors;
        outcome[caller] = errors.length
          ? errors.map((e: { code: string }) => e.code).join(',')
          : 'ok';
      }
      const expected = Object.fromEntries(
        CALLERS.map((c) => [c, row.allowed.includes(c) ? 'ok' : 'FORBIDDEN']),
      );
      expect(outcome).toEqual(expected);
    });
  }

  it('anonymous callers are refused without a 500', async () => {
    const anonymous = srv.client();
    const payload = await expectNoChange(srv.db, () =>
      mutate(anonymous, CREATE, invoiceInput(t.orgId, gid('Supplier', t.suppliers[0].id))),
    );
    expect(payload.userErrors.map((e) => e.code)).toEqual(['UNAUTHENTICATED']);
    const approve = await mutate(anonymous, APPROVE, { invoiceId: await atStage(0), version: 1 });
    expect(approve.userErrors.map((e) => e.code)).toEqual(['UNAUTHENTICATED']);
  });
});
