/**
 * A real server process (API + worker) is SIGKILLed while 2,000 invoices are being exported,
 * restarted on the same database, killed again while it recovers, and restarted once more. The
 * client does what a client does after a dropped connection: it sends each export again with
 * the same idempotency key. When the system is quiet, without anyone retrying a transfer or
 * editing anything, every rule holds: each invoice is in the ledger exactly once (or failed
 * with its reasons), nothing is left in flight, and the history tells each step.
 *
 *   CRASH_INVOICES=n   documents (default 2000)
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../server/src/common/ids.js';
import { createTestDatabase, type TestDatabase } from '../../server/src/testing/db.js';
import { createTenant } from '../../server/src/testing/factories.js';
import { FAST_WORKER_ENV } from '../../server/src/testing/transfers.js';
import { EXPORT_INVOICES, gqlClient, type GqlResponse } from '../helpers/gql.js';
import { checkInvariants, explainViolations, formatViolations } from '../helpers/invariants.js';
import { installLedgerClock } from '../helpers/ledger-clock.js';
import {
  freePort,
  spawnLedgerlink,
  stopProcess,
  waitForReady,
  type LedgerlinkProcess,
} from '../helpers/processes.js';
import { transferCounts, waitForQuiet } from '../helpers/quiet.js';
import { Rng } from '../../server/src/seeders/demo-random.js';
import { addDays, monthStart, seedInvoices, sqlOf, standardLines, today } from '../helpers/seed.js';

const INVOICES = Number(process.env.CRASH_INVOICES || 2000);
const BATCH = 500;
const log = (msg: string) => console.log(`[crash] ${msg}`);
/** The partner API's cost budget is not what this test is about (its buckets outlive restarts). */
const UNTHROTTLED = {
  LEDGERLINK_COST_BUCKET_SIZE: '1000000000',
  LEDGERLINK_COST_RESTORE_RATE: '1000000',
};

describe('a server killed while exporting', () => {
  let db: TestDatabase | undefined;
  let server: LedgerlinkProcess | undefined;

  afterAll(async () => {
    if (server) await stopProcess(server).catch(() => {});
    await db?.close().catch(() => {});
  });

  it(
    `recovers on restart: ${INVOICES} invoices, two SIGKILLs, every rule holds`,
    { timeout: 300_000 },
    async () => {
      const started = Date.now();
      db = await createTestDatabase();
      const sql = sqlOf(db);
      await installLedgerClock(sql);
      const tenant = await createTenant(db.orm, 'crash', { supplierCount: 20 });
      const rng = new Rng(7);
      const from = monthStart(today(), -2);
      const days = Math.round((Date.parse(today()) - Date.parse(from)) / 86_400_000);
      // Every 50th invoice names a header account: it must end FAILED with its reason, crash or not.
      const ids = await seedInvoices(
        sql,
        { organizationId: tenant.org.id, processId: tenant.process.id },
        Array.from({ length: INVOICES }, (_, i) => {
          const lines = standardLines(() => rng.next(), 3);
          if (i % 50 === 49) lines[0].accountCode = '4000';
          return {
            supplierId: tenant.suppliers[i % 20].id,
            invoiceNumber: `CR-${i}`,
            billDate: addDays(from, rng.int(0, days)),
            lines,
          };
        }),
      );
      const bad = new Set(ids.filter((_, i) => i % 50 === 49));

      const port = await freePort();
      const start = async (name: string) => {
        server = spawnLedgerlink('main', name, {
          DATABASE_URL: db!.url,
          PORT: String(port),
          LEDGERLINK_SEED: 'none',
          ...FAST_WORKER_ENV,
          ...UNTHROTTLED,
        });
        await waitForReady(`http://127.0.0.1:${port}`, server);
        return server;
      };
      const kill = async (proc: LedgerlinkProcess) => {
        proc.kill('SIGKILL');
        const exit = await proc.exited;
        expect(exit.signal).toBe('SIGKILL');
      };
      const client = gqlClient(`http://127.0.0.1:${port}/graphql`, { token: tenant.tokens.export });
      const batches = Array.from({ length: Math.ceil(ids.length / BATCH) }, (_, i) => ({
        ids: ids.slice(i * BATCH, (i + 1) * BATCH),
        key: randomUUID(),
        answer: undefined as GqlResponse | undefined,
        failure: undefined as string | undefined,
      }));
      const send = (b: (typeof batches)[number]) =>
        client(EXPORT_INVOICES, {
          input: {
            organizationId: tenant.orgId,
            invoiceIds: b.ids.map((id) => toGlobalId('PurchaseInvoice', id)),
            idempotencyKey: b.key,
          },
        });
      const transferred = async () =>
        (await transferCounts(sql, [tenant.org.id])).byStatus.TRANSFERRED ?? 0;
      const until = async (cond: () => Promise<boolean>, timeoutMs: number, what: string) => {
        const deadline = Date.now() + timeoutMs;
        while (!(await cond())) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };

      // 1. Export batch after batch; kill the server once the worker has sent some, mid-export.
      let proc = await start('server #1');
      log(`seeded and started in ${Date.now() - started} ms`);
      const exporting = (async () => {
        for (const b of batches) {
          try {
            b.answer = await send(b);
          } catch (err) {
            b.failure = (err as Error).message;
            return; // the connection is gone; the rest is sent after the restart
          }
        }
      })();
      const killAt = Math.round(INVOICES * 0.15);
      await until(async () => (await transferred()) >= killAt, 120_000, `${killAt} transfers`);
      const answeredBeforeKill = batches.filter((b) => b.answer).length;
      await kill(proc);
      await exporting;
      const first = await transferCounts(sql, [tenant.org.id]);
      log(
        `killed #1 after ${answeredBeforeKill} of ${batches.length} export calls answered: ${JSON.stringify(first.byStatus)}`,
      );
      expect(first.live, 'the first kill must leave transfers in flight').toBeGreaterThan(0);

      // 2. Restart; the client sends every export again with its key. Kill again mid-recovery.
      proc = await start('server #2');
      for (const b of batches) {
        const again = await send(b);
        expect(again.errors, JSON.stringify(again.errors)).toBeUndefined();
        if (b.answer) {
          // Same key, same input: the same answer as before the crash.
          expect(again.data).toEqual(b.answer.data);
        }
        b.answer = again;
      }
      const before = await transferred();
      await until(
        async () => (await transferred()) >= Math.min(INVOICES * 0.9, before + INVOICES * 0.2),
        120_000,
        'progress after the restart',
      );
      await kill(proc);
      const second = await transferCounts(sql, [tenant.org.id]);
      log(`killed #2 while recovering: ${JSON.stringify(second.byStatus)}`);

      // 3. Restart and leave it alone until it is quiet.
      proc = await start('server #3');
      await waitForQuiet(sql, [tenant.org.id], {
        timeoutMs: 120_000,
        settleMs: 3_000,
        onProgress: (c) => log(`waiting for quiet: ${JSON.stringify(c.byStatus)}`),
      });
      await stopProcess(proc);
      server = undefined;
      log(
        `quiet after ${Math.round((Date.now() - started) / 1000)} s: ${JSON.stringify((await transferCounts(sql, [tenant.org.id])).byStatus)}`,
      );

      // Every export answer accounts for every invoice it was given.
      for (const b of batches) {
        const p = b.answer!.data!.exportInvoices;
        expect(p.transfers.length + p.userErrors.length).toBe(b.ids.length);
        for (const e of p.userErrors)
          expect(['TRANSFER_IN_PROGRESS', 'ALREADY_TRANSFERRED']).toContain(e.code);
      }

      const report = await checkInvariants(sql, [tenant.org.id]);
      const failures: string[] = [];
      if (report.violations.length)
        failures.push(`${formatViolations(report)}\n${await explainViolations(sql, report)}`);

      // Each invoice: a good one is in the ledger once, a bad one FAILED with its reason.
      const rows = await sql<{
        id: string;
        entries: number;
        status: string | null;
        codes: string[] | null;
        transfers: number;
      }>(
        `select i.id, (select count(*)::int from ledger.entry e join transfer t on t.id::text = e.idempotency_key where t.invoice_id = i.id) as entries,
              lt.status, (select array_agg(e->>'code') from jsonb_array_elements(lt.errors) e) as codes,
              (select count(*)::int from transfer t where t.invoice_id = i.id) as transfers
         from purchase_invoice i left join transfer lt on lt.id = i.last_transfer_id where i.organization_id = $1`,
        [tenant.org.id],
      );
      for (const r of rows) {
        if (bad.has(r.id)) {
          if (
            r.status !== 'FAILED' ||
            !r.codes?.includes('ACCOUNT_NOT_POSTABLE') ||
            r.entries !== 0
          ) {
            failures.push(`bad invoice ${r.id}: ${r.status} ${r.codes} with ${r.entries} entries`);
          }
        } else if (r.status !== 'TRANSFERRED' || r.entries !== 1 || r.transfers !== 1) {
          failures.push(
            `invoice ${r.id}: ${r.status} ${r.codes}, ${r.entries} entries, ${r.transfers} transfers`,
          );
        }
      }
      // The kills left work in doubt, and the engine settled it by looking the entries up.
      const [h] = await sql<{ in_doubt: string; reconciled: string }>(
        `select count(*) filter (where action = 'transfer.in_doubt') as in_doubt, count(*) filter (where action = 'transfer.reconciled') as reconciled
         from audit_event where organization_id = $1`,
        [tenant.org.id],
      );
      log(`history: ${h.in_doubt} in doubt, ${h.reconciled} reconciled`);
      if (!Number(h.in_doubt))
        failures.push(
          'no transfer was in doubt after two kills: the test did not catch the worker mid-send',
        );
      if (failures.length) throw new Error(failures.slice(0, 40).join('\n'));
    },
  );
});
