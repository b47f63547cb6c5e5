/**
 * The tenant matrix's vocabulary (principals, targets, rows) and the fixtures its rows ask for.
 * The rows live in tenant-matrix.*.rows.ts by domain; tenant-matrix.test.ts runs them.
 */
import { randomUUID } from 'node:crypto';
import { ApprovalProcess, ApprovalStage } from '../modules/approval/approval-process.entity.js';
import { InvoiceStatus } from '../modules/invoices/invoice.entity.js';
import { Role } from '../modules/organizations/organization.entity.js';
import { createInvoice, gid, type Tenant } from '../testing/factories.js';
import { type TestServer } from '../testing/server.js';

export const PRINCIPALS = [
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
export type Principal = (typeof PRINCIPALS)[number];
export type Target = 'own' | 'foreign' | 'missing';
export type Outcome = 'ALLOWED' | 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHENTICATED' | `OTHER:${string}`;
export type Kind = 'query' | 'mutation' | 'subscription';

export const EVERYONE: Principal[] = [
  'admin',
  'accountant',
  'approver',
  'viewer',
  'token:read',
  'token:write',
  'token:export',
  'token:admin',
];
export const WRITERS: Principal[] = ['admin', 'accountant', 'token:write'];
/** Stage 0 of the factory's process is saved by APPROVERs (and admins, and write tokens). */
export const STAGE_APPROVERS: Principal[] = ['admin', 'approver', 'token:write'];
export const EXPORTERS: Principal[] = ['admin', 'accountant', 'token:export'];
export const ADMINS: Principal[] = ['admin', 'token:admin'];

export interface Op {
  query: string;
  variables: Record<string, unknown>;
}

export interface Row {
  kind: Kind;
  /** Who may, in their own organization; 'public' also lets anonymous callers in. */
  allow: Principal[] | 'public';
  /** Whether the operation names an organization's object (then foreign = NOT_FOUND = missing). */
  scoped: boolean;
  /**
   * userError codes that answer a state-dependent business rule after authorization and tenancy
   * passed (e.g. NOT_CONNECTED): for this row they count as ALLOWED.
   */
  pastAuthorization?: string[];
  /** A query whose null is an answer (nothing there yet), not a refusal. */
  nullIsAnswer?: boolean;
  /** Builds the call; `fresh` asks for a target of its own (an allowed call consumes it). */
  op(target: Target, fresh: boolean): Promise<Op>;
}

export const UE = 'userErrors { code message field }';
/** Set by the runner once the server and the two tenants exist; rows read them when they run. */
interface MatrixWorld {
  srv: TestServer;
  A: Tenant;
  B: Tenant;
}

export type MatrixContext = ReturnType<typeof createMatrixContext>;

/** The fixtures the rows use: one per (key, tenant) for refused calls, a new one when allowed. */
export function createMatrixContext() {
  const ctx = {} as MatrixWorld;
  const thisYear = new Date().getUTCFullYear();
  const today = new Date().toISOString().slice(0, 10);
  const pools = {
    inLedger: new Map<string, string[]>(),
    failed: new Map<string, string[]>(),
    paid: new Map<string, string[]>(),
  };
  const batches = new Map<string, string>();
  const shared = new Map<string, Promise<unknown>>();
  const tenantOf = (t: Target) => (t === 'foreign' ? ctx.B : ctx.A);
  const missing = (type: Parameters<typeof gid>[0]) => gid(type, randomUUID());
  const em = () => ctx.srv.db.orm.em.fork();
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
    const rows = await ctx.srv.db.sql<{ id: string }>(
      `select id from ledger.period where organization_id = $1 and fiscal_year = $2 order by start_date`,
      [tenant.org.id, year],
    );
    const id = rows[periodCursor++ % rows.length].id;
    if (status)
      await ctx.srv.db.sql(`update ledger.period set status = $2 where id = $1`, [id, status]);
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

  return Object.assign(ctx, {
    thisYear,
    today,
    pools,
    batches,
    tenantOf,
    missing,
    em,
    fixture,
    take,
    invoiceFixture,
    draft,
    circulating,
    approved,
    periodOf,
    spareProcess,
  });
}
