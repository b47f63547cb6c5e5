/**
 * The transfer engine end to end against the local accountsIQ service: an organization
 * connected to accountsIQ exports thousands of invoices, each chunk exported twice (duplicate
 * exports), while accountsIQ's transport drops answers after committing, answers late, answers
 * 503 and lets sessions expire, and worker processes crash right after a posting and are
 * restarted. When quiet: 0 duplicates in accountsIQ, 0 stuck (live) transfers, every invoice of a
 * supplier accountsIQ knows posted exactly once, every other refused as SUPPLIER_NOT_IN_LEDGER.
 *
 *   AIQ_CHAOS_SEED=n              replays the fault draws (printed; default: the clock)
 *   AIQ_ENGINE_INVOICES=n         invoices (default 2000)
 *   AIQ_ENGINE_WORKERS=n          crash-prone worker processes (default 2)
 *   AIQ_ENGINE_CHAOS=on           runs it (off by default: 5–12 minutes on two cores)
 *
 * Seed 21 passed; seed 22 found an invoice whose transfer ended FAILED (TRANSIENT_EXHAUSTED)
 * while its document is in accountsIQ: an IN_DOUBT transfer whose look-ups fail transiently
 * spends its attempts and is marked FAILED though the first send may have committed
 * (transfer.record.ts 'retry' → FAILED). Not a duplicate, but not "exactly once, recorded".
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  externalReferenceFor,
  startLocalAccountsIq,
  type LocalAccountsIq,
  type LocalFaultKind,
} from '../../server/src/accounting/accountsiq/index.js';
import { companyFor } from '../../server/src/modules/accounting-connections/accounting-connection.helpers.js';
import { Rng } from '../../server/src/seeders/demo-random.js';
import { createTestDatabase, type TestDatabase } from '../../server/src/testing/db.js';
import {
  createInvoice,
  createTenant,
  gid,
  TEST_PASSWORD,
} from '../../server/src/testing/factories.js';
import { startTestServer, type TestServer } from '../../server/src/testing/server.js';
import { FAST_WORKER_ENV } from '../../server/src/testing/transfers.js';
import { WorkerSupervisor } from '../helpers/processes.js';
import { waitForQuiet } from '../helpers/quiet.js';
import { seedFrom } from '../helpers/random.js';
import { EXPORT_CODES } from './simulation.api.js';
import { sqlOf } from '../helpers/seed.js';

const SEED = seedFrom('AIQ_CHAOS_SEED');
const INVOICES = Number(process.env.AIQ_ENGINE_INVOICES || 2000);
const CRASH_WORKERS = Number(process.env.AIQ_ENGINE_WORKERS || 2);
const log = (msg: string) => console.log(`[aiq engine chaos seed=${SEED}] ${msg}`);

const WORKER_ENV = {
  ...FAST_WORKER_ENV,
  LEDGERLINK_TRANSFER_MAX_ATTEMPTS: '6',
  // Longer than an adapter call chain can take with a late answer (15 s per call by default).
  LEDGERLINK_STALE_AFTER_MS: '40000',
  LEDGERLINK_HEARTBEAT_MS: '500',
  LEDGERLINK_SWEEP_INTERVAL_MS: '500',
};

const CONNECT = `mutation($i: ConnectAccountingInput!) { connectAccounting(input: $i) {
  connection { id version } userErrors { code message field } } }`;
const EXPORT = `mutation($input: ExportInvoicesInput!) { exportInvoices(input: $input) {
  transfers { id status } userErrors { code message field } } }`;

const OPERATIONS = [
  'CreateBatchPurchasesInvoiceGetBackTransactionID',
  'SaveInvoiceGetBackInvoiceID',
  'PostInvoiceGetBackTransactionID',
  'GetTransactionsByExternalReference',
  'GetTransaction',
  'GetNewBatchPurchasesInvoice',
  'GetNewPurchasesInvoice',
];
const FAULTS: readonly (readonly [LocalFaultKind, number])[] = [
  ['drop-after-commit', 5],
  ['unavailable-before-commit', 4],
  ['session-expired', 3],
  ['late-answer', 1],
];

let db: TestDatabase | undefined;
let srv: TestServer | undefined;
let aiq: LocalAccountsIq | undefined;
let supervisor: WorkerSupervisor | undefined;
afterAll(async () => {
  await supervisor?.stop();
  await srv?.stop();
  await aiq?.close();
  await db?.close().catch(() => undefined);
});

describe.skipIf(process.env.AIQ_ENGINE_CHAOS !== 'on')(
  'transfer engine into accountsIQ under chaos',
  () => {
    it(`${INVOICES} invoices, duplicate exports, transport faults, crashing workers`, async () => {
      const rng = new Rng(SEED);
      log(
        `start: ${INVOICES} invoices, ${CRASH_WORKERS} crash-prone workers (replay with AIQ_CHAOS_SEED=${SEED})`,
      );
      db = await createTestDatabase();
      const tenant = await createTenant(db.orm, 'aqe', { supplierCount: 4 });
      // accountsIQ knows three of the four suppliers: the fourth's invoices must be refused.
      const company = companyFor(tenant, 'AQE', { supplierCount: 3 });
      aiq = await startLocalAccountsIq({ lateAnswerMs: 16_000 });
      aiq.addCompany(company);
      const service = aiq;

      srv = await startTestServer({ db, env: { ...WORKER_ENV } });
      const admin = await srv.login('admin@aqe.test', TEST_PASSWORD);
      const connected = await admin(CONNECT, {
        i: {
          organizationId: tenant.orgId,
          system: 'ACCOUNTSIQ',
          endpoint: service.url,
          entity: company.entity,
          clientId: company.clientId,
          clientSecret: company.clientSecret,
        },
      });
      expect(connected.data?.connectAccounting.userErrors).toEqual([]);

      const em = db.orm.em.fork();
      const invoices = [];
      for (let i = 0; i < INVOICES; i++)
        invoices.push(
          await createInvoice(em, tenant, {
            supplier: tenant.suppliers[i % 4],
            lines: [{ netAmount: (rng.int(100, 900000) / 100).toFixed(2) }],
          }),
        );
      log(`seeded ${invoices.length} invoices`);

      supervisor = new WorkerSupervisor(CRASH_WORKERS, (slot, generation) => ({
        DATABASE_URL: db!.url,
        LEDGERLINK_SEED: 'none',
        ...WORKER_ENV,
        LEDGERLINK_FAULTS: `seed=${(SEED + slot * 7919 + generation) >>> 0},crash=0.03`,
      }));
      supervisor.start();

      let injected = 0;
      // A few faults waiting at a time: each is spent by the next call of its operation.
      let ticks = 0;
      const injector = setInterval(() => {
        // A fault waiting for an operation nobody calls for a while is dropped for a fresh one.
        if (++ticks % 25 === 0) service.clearFaults();
        if (service.faultsPending() >= 2) return;
        // Half of them hit whatever call comes next, the others wait for their operation.
        const operation = rng.chance(0.5) ? rng.pick(OPERATIONS) : undefined;
        service.injectFault(rng.weighted(FAULTS), { operation });
        injected++;
        if (rng.chance(0.05)) service.expireTokens(company.entity);
      }, 40);

      const started = Date.now();
      let refusedExports = 0;
      try {
        const gids = invoices.map((inv) => gid('PurchaseInvoice', inv.id));
        const chunks: string[][] = [];
        for (let i = 0; i < gids.length; i += 100) chunks.push(gids.slice(i, i + 100));
        const exportChunk = async (ids: string[], key: string) => {
          const r = await admin(EXPORT, {
            input: { organizationId: tenant.orgId, invoiceIds: ids, idempotencyKey: key },
          });
          expect(r.errors).toBeUndefined();
          // The second export of an invoice is refused while (or after) the first transfers it.
          const codes = (r.data?.exportInvoices.userErrors ?? []).map(
            (e: { code: string }) => e.code,
          );
          expect(codes.filter((c: string) => !EXPORT_CODES.has(c))).toEqual([]);
          refusedExports += codes.length;
        };
        // Each chunk twice, partly at once: a user and an API client exporting the same invoices.
        await Promise.all(
          chunks.map(async (ids, n) => {
            await new Promise((r) => setTimeout(r, n * 150));
            await Promise.all([exportChunk(ids, randomUUID()), exportChunk(ids, randomUUID())]);
          }),
        );
        log(
          `exports done at ${Math.round((Date.now() - started) / 1000)}s, ${refusedExports} refused as duplicates`,
        );
        await waitForQuiet(sqlOf(db), [tenant.org.id], {
          timeoutMs: 480_000,
          settleMs: 3_000,
          onProgress: (c) =>
            log(`waiting for quiet: ${JSON.stringify(c.byStatus)} crashes ${supervisor!.crashes}`),
        });
      } finally {
        clearInterval(injector);
        service.clearFaults();
      }
      const crashes = supervisor.crashes;
      const unexpected = supervisor.unexpectedExits;
      await supervisor.stop();
      supervisor = undefined;

      const transfers = await db.sql<{
        id: string;
        status: string;
        invoice_id: string;
        kind: string;
      }>(
        `select id::text, status, invoice_id::text, kind from transfer where organization_id = $1`,
        [tenant.org.id],
      );
      const txs = service.transactions(company.entity);
      const byRef = new Map<string, number>();
      for (const tx of txs)
        byRef.set(tx.ExternalReference, (byRef.get(tx.ExternalReference) ?? 0) + 1);
      const perInvoiceDoc = new Map<string, number>();
      for (const tx of txs) {
        const k = `${tx.AccountCode}/${tx.Reference}`;
        perInvoiceDoc.set(k, (perInvoiceDoc.get(k) ?? 0) + 1);
      }
      const duplicates = [...perInvoiceDoc.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
      const live = transfers.filter((t) =>
        ['QUEUED', 'SENDING', 'RETRYING', 'IN_DOUBT'].includes(t.status),
      );
      const known = new Set(company.suppliers.map((s) => s.code));
      const wrong: string[] = [];
      let gaveUpInvoices = 0;
      for (const inv of invoices) {
        const supplier = tenant.suppliers.find((s) => s.id === inv.supplier.id)!;
        const docs = perInvoiceDoc.get(`${supplier.accountName}/${inv.invoiceNumber}`) ?? 0;
        const mine = transfers.filter((t) => t.invoice_id === inv.id);
        const transferred = mine.filter((t) => t.status === 'TRANSFERRED');
        if (known.has(supplier.accountName)) {
          // Posted once and recorded so, or given up with its reason and nothing in accountsIQ.
          const gaveUp =
            docs === 0 && transferred.length === 0 && mine.every((t) => t.status === 'FAILED');
          if (gaveUp) gaveUpInvoices++;
          else if (docs !== 1 || transferred.length === 0)
            wrong.push(
              `${inv.invoiceNumber}: ${docs} documents, transfers ${mine.map((t) => t.status).join(',')}`,
            );
        } else if (docs !== 0 || transferred.length) {
          wrong.push(`${inv.invoiceNumber} (unknown supplier): ${docs} documents`);
        }
      }
      const strangers = txs.filter(
        (tx) => !transfers.some((t) => externalReferenceFor(t.id) === tx.ExternalReference),
      );
      const byStatus = transfers.reduce<Record<string, number>>(
        (a, t) => ((a[t.status] = (a[t.status] ?? 0) + 1), a),
        {},
      );
      log(
        `quiet after ${Math.round((Date.now() - started) / 1000)}s: transfers ${JSON.stringify(byStatus)}; ${txs.length} documents in accountsIQ, ${duplicates} duplicates, ${live.length} stuck, ${wrong.length} wrong, ${gaveUpInvoices} given up with a reason, ${strangers.length} unknown references; ${injected} faults injected, ${crashes} worker crashes, ${service.wsdlViolations.length} WSDL violations`,
      );
      expect(duplicates).toBe(0);
      expect(live).toEqual([]);
      expect(wrong.slice(0, 20)).toEqual([]);
      expect(strangers).toEqual([]);
      expect(service.wsdlViolations).toEqual([]);
      expect(unexpected.map((e) => `${e.name}: ${e.code}`)).toEqual([]);
    }, 900_000);
  },
);
