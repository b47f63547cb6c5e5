/**
 * The tenant and role matrix, generated from ONE table (MATRIX, its rows by domain in tenant-matrix.*.rows.ts): every query, mutation and
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
import { InvoiceStatus } from '../modules/invoices/invoice.entity.js';
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
import { adminRows, sessionRows } from './tenant-matrix.admin.rows.js';
import { bankRows } from './tenant-matrix.bank.rows.js';
import { connectionRows } from './tenant-matrix.connection.rows.js';
import { einvoiceRows } from './tenant-matrix.einvoice.rows.js';
import {
  PRINCIPALS,
  UE,
  createMatrixContext,
  type Kind,
  type Op,
  type Outcome,
  type Principal,
  type Row,
  type Target,
} from './tenant-matrix.helpers.js';
import { invoiceRows } from './tenant-matrix.invoice.rows.js';
import { readRows } from './tenant-matrix.read.rows.js';
import { transferRows, transferSubscriptionRows } from './tenant-matrix.transfer.rows.js';

describe('tenant and role matrix', () => {
  const ctx = createMatrixContext();
  const { pools, batches, today, em } = ctx;
  let srv: TestServer;
  let A: Tenant;
  let B: Tenant;
  const clients = new Map<string, GqlClient>();
  const counters = { cells: 0, foreignMissingPairs: 0 };

  /** THE table, in the order its rows run. */
  const MATRIX: Record<string, Row> = {
    ...readRows(ctx),
    ...sessionRows(),
    ...invoiceRows(ctx),
    ...bankRows(ctx),
    ...einvoiceRows(ctx),
    ...connectionRows(ctx),
    ...transferRows(ctx),
    ...adminRows(ctx),
    ...transferSubscriptionRows(ctx),
  };

  function expected(row: Row, principal: Principal, target: Target): Outcome {
    if (principal === 'anonymous') return row.allow === 'public' ? 'ALLOWED' : 'UNAUTHENTICATED';
    if (target !== 'own' && row.scoped) return 'NOT_FOUND';
    return row.allow === 'public' || row.allow.includes(principal) ? 'ALLOWED' : 'FORBIDDEN';
  }

  const REFUSALS = new Set(['FORBIDDEN', 'NOT_FOUND', 'UNAUTHENTICATED']);
  const classify = (code: string | undefined): Outcome =>
    code && REFUSALS.has(code) ? (code as Outcome) : `OTHER:${code}`;

  function outcomeOf(row: Row, name: string, res: GqlResult): Outcome {
    const { kind } = row;
    if (res.status >= 500) return 'OTHER:HTTP500';
    if (res.errors?.length) return classify(res.errors[0].extensions?.code as string);
    const value = (res.data as Record<string, unknown>)[name] as Record<string, unknown> | null;
    if (kind === 'query')
      return value === null && name !== 'lockDate' && !row.nullIsAnswer ? 'NOT_FOUND' : 'ALLOWED';
    const userErrors = [
      ...((value?.userErrors as { code: string }[]) ?? []),
      ...((value?.results as { userErrors: { code: string }[] }[]) ?? []).flatMap(
        (r) => r.userErrors,
      ),
    ];
    if (!userErrors.length || row.pastAuthorization?.includes(userErrors[0].code)) return 'ALLOWED';
    return classify(userErrors[0].code);
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
    return { outcome: outcomeOf(row, name, res), body };
  }

  beforeAll(async () => {
    srv = await startTestServer({ env: { ...FAST_WORKER_ENV } });
    ctx.srv = srv;
    A = await createTenant(srv.db.orm, 'mxa');
    B = await createTenant(srv.db.orm, 'mxb');
    ctx.A = A;
    ctx.B = B;
    // In-ledger invoices (and payments on some of them), failed transfers and a batch per tenant.
    for (const [tenant, inLedger, failed, paid] of [
      [A, 16, 4, 4],
      [B, 5, 1, 1],
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
