/**
 * The seeded simulation of issue 4: thousands of invoices over two organizations, exported
 * concurrently and repeatedly by API clients and users, approved in bulk (automatic transfers),
 * changed and removed while transfers run, a period closed and lock dates set mid-run, and every
 * fault kind at once: transient errors, lost answers, timeouts (in this process's worker) and
 * crashes (in worker processes that a supervisor restarts). When the system is quiet, without
 * anyone retrying or editing anything, the rules must hold (helpers/invariants.ts) and each
 * document must have ended where its data says it should.
 *
 *   CHAOS_SEED=n        replays a run (the seed is printed; default: from the clock)
 *   CHAOS_INVOICES=n    documents (default 2000)
 *   CHAOS_WORKERS=n     crash-prone worker processes (default 2)
 *
 * A seed fixes the plan (documents, defects, dates, chunks, who does what in which order) and
 * the fault sequences; thread timing still varies, so a replay takes the same path through the
 * plan but not necessarily the same interleaving.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../server/src/common/ids.js';
import { createTestDatabase, type TestDatabase } from '../../server/src/testing/db.js';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../server/src/testing/factories.js';
import { startTestServer, type TestServer } from '../../server/src/testing/server.js';
import { FAST_WORKER_ENV } from '../../server/src/testing/transfers.js';
import { EXPORT_INVOICES, gqlClient, login, type Gql } from '../helpers/gql.js';
import { checkInvariants, explainViolations, formatViolations } from '../helpers/invariants.js';
import { installLedgerClock } from '../helpers/ledger-clock.js';
import { WorkerSupervisor } from '../helpers/processes.js';
import { transferCounts, waitForQuiet } from '../helpers/quiet.js';
import { Rng } from '../../server/src/seeders/demo-random.js';
import { seedFrom } from '../helpers/random.js';
import {
  addDays,
  cents,
  monthStart,
  seedInvoices,
  sqlOf,
  standardLines,
  today,
  type SeedInvoice,
  type SeedLine,
  type Sql,
} from '../helpers/seed.js';

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  return raw ? Number(raw) : fallback;
}

const SEED = seedFrom('CHAOS_SEED');
const INVOICES = intEnv('CHAOS_INVOICES', 2000);
const CRASH_WORKERS = intEnv('CHAOS_WORKERS', 2);
const log = (msg: string) => console.log(`[chaos seed=${SEED}] ${msg}`);

/**
 * Fast retries and recovery, but a stale threshold that a busy two-core machine does not reach
 * by mere slowness (a live worker taken for dead only costs time: it is reconciled like a dead one).
 */
const WORKER_ENV = {
  ...FAST_WORKER_ENV,
  LEDGERLINK_TRANSFER_MAX_ATTEMPTS: '4',
  LEDGERLINK_STALE_AFTER_MS: '3000',
  LEDGERLINK_HEARTBEAT_MS: '500',
  LEDGERLINK_SWEEP_INTERVAL_MS: '500',
};

// ------------------------------------------------------------------------------------------ plan

type OrgKey = 'A' | 'B';
type Kind = 'manual' | 'circulating' | 'bad' | 'duplicate' | 'idle';

interface Planned {
  org: OrgKey;
  kind: Kind;
  billDate: string;
  supplier: number;
  invoiceNumber: string;
  lines: SeedLine[];
  /** For `bad`: the ledger codes it must fail with. */
  defect?: string;
  ghostSupplier?: boolean;
  id?: string;
  gid?: string;
}

const DEFECTS: { name: string; apply(lines: SeedLine[]): void }[] = [
  { name: 'header account', apply: (l) => void (l[0].accountCode = '4000') },
  { name: 'inactive account', apply: (l) => void (l[1].accountCode = '7390') },
  { name: 'inactive cost unit', apply: (l) => void (l[0].costUnitCode = 'OLD') },
  { name: 'unknown VAT code', apply: (l) => void (l[2].vatCode = 'VAT99') },
  { name: 'ghost supplier', apply: () => {} },
  {
    name: 'two problems',
    apply: (l) => {
      l[0].accountCode = '9999';
      l[1].costUnitCode = 'NOPE';
    },
  },
];

/** The ledger's refusal codes for these lines and supplier (empty: it would post). */
function expectedProblems(
  lines: { accountCode: string; costUnitCode: string | null; vatCode: string }[],
  ghost: boolean,
): string[] {
  const codes = new Set<string>();
  for (const l of lines) {
    if (l.accountCode === '4000' || l.accountCode === '7390') codes.add('ACCOUNT_NOT_POSTABLE');
    else if (!['4010', '6800', '7300'].includes(l.accountCode)) codes.add('ACCOUNT_NOT_FOUND');
    if (l.costUnitCode && !['ADM', 'SAL'].includes(l.costUnitCode)) codes.add('COST_UNIT_INVALID');
    if (!['VAT255', 'VAT0', 'VAT135'].includes(l.vatCode)) codes.add('VAT_CODE_INVALID');
  }
  if (ghost) codes.add('SUPPLIER_NOT_IN_LEDGER');
  return [...codes].sort();
}

function plan(rng: Rng, total: number, from: string, to: string): Planned[] {
  const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
  const out: Planned[] = [];
  const counters = { A: 0, B: 0 };
  for (let i = 0; i < total; i++) {
    const org: OrgKey = rng.chance(0.55) ? 'A' : 'B';
    const r = rng.next();
    const manuals = out.filter((p) => p.org === org && p.kind === 'manual');
    const kind: Kind =
      r < 0.62
        ? 'manual'
        : r < 0.87
          ? 'circulating'
          : r < 0.92
            ? 'bad'
            : r < 0.96 && manuals.length
              ? 'duplicate'
              : r < 0.96
                ? 'manual'
                : 'idle';
    const lines = standardLines(() => rng.next(), 3);
    const p: Planned = {
      org,
      kind,
      billDate: addDays(from, rng.int(0, days)),
      supplier: rng.int(0, 19),
      invoiceNumber: `${org}-${String(++counters[org]).padStart(5, '0')}`,
      lines,
    };
    if (kind === 'bad') {
      const defect = rng.pick(DEFECTS);
      defect.apply(lines);
      p.defect = defect.name;
      p.ghostSupplier = defect.name === 'ghost supplier';
    }
    if (kind === 'duplicate') {
      // The same supplier invoice number twice (the AP side allows it with allowDuplicate):
      // whichever posts second must fail DUPLICATE_REFERENCE, never borrow the other's entry.
      const twin = rng.pick(manuals);
      p.supplier = twin.supplier;
      p.invoiceNumber = twin.invoiceNumber;
    }
    out.push(p);
  }
  return out;
}

/** New lines with the same net and VAT totals: recoded, amounts moved, or (sometimes) wrong. */
function changedLines(rng: Rng, current: ApiLine[], n: number): { lines: ApiLine[]; bad: boolean } {
  const lines = current.map((l) => ({ ...l, description: `change ${n}` }));
  const r = rng.next();
  if (r < 0.12) {
    lines[0].accountCode = '7390';
    return { lines, bad: true };
  }
  if (r < 0.6 || lines.length < 2) {
    const l = rng.pick(lines);
    l.accountCode = rng.pick(['4010', '6800', '7300']);
    l.costUnitCode = rng.pick(['ADM', 'SAL', null]);
    l.vatCode = l.vatCode === 'VAT99' ? 'VAT255' : l.vatCode;
    return { lines, bad: false };
  }
  // Move some net amount from one line to another; totals stay.
  const [a, b] = rng.shuffle(lines.map((_, i) => i)).slice(0, 2);
  const from = toCents(lines[a].netAmount);
  const move = Math.max(1, Math.floor(from * rng.next() * 0.5));
  lines[a].netAmount = cents(from - move);
  lines[b].netAmount = cents(toCents(lines[b].netAmount) + move);
  return { lines, bad: false };
}

/** Lines of a defective invoice with every code made valid (the supplier stays what it is). */
function fixedLines(current: ApiLine[], n: number): ApiLine[] {
  return current.map((l, i) => ({
    ...l,
    accountCode: ['4010', '6800', '7300'][i % 3],
    costUnitCode: ['ADM', 'SAL', null][i % 3],
    vatCode: 'VAT255',
    description: `fixed ${n}`,
  }));
}

const toCents = (s: string) => Math.round(Number(s) * 100);

interface ApiLine {
  accountCode: string;
  costUnitCode: string | null;
  vatCode: string;
  netAmount: string;
  vatAmount: string;
  description: string | null;
}

// ------------------------------------------------------------------------------------------ API

const INVOICE_Q = `query($id: ID!) { invoice(id: $id) { id version status
  lines { accountCode costUnitCode vatCode netAmount vatAmount description } } }`;
const UPDATE_POSTING = `mutation($input: UpdatePostingInput!) { updatePosting(input: $input) {
  invoice { id version } userErrors { code message } warnings { code } } }`;
const REMOVE = `mutation($input: RemoveInvoiceInput!) { removeInvoice(input: $input) {
  invoice { id status } transfer { id kind } userErrors { code message } warnings { code } } }`;
const APPROVE_MANY = `mutation($input: ApproveInvoicesInput!) { approveInvoices(input: $input) {
  results { invoiceId invoice { id status } userErrors { code message } } userErrors { code message } } }`;
const PAY = `mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { payment { id } userErrors { code message } } }`;
const PERIODS = `query($org: ID!, $year: Int) { accountingPeriods(organizationId: $org, fiscalYear: $year) { id name startDate endDate status } }`;
const CLOSE = `mutation($input: PeriodInput!) { closePeriod(input: $input) { period { id status } userErrors { code message } } }`;
const LOCK = `mutation($input: SetLockDateInput!) { setLockDate(input: $input) { lockDate userErrors { code message } } }`;
const SETTINGS = `mutation($input: UpdateTransferSettingsInput!) { updateTransferSettings(input: $input) {
  transferSettings { autoTransferInvoices autoTransferPayments exportMode closedPeriodPolicy } userErrors { code message } } }`;

const EXPORT_CODES = new Set(['NOT_FOUND', 'TRANSFER_IN_PROGRESS', 'ALREADY_TRANSFERRED']);

interface OrgCtx {
  key: OrgKey;
  tenant: Tenant;
  exporters: Gql[];
  accountant: Gql;
  admin: Gql;
  writer: Gql;
}

// ------------------------------------------------------------------------------------------ test

describe('seeded simulation of the transfer engine', () => {
  let db: TestDatabase | undefined;
  let srv: TestServer | undefined;
  let supervisor: WorkerSupervisor | undefined;

  afterAll(async () => {
    await supervisor?.stop().catch(() => {});
    await srv?.stop().catch(() => {});
    await db?.close().catch(() => {});
  });

  it(
    `holds every rule (seed ${SEED}, ${INVOICES} invoices, ${CRASH_WORKERS} crashing workers)`,
    { timeout: 420_000 },
    async () => {
      log(
        `starting: replay with CHAOS_SEED=${SEED} CHAOS_INVOICES=${INVOICES} pnpm --filter @ledgerlink/test exec vitest run chaos/simulation`,
      );
      const started = Date.now();
      const rng = new Rng(SEED);
      db = await createTestDatabase();
      const sql = sqlOf(db);
      await installLedgerClock(sql);

      // Dates: the last four months and this one. One month is closed mid-run; lock dates move.
      const now = today();
      const from = monthStart(now, -4);
      const closedMonth = monthStart(now, -2);
      const lockA = addDays(monthStart(now, -3), -1);
      const lockB = addDays(from, 14);

      const tenants = {
        A: await createTenant(db.orm, 'chaos-a', { supplierCount: 20 }),
        B: await createTenant(db.orm, 'chaos-b', { supplierCount: 20 }),
      };
      const orgIds = [tenants.A.org.id, tenants.B.org.id];
      const ghost: Record<OrgKey, string> = { A: randomUUID(), B: randomUUID() };
      for (const k of ['A', 'B'] as const) {
        // A supplier the AP side knows but the ledger does not.
        await sql(
          `insert into supplier (id, organization_id, name, account_name) values ($1, $2, 'Ghost Oy', 'SUP-GHOST')`,
          [ghost[k], tenants[k].org.id],
        );
      }

      const planned = plan(rng.fork('plan'), INVOICES, from, now);
      for (const k of ['A', 'B'] as const) {
        const mine = planned.filter((p) => p.org === k);
        const specs: SeedInvoice[] = mine.map((p) => ({
          supplierId: p.ghostSupplier ? ghost[k] : tenants[k].suppliers[p.supplier].id,
          invoiceNumber: p.invoiceNumber,
          billDate: p.billDate,
          status: p.kind === 'circulating' ? 'IN_CIRCULATION' : 'APPROVED',
          stageId: p.kind === 'circulating' ? tenants[k].stages[2].id : null,
          lines: p.lines,
        }));
        const ids = await seedInvoices(
          sql,
          { organizationId: tenants[k].org.id, processId: tenants[k].process.id },
          specs,
        );
        mine.forEach((p, i) => {
          p.id = ids[i];
          p.gid = toGlobalId('PurchaseInvoice', ids[i]);
        });
      }
      const byId = new Map(planned.map((p) => [p.id!, p]));
      log(
        `seeded ${planned.length} invoices (${['manual', 'circulating', 'bad', 'duplicate', 'idle'].map((k) => `${k} ${planned.filter((p) => p.kind === k).length}`).join(', ')}) in ${Date.now() - started} ms`,
      );

      // This process: API + a worker with the faults that leave the process alive.
      const faultSeed = rng.seedFor('faults:main');
      srv = await startTestServer({
        db,
        env: {
          ...WORKER_ENV,
          LEDGERLINK_FAULTS: `seed=${faultSeed},transient=0.1,lostAck=0.05,timeout=0.02`,
        },
      });
      const url = srv.url;
      // Other processes: workers that also crash right after a committed posting, restarted.
      supervisor = new WorkerSupervisor(CRASH_WORKERS, (slot, generation) => ({
        DATABASE_URL: db!.url,
        LEDGERLINK_SEED: 'none',
        ...WORKER_ENV,
        // Crashes are rarer than the other faults: each one costs a process start (seconds of CPU).
        LEDGERLINK_FAULTS: `seed=${rng.seedFor(`faults:${slot}:${generation}`)},transient=0.1,lostAck=0.05,timeout=0.02,crash=0.004`,
      }));
      supervisor.start();

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
      expect(settingsA.updateTransferSettings.userErrors).toEqual([]);
      const settingsB = await orgs.B.admin.ok(SETTINGS, {
        input: {
          organizationId: tenants.B.orgId,
          autoTransferInvoices: false,
          closedPeriodPolicy: 'BLOCK',
          exportMode: 'BATCH',
        },
      });
      expect(settingsB.updateTransferSettings.userErrors).toEqual([]);

      // ---------------------------------------------------------------------------------- actors
      const problems: string[] = [];
      const complain = (msg: string) => {
        if (problems.length < 50) problems.push(msg);
      };
      const exported = new Set<string>();
      const stats = {
        exports: 0,
        duplicateCalls: 0,
        replays: 0,
        keyReuse: 0,
        accepted: 0,
        approvals: 0,
        changes: 0,
        badChanges: 0,
        fixes: 0,
        removals: 0,
        payments: 0,
      };
      const removed = new Map<string, { alsoRemoveFromAccounting: boolean; inLedger: boolean }>();

      /** One export call, checked: every index is either a transfer or a userError with its field. */
      async function exportOnce(client: Gql, org: OrgCtx, gids: string[], key: string) {
        const res = await client.ok(EXPORT_INVOICES, {
          input: { organizationId: org.tenant.orgId, invoiceIds: gids, idempotencyKey: key },
        });
        const p = res.exportInvoices;
        stats.exports++;
        const seen = new Set<number>();
        p.transfers.forEach((t: { invoice: { id: string } }) => {
          const i = gids.indexOf(t.invoice.id);
          if (i < 0)
            complain(`export returned a transfer of an invoice not asked for: ${t.invoice.id}`);
          seen.add(i);
        });
        for (const e of p.userErrors as { code: string; field: string[] }[]) {
          const i = Number(e.field?.[1]);
          if (e.field?.[0] !== 'invoiceIds' || !(i >= 0 && i < gids.length))
            complain(`userError without an index: ${JSON.stringify(e)}`);
          if (!EXPORT_CODES.has(e.code))
            complain(`unexpected export error ${e.code} for ${gids[i]}: ${JSON.stringify(e)}`);
          if (seen.has(i)) complain(`invoice ${gids[i]} got a transfer and an error`);
          seen.add(i);
        }
        if (seen.size !== gids.length) complain(`export of ${gids.length} answered ${seen.size}`);
        for (const t of p.transfers) exported.add(t.invoice.id);
        stats.accepted += p.transfers.length;
        return p;
      }

      // Exporters: chunks of 1..500, with double clicks, replays, key reuse and overlaps.
      const exportList: Planned[] = rng
        .fork('export-order')
        .shuffle(planned.filter((p) => p.kind !== 'idle'));
      const chunks: Planned[][] = [];
      {
        const r = rng.fork('chunks');
        for (let i = 0; i < exportList.length;) {
          const size = r.chance(0.5)
            ? r.int(1, 20)
            : r.chance(0.6)
              ? r.int(20, 200)
              : r.int(200, 500);
          chunks.push(exportList.slice(i, i + size));
          i += size;
        }
      }
      let chunksDone = 0;
      async function exporter(n: number) {
        const r = rng.fork(`exporter:${n}`);
        for (;;) {
          const chunk = chunks.shift();
          if (!chunk) return;
          for (const k of ['A', 'B'] as const) {
            const org = orgs[k];
            let gids = chunk.filter((p) => p.org === k).map((p) => p.gid!);
            if (!gids.length) continue;
            if (r.chance(0.15) && exported.size) {
              const extra = r
                .shuffle([...exported].filter((g) => byId.get(fromGid(g))?.org === k))
                .slice(0, r.int(1, 10));
              gids = [...new Set([...gids, ...extra])].slice(0, 500);
            }
            const key = randomUUID();
            const client = r.pick(org.exporters);
            const mode = r.next();
            if (mode < 0.15) {
              // Double click / two tabs: the same documents at once, different keys and callers.
              stats.duplicateCalls++;
              // (That no two transfers of one document overlap is checked over all transfers at the end.)
              await Promise.all([
                exportOnce(client, org, gids, key),
                exportOnce(r.pick(org.exporters), org, gids, randomUUID()),
              ]);
            } else {
              const first = await exportOnce(client, org, gids, key);
              if (mode < 0.27) {
                // The network dropped the answer; the client sends the same request again.
                stats.replays++;
                const again = await client.ok(EXPORT_INVOICES, {
                  input: {
                    organizationId: org.tenant.orgId,
                    invoiceIds: gids,
                    idempotencyKey: key,
                  },
                });
                // Same key, same input → same payload (transfer statuses aside: none are selected).
                // An export that accepted nothing may be refused as a whole and keep its key free,
                // so only one that queued something is bound to answer the same again.
                if (
                  first.transfers.length &&
                  JSON.stringify(again.exportInvoices) !== JSON.stringify(first)
                ) {
                  complain(
                    `replay with the same key answered differently: ${JSON.stringify(again.exportInvoices).slice(0, 300)}`,
                  );
                }
              } else if (mode < 0.32 && gids.length > 1) {
                stats.keyReuse++;
                const other = await client.ok(EXPORT_INVOICES, {
                  input: {
                    organizationId: org.tenant.orgId,
                    invoiceIds: gids.slice(1),
                    idempotencyKey: key,
                  },
                });
                const codes = other.exportInvoices.userErrors.map((e: { code: string }) => e.code);
                if (
                  codes.join() !== 'IDEMPOTENCY_KEY_REUSED' ||
                  other.exportInvoices.transfers.length
                ) {
                  complain(
                    `key reused with other input: ${JSON.stringify(other.exportInvoices).slice(0, 300)}`,
                  );
                }
              }
            }
          }
          chunksDone++;
        }
      }
      const totalChunks = chunks.length;
      const progress = () => chunksDone / totalChunks;
      let live = 0;
      const liveWatch = setInterval(
        () => void transferCounts(sql, orgIds).then((c) => (live = c.live)),
        1_000,
      );
      /** Exports still being issued, or transfers still in flight. */
      const busy = () => progress() < 1 || live > 0;
      const until = async (cond: () => boolean) => {
        while (!cond()) await new Promise((r) => setTimeout(r, 25));
      };
      const fromGid = (gid: string) => Buffer.from(gid, 'base64url').toString('utf8').split(':')[1];

      // Bulk approvals by the accountant: the last stage transfers automatically (A; B once enabled).
      async function approver(k: OrgKey) {
        const r = rng.fork(`approver:${k}`);
        const todo = r.shuffle(planned.filter((p) => p.org === k && p.kind === 'circulating'));
        while (todo.length) {
          const batch = todo.splice(0, r.int(10, 200));
          const res = await orgs[k].accountant.ok(APPROVE_MANY, {
            input: { invoiceIds: batch.map((p) => p.gid) },
          });
          const payload = res.approveInvoices;
          if (payload.userErrors.length)
            complain(`bulk approval refused: ${JSON.stringify(payload.userErrors)}`);
          for (const result of payload.results as {
            invoiceId: string;
            invoice: { status: string } | null;
            userErrors: { code: string }[];
          }[]) {
            if (result.invoice?.status === 'APPROVED') stats.approvals++;
            else if (!removed.has(fromGid(result.invoiceId)))
              complain(
                `approval of ${result.invoiceId} failed: ${JSON.stringify(result.userErrors)}`,
              );
          }
          await new Promise((r2) => setTimeout(r2, r.int(0, 150)));
        }
      }

      /** Calls `attempt` until it is not refused for a transfer in flight or a stale version. */
      async function persist(
        r: Rng,
        attempt: () => Promise<{ code: string }[]>,
      ): Promise<{ code: string }[]> {
        for (let i = 0; ; i++) {
          const errors = await attempt();
          if (
            !errors.some((e) => e.code === 'TRANSFER_IN_PROGRESS' || e.code === 'STALE_VERSION') ||
            i >= 12
          )
            return errors;
          await new Promise((res) => setTimeout(res, r.int(50, 300)));
        }
      }

      // Posting changes: mostly on documents already sent (corrections), some before, some wrong.
      async function changer(k: OrgKey, n0: number) {
        const r = rng.fork(`changer:${k}:${n0}`);
        const count = Math.round(INVOICES * 0.015);
        await until(() => progress() > 0.1);
        // Changes land while transfers are in flight: the changer stops when the engine is idle.
        for (let n = n0 * count; n < (n0 + 1) * count && busy(); n++) {
          const mine = planned.filter(
            (p) => p.org === k && p.kind !== 'idle' && !removed.has(p.id!),
          );
          const inFlight = mine.filter((p) => exported.has(p.gid!));
          const target = r.chance(0.75) && inFlight.length ? r.pick(inFlight) : r.pick(mine);
          let bad = false;
          let fix = false;
          const errors = await persist(r, async () => {
            const inv = (await orgs[k].writer.ok(INVOICE_Q, { id: target.gid })).invoice;
            if (inv.status === 'REMOVED') return [{ code: 'NOT_FOUND' }];
            fix = target.kind === 'bad' && !target.ghostSupplier && r.chance(0.5);
            const next = fix
              ? { lines: fixedLines(inv.lines, n), bad: false }
              : changedLines(r, inv.lines, n);
            bad = next.bad;
            const res = await orgs[k].writer.ok(UPDATE_POSTING, {
              input: { invoiceId: target.gid, version: inv.version, lines: next.lines },
            });
            return res.updatePosting.userErrors;
          });
          if (errors.length === 0) {
            stats.changes++;
            if (bad) stats.badChanges++;
            if (fix) stats.fixes++;
          } else if (
            !errors.every((e) => e.code === 'TRANSFER_IN_PROGRESS' || e.code === 'NOT_FOUND')
          ) {
            complain(`posting change of ${target.gid} refused: ${JSON.stringify(errors)}`);
          }
          await new Promise((res) => setTimeout(res, r.int(0, 100)));
        }
      }

      // Removals: half keep the ledger entry, half reverse it.
      async function remover(k: OrgKey) {
        const r = rng.fork(`remover:${k}`);
        const count = Math.round(INVOICES * 0.015);
        await until(() => progress() > 0.2);
        for (let n = 0; n < count && busy(); n++) {
          const target = r.pick(planned.filter((p) => p.org === k && !removed.has(p.id!)));
          const also = r.chance(0.5);
          let inLedger = false;
          const errors = await persist(r, async () => {
            const res = await orgs[k].writer.ok(REMOVE, {
              input: {
                invoiceId: target.gid,
                alsoRemoveFromAccounting: also,
                idempotencyKey: randomUUID(),
              },
            });
            // In the ledger at removal: a reversal was queued, or the entry was kept (with a warning).
            inLedger =
              !!res.removeInvoice.transfer ||
              res.removeInvoice.warnings.some(
                (w: { code: string }) => w.code === 'STILL_IN_ACCOUNTING',
              );
            return res.removeInvoice.userErrors;
          });
          if (errors.length === 0) {
            stats.removals++;
            removed.set(target.id!, { alsoRemoveFromAccounting: also, inLedger });
          } else if (
            !errors.every(
              (e) =>
                e.code === 'TRANSFER_IN_PROGRESS' || e.code === 'IN_USE' || e.code === 'FORBIDDEN',
            )
          ) {
            complain(`removal of ${target.gid} refused: ${JSON.stringify(errors)}`);
          }
          await new Promise((res) => setTimeout(res, r.int(0, 200)));
        }
      }

      // Payments (A transfers them automatically, only once their invoice is in the ledger).
      async function payer() {
        const r = rng.fork('payer');
        const count = Math.round(INVOICES * 0.02);
        for (let n = 0; n < count; n++) {
          await until(() => progress() >= n / count);
          const target = r.pick(
            planned.filter((p) => p.org === 'A' && p.kind !== 'idle' && !removed.has(p.id!)),
          );
          const gross = target.lines.reduce((a, l) => a + l.netCents + l.vatCents, 0);
          const res = await orgs.A.writer.ok(PAY, {
            input: {
              invoiceId: target.gid,
              amount: cents(Math.max(1, Math.floor(gross / 4))),
              paymentDate: now,
              source: 'MANUAL',
              idempotencyKey: randomUUID(),
            },
          });
          const errors = res.recordPayment.userErrors as { code: string }[];
          if (!errors.length) stats.payments++;
          else if (
            !errors.every(
              (e) =>
                e.code === 'NOT_FOUND' || e.code === 'OVERPAYMENT' || e.code === 'INVALID_STATE',
            )
          ) {
            complain(`payment on ${target.gid} refused: ${JSON.stringify(errors)}`);
          }
        }
      }

      // The admin: closes a month for both, sets lock dates, switches B to automatic transfer.
      const adminLog: string[] = [];
      async function administrator() {
        const year = Number(closedMonth.slice(0, 4));
        await until(() => progress() >= 0.3);
        for (const k of ['A', 'B'] as const) {
          const periods = (await orgs[k].admin.ok(PERIODS, { org: tenants[k].orgId, year }))
            .accountingPeriods as { id: string; startDate: string }[];
          const period = periods.find((p) => p.startDate === closedMonth)!;
          const res = await orgs[k].admin.ok(CLOSE, {
            input: { organizationId: tenants[k].orgId, periodId: period.id },
          });
          if (res.closePeriod.userErrors.length || res.closePeriod.period.status !== 'CLOSED')
            complain(`closePeriod: ${JSON.stringify(res)}`);
          adminLog.push(`${k}: closed ${closedMonth} at ${(Date.now() - started) / 1000}s`);
        }
        await until(() => progress() >= 0.4);
        const auto = await orgs.B.admin.ok(SETTINGS, {
          input: { organizationId: tenants.B.orgId, autoTransferInvoices: true },
        });
        if (!auto.updateTransferSettings.transferSettings?.autoTransferInvoices)
          complain(`B auto transfer: ${JSON.stringify(auto)}`);
        adminLog.push(`B: automatic transfer on at ${(Date.now() - started) / 1000}s`);
        await until(() => progress() >= 0.5);
        for (const [k, lock] of [
          ['A', lockA],
          ['B', lockB],
        ] as const) {
          const res = await orgs[k].admin.ok(LOCK, {
            input: { organizationId: tenants[k].orgId, lockDate: lock },
          });
          if (res.setLockDate.userErrors.length || res.setLockDate.lockDate !== lock)
            complain(`setLockDate: ${JSON.stringify(res)}`);
          adminLog.push(`${k}: lock date ${lock} at ${(Date.now() - started) / 1000}s`);
        }
      }

      const actors = Promise.all([
        ...Array.from({ length: 4 }, (_, n) => exporter(n)),
        approver('A'),
        approver('B'),
        changer('A', 0),
        changer('A', 1),
        changer('B', 0),
        changer('B', 1),
        remover('A'),
        remover('B'),
        payer(),
        administrator(),
      ]);
      const ticker = setInterval(() => {
        void transferCounts(sql, orgIds).then((c) =>
          log(
            `t=${Math.round((Date.now() - started) / 1000)}s exports ${Math.round(progress() * 100)}% transfers ${JSON.stringify(c.byStatus)} crashes ${supervisor!.crashes}`,
          ),
        );
      }, 10_000);
      try {
        await actors;
        // Users come back once the dust settles: export everything once more (B's approvals from
        // before automatic transfer, out-of-date postings, failures whose posting was fixed).
        for (const k of ['A', 'B'] as const) {
          const left = planned.filter(
            (p) => p.org === k && p.kind !== 'idle' && !removed.has(p.id!),
          );
          for (let i = 0; i < left.length; i += 500) {
            await exportOnce(
              orgs[k].exporters[0],
              orgs[k],
              left.slice(i, i + 500).map((p) => p.gid!),
              randomUUID(),
            );
          }
        }
        log(
          `actors done at ${Math.round((Date.now() - started) / 1000)}s: ${JSON.stringify(stats)}; ${adminLog.join('; ')}`,
        );
        await waitForQuiet(sql, orgIds, {
          timeoutMs: 150_000,
          settleMs: 3_000,
          onProgress: (c) =>
            log(`waiting for quiet: ${JSON.stringify(c.byStatus)} crashes ${supervisor!.crashes}`),
        });
      } finally {
        clearInterval(ticker);
        clearInterval(liveWatch);
      }
      const injected =
        (srv.app.services.accounting as unknown as { injected?: Record<string, number> })
          .injected ?? {};
      await supervisor.stop();
      const crashes = supervisor.crashes;
      const unexpected = supervisor.unexpectedExits;
      supervisor = undefined;
      await srv.stop();
      srv = undefined;
      log(
        `quiet at ${Math.round((Date.now() - started) / 1000)}s; faults in this process ${JSON.stringify(injected)}; worker crashes ${crashes}`,
      );

      // ------------------------------------------------------------------------------- verdict
      const failures: string[] = [];
      if (problems.length) failures.push(`client-side problems:\n  ${problems.join('\n  ')}`);
      if (unexpected.length)
        failures.push(
          `worker processes died of something other than an injected crash:\n${unexpected.map((e) => `${e.name} ${JSON.stringify({ code: e.code, signal: e.signal })}\n${e.tail}`).join('\n')}`,
        );

      const report = await checkInvariants(sql, orgIds);
      if (report.violations.length)
        failures.push(
          `${formatViolations(report)}\nsome of the transfers involved:\n${await explainViolations(sql, report)}`,
        );

      failures.push(
        ...(await expectedOutcomes(sql, planned, removed, {
          closedMonth,
          lockB,
          orgB: tenants.B.org.id,
        })),
      );

      // Every fault kind happened, and the engine saw the consequences.
      const [ev] = await sql<Record<string, string>>(
        `select count(*) filter (where action = 'transfer.in_doubt') as in_doubt, count(*) filter (where action = 'transfer.reconciled') as reconciled,
              count(*) filter (where action = 'transfer.retrying') as retrying
         from audit_event where organization_id = any($1)`,
        [orgIds],
      );
      const seen = {
        transient: injected.transient ?? 0,
        lostAck: injected.lostAck ?? 0,
        timeout: injected.timeout ?? 0,
        crash: crashes,
        ...ev,
      };
      log(`faults and their traces: ${JSON.stringify(seen)}`);
      for (const [k, v] of Object.entries(seen))
        if (!Number(v)) failures.push(`no ${k} happened: the run did not exercise it`);

      // History of the other steps: each change, removal, approval, close and lock is on record.
      const [h] = await sql<Record<string, string>>(
        `select count(*) filter (where action = 'invoice.posting_changed') as changes, count(*) filter (where action = 'invoice.removed') as removals,
              count(*) filter (where action = 'invoice.approved') as approvals, count(*) filter (where action = 'payment.recorded') as payments,
              count(*) filter (where action = 'ledger.period_closed') as closes, count(*) filter (where action = 'ledger.lock_date_set') as locks
         from audit_event where organization_id = any($1)`,
        [orgIds],
      );
      const want = {
        changes: stats.changes,
        removals: stats.removals,
        approvals: stats.approvals,
        payments: stats.payments,
        closes: 2,
        locks: 2,
      };
      for (const [k, v] of Object.entries(want))
        if (Number(h[k]) !== v) failures.push(`history has ${h[k]} ${k}, the simulation made ${v}`);

      const counts = await transferCounts(sql, orgIds);
      log(
        `verdict after ${Math.round((Date.now() - started) / 1000)}s: transfers ${JSON.stringify(counts.byStatus)}, ${failures.length} failure group(s)`,
      );
      if (failures.length)
        throw new Error(
          `chaos seed ${SEED} (replay: CHAOS_SEED=${SEED} CHAOS_INVOICES=${INVOICES}):\n${failures.join('\n')}`,
        );
    },
  );
});

/**
 * Where each document must have ended, from its final data: a defective posting fails with every
 * reason; a good one is in the ledger in its current version, unless it failed for a reason its
 * situation explains (transient exhaustion, a blocked period, a duplicate reference).
 */
async function expectedOutcomes(
  sql: Sql,
  planned: Planned[],
  removed: Map<string, { alsoRemoveFromAccounting: boolean; inLedger: boolean }>,
  ctx: { closedMonth: string; lockB: string; orgB: string },
): Promise<string[]> {
  const rows = await sql<{
    id: string;
    organization_id: string;
    bill_date: string;
    removed: boolean;
    ledger_entry_id: string | null;
    up_to_date: boolean;
    ghost: boolean;
    lines: { accountCode: string; costUnitCode: string | null; vatCode: string }[];
    transfers: number;
    last_status: string | null;
    last_kind: string | null;
    last_codes: string[] | null;
    live_entry: boolean;
  }>(
    `select i.id, i.organization_id, to_char(i.bill_date, 'YYYY-MM-DD') as bill_date, i.removed_at is not null as removed,
            i.ledger_entry_id, coalesce(i.ledger_version = i.posting_version, false) as up_to_date, s.account_name = 'SUP-GHOST' as ghost,
            (select json_agg(json_build_object('accountCode', l.account_code, 'costUnitCode', l.cost_unit_code, 'vatCode', l.vat_code))
               from invoice_line l where l.invoice_id = i.id) as lines,
            (select count(*)::int from transfer t where t.invoice_id = i.id) as transfers,
            lt.status as last_status, lt.kind as last_kind,
            (select array_agg(distinct e->>'code') from jsonb_array_elements(lt.errors) e) as last_codes,
            exists (select 1 from ledger.entry e where e.id = i.ledger_entry_id and e.reversed_by_entry_id is null) as live_entry
       from purchase_invoice i join supplier s on s.id = i.supplier_id
       left join transfer lt on lt.id = i.last_transfer_id
      where i.id = any($1)`,
    [planned.map((p) => p.id)],
  );
  const byId = new Map(planned.map((p) => [p.id!, p]));
  const duplicates = new Set(
    planned
      .filter((p) => p.kind === 'duplicate')
      .map((p) => `${p.org}|${p.supplier}|${p.invoiceNumber}`),
  );
  const out: string[] = [];
  const fail = (msg: string) => {
    if (out.length < 40) out.push(msg);
  };
  for (const r of rows) {
    const p = byId.get(r.id)!;
    const where = `invoice ${r.id} (${p.org} ${p.kind}${p.defect ? `, ${p.defect}` : ''}, billed ${r.bill_date})`;
    if (p.kind === 'idle') {
      if (r.transfers) fail(`${where} was never exported but has ${r.transfers} transfer(s)`);
      continue;
    }
    const removal = removed.get(r.id);
    if (removal) {
      if (removal.alsoRemoveFromAccounting && r.live_entry && r.last_status !== 'FAILED') {
        fail(
          `${where} was removed from accounting too, but its entry is live and the reversal did not fail (${r.last_kind} ${r.last_status})`,
        );
      }
      if (!removal.alsoRemoveFromAccounting && removal.inLedger && !r.live_entry)
        fail(`${where} was removed keeping its entry, but the entry is gone`);
      continue;
    }
    const wanted = expectedProblems(r.lines, r.ghost);
    const codes = (r.last_codes ?? []).sort();
    if (wanted.length) {
      if (r.up_to_date)
        fail(`${where} has problems ${wanted} but its current version is in the ledger`);
      else if (r.last_status !== 'FAILED' || !wanted.every((c) => codes.includes(c))) {
        fail(
          `${where} must fail with ${wanted}; last transfer ${r.last_kind} ${r.last_status} ${codes}`,
        );
      }
      continue;
    }
    if (r.up_to_date) continue;
    const explained = codes.filter((c) => {
      if (c === 'TRANSIENT_EXHAUSTED') return true;
      if (c === 'DUPLICATE_REFERENCE')
        return duplicates.has(`${p.org}|${p.supplier}|${p.invoiceNumber}`);
      if (c === 'PERIOD_LOCKED')
        return (
          r.organization_id === ctx.orgB &&
          (r.bill_date.slice(0, 7) === ctx.closedMonth.slice(0, 7) || r.bill_date <= ctx.lockB)
        );
      return false;
    });
    if (r.last_status !== 'FAILED' || !codes.length || explained.length !== codes.length) {
      fail(
        `${where} should be in the ledger up to date; last transfer ${r.last_kind} ${r.last_status} ${codes}, entry ${r.ledger_entry_id}`,
      );
    }
  }
  // The period rule as the organizations chose it: A shifts to the first day of an open period,
  // B never shifts (it blocks instead).
  const shifted = await sql<{ problem: string }>(
    `select format('entry %s (%s) of %s: document %s posted %s, period starts %s', e.id, e.kind, o.slug, e.document_date, e.posting_date, p.start_date) as problem
       from ledger.entry e join ledger.period p on p.id = e.period_id join organization o on o.id = e.organization_id
      where e.organization_id = any($1) and e.posting_date <> e.document_date
        and (e.organization_id = $2 or e.posting_date <> p.start_date)`,
    [[...new Set(rows.map((r) => r.organization_id))], ctx.orgB],
  );
  for (const s of shifted.slice(0, 10)) fail(`period rule: ${s.problem}`);
  return out;
}
