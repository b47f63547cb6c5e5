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
import { createTestDatabase, type TestDatabase } from '../../server/src/testing/db.js';
import { createTenant } from '../../server/src/testing/factories.js';
import { startTestServer, type TestServer } from '../../server/src/testing/server.js';
import { FAST_WORKER_ENV } from '../../server/src/testing/transfers.js';
import { EXPORT_INVOICES, type Gql } from '../helpers/gql.js';
import { installLedgerClock } from '../helpers/ledger-clock.js';
import { WorkerSupervisor } from '../helpers/processes.js';
import { transferCounts, waitForQuiet } from '../helpers/quiet.js';
import { Rng } from '../../server/src/seeders/demo-random.js';
import { seedFrom } from '../helpers/random.js';
import { addDays, cents, monthStart, sqlOf, today } from '../helpers/seed.js';
import {
  APPROVE_MANY,
  CLOSE,
  EXPORT_CODES,
  INVOICE_Q,
  LOCK,
  OFFSET,
  orgContexts,
  type OrgCtx,
  PAY,
  PERIODS,
  REMOVE,
  SETTINGS,
  UPDATE_POSTING,
  applyTransferSettings,
} from './simulation.api.js';
import { simulationFailures } from './simulation.checks.js';
import {
  changedLines,
  fixedLines,
  type OrgKey,
  plan,
  type Planned,
  seedPlanned,
} from './simulation.plan.js';

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
      await seedPlanned(sql, tenants, ghost, planned);
      const byId = new Map(planned.map((p) => [p.id!, p]));
      log(
        `seeded ${planned.length} invoices (${['manual', 'circulating', 'bad', 'duplicate', 'idle'].map((k) => `${k} ${planned.filter((p) => p.kind === k).length}`).join(', ')}; credit notes ${planned.filter((p) => p.doc === 'CREDIT_NOTE').length}, ${planned.filter((p) => p.credits).length} of them under the number of the invoice they credit) in ${Date.now() - started} ms`,
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

      const orgs = await orgContexts(url, tenants);
      const { settingsA, settingsB } = await applyTransferSettings(orgs, tenants);
      expect(settingsA.updateTransferSettings.userErrors).toEqual([]);
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
        offsets: 0,
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
          // A credit note's payment is the supplier's refund: negative, like the credit note.
          const sign = target.doc === 'CREDIT_NOTE' ? -1 : 1;
          const res = await orgs.A.writer.ok(PAY, {
            input: {
              invoiceId: target.gid,
              amount: cents(sign * Math.max(1, Math.floor(Math.abs(gross) / 4))),
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

      // Offsets: credit notes of A set against an invoice of their supplier (the one they credit,
      // else another), while payments, changes and removals of the same documents run.
      async function offsetter() {
        const r = rng.fork('offsetter');
        const count = Math.round(INVOICES * 0.01);
        for (let n = 0; n < count; n++) {
          await until(() => progress() >= n / count);
          const credits = planned.filter(
            (p) =>
              p.org === 'A' && p.doc === 'CREDIT_NOTE' && p.kind !== 'idle' && !p.ghostSupplier,
          );
          if (!credits.length) return;
          const credit = r.pick(credits);
          const invoices = planned.filter(
            (p) =>
              p.org === 'A' &&
              p.doc === 'INVOICE' &&
              p.supplier === credit.supplier &&
              !p.ghostSupplier,
          );
          const invoice = credit.credits ?? (invoices.length ? r.pick(invoices) : null);
          if (!invoice) continue;
          const gross = credit.lines.reduce((a, l) => a + l.netCents + l.vatCents, 0);
          const res = await orgs.A.writer.ok(OFFSET, {
            input: {
              creditNoteId: credit.gid,
              invoiceId: invoice.gid,
              amount: cents(Math.max(1, Math.floor(Math.abs(gross) / 3))),
              idempotencyKey: randomUUID(),
            },
          });
          const errors = res.offsetCreditNote.userErrors as { code: string }[];
          if (!errors.length) stats.offsets++;
          else if (!errors.every((e) => e.code === 'OVERPAYMENT' || e.code === 'INVALID_STATE'))
            complain(
              `offset of ${credit.gid} against ${invoice.gid} refused: ${JSON.stringify(errors)}`,
            );
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
        offsetter(),
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
      const injected = injectedFaults(srv.app.services.accounting);
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
      const failures = await simulationFailures(sql, {
        problems,
        unexpected,
        orgIds,
        planned,
        removed,
        closedMonth,
        lockB,
        orgB: tenants.B.org.id,
        injected,
        crashes,
        stats,
        log,
      });

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

/** The fault counts of the fault injector, wherever it sits among the accounting wrappers. */
function injectedFaults(accounting: unknown): Record<string, number> {
  let system = accounting as { injected?: Record<string, number>; inner?: unknown } | undefined;
  while (system && !system.injected) system = system.inner as typeof system;
  return system?.injected ?? {};
}
