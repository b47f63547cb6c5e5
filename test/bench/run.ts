/**
 * `pnpm bench`: the transfer engine's throughput against the database's own floor.
 *
 *   1. a fresh embedded PostgreSQL (production settings: fsync on) and a migrated database with
 *      BENCH_INVOICES (default 10,000) approved, posted invoices of 3 lines each (bulk SQL);
 *   2. a real server process (`server/src/main.ts`: API + worker) exporting them through the
 *      GraphQL mutation in batches of 500, BENCH_CLIENTS (default 2) calls at a time, until all
 *      are TRANSFERRED; latency per invoice = its transfer's finished_at − the start of its call;
 *   3. the floor: the same ledger rows (entries and lines copied from step 2, new ids) inserted
 *      into another fresh database with plain batched SQL, 500 entries per transaction;
 *   4. subscription latency (bench/event-latency.ts) on the same database.
 *
 * Prints a table and, as its last line, one JSON object. Worker settings pass through the
 * environment (LEDGERLINK_WORKER_CONCURRENCY, LEDGERLINK_SEND_CONCURRENCY, ...).
 * BENCH_CPU_PROFILE=<dir> writes the server process's V8 CPU profile there (open it in Chrome
 * DevTools or speedscope) to see where the time goes.
 * BENCH_SCALE=1m (or 100k, 10k) runs the scale bench of the long lists instead (bench/scale.ts).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../server/src/database.js';
import { createLogger } from '../../server/src/logger.js';
import { initOrm, migrate } from '../../server/src/orm.js';
import { createTenant } from '../../server/src/testing/factories.js';
import { toGlobalId } from '../../server/src/common/ids.js';
import { CHECKS } from '../helpers/invariants.js';
import { measureEventLatency } from './event-latency.js';
import { measureOtherKinds } from './other-kinds.js';
import { clusterCpuSeconds, peakRssMiB, postmasterPidOf, processCpuSeconds } from './proc-stats.js';
import { EXPORT_INVOICES, gqlClient } from '../helpers/gql.js';
import { freePort, spawnLedgerlink, stopProcess, waitForReady } from '../helpers/processes.js';
import {
  addDays,
  monthStart,
  seedInvoices,
  standardLines,
  today,
  type Row,
  type Sql,
} from '../helpers/seed.js';
import { Rng } from '../../server/src/seeders/demo-random.js';

const N = Number(process.env.BENCH_INVOICES ?? 10_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 2);
const BATCH = 500;
const passThrough = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => k.startsWith('LEDGERLINK_') && k !== 'LEDGERLINK_SEED',
  ),
) as Record<string, string>;

const say = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

function sqlOf(pool: pg.Pool): Sql {
  // Idle connections are cut when the embedded server stops at the end; that is not an error.
  pool.on('error', () => {});
  return async (text, params) => (await pool.query(text, params as unknown[])).rows;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function newDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function main() {
  const log = createLogger('warn', 'bench');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlink-bench-'));
  // Embedded PostgreSQL runs as its own user when we are root: it must reach the directory.
  fs.chmodSync(dataDir, 0o755);
  const pgPort = await freePort();
  const db = await openDatabase({ dataDir, port: pgPort, database: 'bench_engine', log });
  const cleanups: (() => Promise<unknown>)[] = [
    async () => db.stop(),
    async () => fs.rmSync(dataDir, { recursive: true, force: true }),
  ];
  try {
    // ------------------------------------------------------------------------------ seed
    const t0 = Date.now();
    const orm = await initOrm(db.url, log);
    await migrate(orm);
    const tenant = await createTenant(orm, 'bench', { supplierCount: 50 });
    await orm.close(true);
    const pool = new pg.Pool({ connectionString: db.url, max: 4 });
    cleanups.unshift(() => pool.end());
    const sql = sqlOf(pool);
    const rng = new Rng(42);
    const from = monthStart(today(), -1);
    const days = Math.round((Date.parse(today()) - Date.parse(from)) / 86_400_000);
    const ids = await seedInvoices(
      sql,
      { organizationId: tenant.org.id, processId: tenant.process.id },
      Array.from({ length: N }, (_, i) => ({
        supplierId: tenant.suppliers[i % tenant.suppliers.length].id,
        invoiceNumber: `BENCH-${String(i + 1).padStart(6, '0')}`,
        billDate: addDays(from, rng.int(0, days)),
        lines: standardLines(() => rng.next(), 3),
      })),
    );
    await sql('vacuum analyze');
    const [{ dir }] = await sql<{ dir: string }>(`select current_setting('data_directory') as dir`);
    const postmaster = postmasterPidOf(dir);
    const loadBefore = os.loadavg()[0];
    say(`seeded ${N} invoices with 3 lines each in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // ------------------------------------------------------------------------------ engine
    const port = await freePort();
    const server = spawnLedgerlink(
      'main',
      'bench server',
      {
        DATABASE_URL: db.url,
        PORT: String(port),
        LEDGERLINK_SEED: 'none',
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        // The partner API's cost budget (50 points/s) would cap exports, not measure the engine.
        LEDGERLINK_COST_BUCKET_SIZE: '1000000000',
        LEDGERLINK_COST_RESTORE_RATE: '1000000',
        ...passThrough,
      },
      process.env.BENCH_CPU_PROFILE
        ? {
            nodeArgs: [
              '--cpu-prof',
              `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROFILE)}`,
            ],
          }
        : {},
    );
    cleanups.unshift(() => stopProcess(server));
    const base = `http://127.0.0.1:${port}`;
    await waitForReady(base, server);
    const client = gqlClient(`${base}/graphql`, { token: tenant.tokens.export });
    const serverCpu0 = processCpuSeconds(server.pid);
    const pgCpu0 = clusterCpuSeconds(postmaster);
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += BATCH) batches.push(ids.slice(i, i + BATCH));
    const callStart = new Map<string, number>();
    const started = Date.now();
    let next = 0;
    let calls = 0;
    const exporter = async () => {
      for (;;) {
        const batch = batches[next++];
        if (!batch) return;
        const at = Date.now();
        for (const id of batch) callStart.set(id, at);
        const res = await client.ok(EXPORT_INVOICES, {
          input: {
            organizationId: tenant.orgId,
            invoiceIds: batch.map((id) => toGlobalId('PurchaseInvoice', id)),
            idempotencyKey: randomUUID(),
          },
        });
        calls++;
        const p = res.exportInvoices;
        if (p.userErrors.length || p.transfers.length !== batch.length)
          throw new Error(`export refused: ${JSON.stringify(p.userErrors.slice(0, 3))}`);
      }
    };
    const exporting = Promise.all(Array.from({ length: CLIENTS }, exporter)).catch((err) => {
      throw new Error(`${err.message}\nserver output:\n${server.tail()}`);
    });
    let exportsDone = 0;
    void exporting.then(() => (exportsDone = Date.now()));
    for (;;) {
      const [row] = await sql<{ transferred: string; failed: string }>(
        `select count(*) filter (where status = 'TRANSFERRED') as transferred, count(*) filter (where status = 'FAILED') as failed from transfer`,
      );
      if (Number(row.failed)) throw new Error(`${row.failed} transfers FAILED`);
      if (Number(row.transferred) >= N) break;
      if (Date.now() - started > 30 * 60_000)
        throw new Error(`not done after 30 minutes: ${row.transferred} of ${N}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await exporting;
    const engineCpu = {
      server: processCpuSeconds(server.pid) - serverCpu0,
      postgres: clusterCpuSeconds(postmaster) - pgCpu0,
    };
    const serverPeakRss = peakRssMiB(server.pid);
    const finished = await sql<{ invoice_id: string; finished: string; attempts: number }>(
      `select invoice_id, (extract(epoch from finished_at) * 1000)::float8 as finished, attempts from transfer`,
    );
    const lastFinished = Math.max(...finished.map((f) => Number(f.finished)));
    const seconds = (lastFinished - started) / 1000;
    const latencies = finished
      .map((f) => Number(f.finished) - callStart.get(f.invoice_id)!)
      .sort((a, b) => a - b);
    const retried = finished.filter((f) => f.attempts > 1).length;
    say(
      `engine: ${N} TRANSFERRED in ${seconds.toFixed(2)} s (${calls} export calls done after ${((exportsDone - started) / 1000).toFixed(2)} s); CPU server ${engineCpu.server.toFixed(2)} s + PostgreSQL ${engineCpu.postgres.toFixed(2)} s; server peak RSS ${serverPeakRss} MiB`,
    );
    // The engine's ledger rows, read before other kinds of transfer add theirs: the floor copies them.
    const [shape] = await sql<{ entries: string; lines: string }>(
      `select count(distinct e.id) as entries, count(l.id) as lines from ledger.entry e join ledger.entry_line l on l.entry_id = e.id`,
    );
    const entries = await sql(
      `select journal, kind, reference, supplier_account_name, document_date::text, posting_date::text, p.start_date::text as period_start,
              description, currency, total::text,
              (select json_agg(json_build_object('line_no', l.line_no, 'account_code', l.account_code, 'cost_unit_code', l.cost_unit_code,
                      'vat_code', l.vat_code, 'debit', l.debit::text, 'credit', l.credit::text, 'description', l.description) order by l.line_no)
                 from ledger.entry_line l where l.entry_id = e.id) as lines
         from ledger.entry e join ledger.period p on p.id = e.period_id`,
    );
    const otherKinds =
      process.env.BENCH_OTHER_KINDS === '0'
        ? null
        : await measureOtherKinds({
            sql,
            exporter: client,
            writer: gqlClient(`${base}/graphql`, { token: tenant.tokens.write }),
            organizationId: tenant.org.id,
            orgGlobalId: tenant.orgId,
            invoiceIds: ids,
            clients: CLIENTS,
          });
    if (otherKinds) say(`other kinds: ${JSON.stringify(otherKinds)}`);
    await stopProcess(server);
    cleanups.shift();

    // The run must also have been right: every rule that applies without the test clocks.
    const broken: string[] = [];
    for (const check of CHECKS.filter((c) => !c.sql.includes('test_clock'))) {
      const rows = await sql<{ problem: string }>(check.sql, [[tenant.org.id]]);
      if (rows.length) broken.push(`${check.name}: ${rows.length} (${rows[0].problem})`);
    }
    if (broken.length) throw new Error(`the engine broke its rules:\n  ${broken.join('\n  ')}`);

    // ------------------------------------------------------------------------------ floor
    const floorUrl = await newDatabase(db.url, 'bench_floor');
    const floorOrm = await initOrm(floorUrl, log);
    await migrate(floorOrm);
    const floorTenant = await createTenant(floorOrm, 'bench', { supplierCount: 50 });
    await floorOrm.close(true);
    const floorPool = new pg.Pool({ connectionString: floorUrl, max: 2 });
    floorPool.on('error', () => {});
    cleanups.unshift(() => floorPool.end());
    const periods = new Map(
      (
        await floorPool.query<{ id: string; start: string }>(
          `select id, start_date::text as start from ledger.period where organization_id = $1`,
          [floorTenant.org.id],
        )
      ).rows.map((r) => [r.start, r.id]),
    );
    const org = floorTenant.org.id;
    const rows: Row[] = entries.map((e) => ({
      ...e,
      id: randomUUID(),
      key: randomUUID(),
      period_id: periods.get(e.period_start as string),
    }));
    const floorStart = process.hrtime.bigint();
    const floorPgCpu0 = clusterCpuSeconds(postmaster);
    const floorClientCpu0 = process.cpuUsage();
    const conn = await floorPool.connect();
    try {
      for (let i = 0; i < rows.length; i += BATCH) {
        const chunk = rows.slice(i, i + BATCH);
        const lines: Row[] = chunk.flatMap((e) =>
          (e.lines as Row[]).map((l) => ({ ...l, entry_id: e.id })),
        );
        await conn.query('begin');
        await conn.query(
          `insert into ledger.entry (id, organization_id, journal, kind, reference, supplier_account_name, idempotency_key, document_date,
             posting_date, period_id, description, currency, total)
           select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::date[], $9::date[],
                                $10::uuid[], $11::text[], $12::text[], $13::numeric[])`,
          [
            chunk.map((e) => e.id),
            chunk.map(() => org),
            chunk.map((e) => e.journal),
            chunk.map((e) => e.kind),
            chunk.map((e) => e.reference),
            chunk.map((e) => e.supplier_account_name),
            chunk.map((e) => e.key),
            chunk.map((e) => e.document_date),
            chunk.map((e) => e.posting_date),
            chunk.map((e) => e.period_id),
            chunk.map((e) => e.description),
            chunk.map((e) => e.currency),
            chunk.map((e) => e.total),
          ],
        );
        await conn.query(
          `insert into ledger.entry_line (id, organization_id, entry_id, line_no, account_code, cost_unit_code, vat_code, debit, credit, description)
           select gen_random_uuid(), $1, * from unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[], $7::numeric[], $8::numeric[], $9::text[])`,
          [
            org,
            lines.map((l) => l.entry_id),
            lines.map((l) => l.line_no),
            lines.map((l) => l.account_code),
            lines.map((l) => l.cost_unit_code),
            lines.map((l) => l.vat_code),
            lines.map((l) => l.debit),
            lines.map((l) => l.credit),
            lines.map((l) => l.description),
          ],
        );
        await conn.query('commit');
      }
    } finally {
      conn.release();
    }
    const floorSeconds = Number(process.hrtime.bigint() - floorStart) / 1e9;
    const floorClientCpu = process.cpuUsage(floorClientCpu0);
    const floorCpu = {
      client: (floorClientCpu.user + floorClientCpu.system) / 1e6,
      postgres: clusterCpuSeconds(postmaster) - floorPgCpu0,
    };
    const loadAfter = os.loadavg()[0];

    // ------------------------------------------------------------------------------ events
    // Subscription latency (bench/event-latency.ts), on the engine's database now that its
    // server is gone.
    const events = await measureEventLatency({
      databaseUrl: db.url,
      log: (m) => say(`events: ${m}`),
    });

    // ------------------------------------------------------------------------------ report
    const invoicesPerSecond = N / seconds;
    const sqlFloorPerSecond = rows.length / floorSeconds;
    const result = {
      invoices: N,
      seconds: Number(seconds.toFixed(3)),
      invoicesPerSecond: Number(invoicesPerSecond.toFixed(1)),
      sqlFloorPerSecond: Number(sqlFloorPerSecond.toFixed(1)),
      ratio: Number((invoicesPerSecond / sqlFloorPerSecond).toFixed(4)),
      p50Ms: Math.round(percentile(latencies, 50)),
      p95Ms: Math.round(percentile(latencies, 95)),
      eventP50Ms: events.eventP50Ms,
      eventP99Ms: events.eventP99Ms,
      serverPeakRssMiB: serverPeakRss,
      // CPU seconds per 1,000 invoices (server + PostgreSQL) and the floor's (client + PostgreSQL):
      // unlike wall-clock time these do not move with what else the machine runs.
      engineCpuMsPerInvoice: Number(
        (((engineCpu.server + engineCpu.postgres) * 1000) / N).toFixed(3),
      ),
      floorCpuMsPerInvoice: Number(
        (((floorCpu.client + floorCpu.postgres) * 1000) / rows.length).toFixed(3),
      ),
      cpuRatio: Number(
        (
          (floorCpu.client + floorCpu.postgres) /
          rows.length /
          ((engineCpu.server + engineCpu.postgres) / N)
        ).toFixed(4),
      ),
      loadAverage: [Number(loadBefore.toFixed(2)), Number(loadAfter.toFixed(2))],
      correctionsPerSecond: otherKinds?.corrections.perSecond ?? null,
      paymentsPerSecond: otherKinds?.payments.perSecond ?? null,
      reversalsPerSecond: otherKinds?.reversals.perSecond ?? null,
      batchReversalsPerSecond: otherKinds?.batchReversals.perSecond ?? null,
    };
    const settings =
      Object.entries(passThrough)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ') || 'defaults';
    const table = [
      ['invoices', String(N)],
      [
        'ledger rows per invoice',
        `1 entry + ${(Number(shape.lines) / Number(shape.entries)).toFixed(1)} lines`,
      ],
      ['export calls', `${calls} of ≤${BATCH}, ${CLIENTS} at a time`],
      ['engine: all TRANSFERRED after', `${seconds.toFixed(2)} s`],
      ['engine: invoices/s', result.invoicesPerSecond.toFixed(1)],
      ['latency p50 / p95 (call → TRANSFERRED)', `${result.p50Ms} / ${result.p95Ms} ms`],
      ['transfers that needed a retry', String(retried)],
      [
        'SQL floor (batched inserts, 500/tx)',
        `${floorSeconds.toFixed(2)} s, ${result.sqlFloorPerSecond.toFixed(1)} invoices/s`,
      ],
      ['ratio engine / floor', result.ratio.toFixed(3)],
      [
        'CPU: engine server + PostgreSQL',
        `${engineCpu.server.toFixed(2)} + ${engineCpu.postgres.toFixed(2)} s (${result.engineCpuMsPerInvoice} ms/invoice)`,
      ],
      [
        'CPU: floor client + PostgreSQL',
        `${floorCpu.client.toFixed(2)} + ${floorCpu.postgres.toFixed(2)} s (${result.floorCpuMsPerInvoice} ms/invoice)`,
      ],
      ['CPU ratio floor / engine (per invoice)', result.cpuRatio.toFixed(3)],
      ['server peak RSS (VmHWM)', `${serverPeakRss} MiB`],
      ...(otherKinds
        ? [
            [
              'corrections (export calls of 500)',
              `${otherKinds.corrections.documents} in ${otherKinds.corrections.seconds} s, ${otherKinds.corrections.perSecond}/s`,
            ],
            [
              'payments (exportPayments calls of 500)',
              `${otherKinds.payments.documents} in ${otherKinds.payments.seconds} s, ${otherKinds.payments.perSecond}/s (recording them one call each: ${otherKinds.payments.recordSeconds} s)`,
            ],
            [
              'reversals (removeFromAccounting, one call each)',
              `${otherKinds.reversals.documents} in ${otherKinds.reversals.seconds} s, ${otherKinds.reversals.perSecond}/s`,
            ],
            [
              'reversals (removeInvoicesFromAccounting, calls of 500)',
              `${otherKinds.batchReversals.documents} in ${otherKinds.batchReversals.seconds} s, ${otherKinds.batchReversals.perSecond}/s`,
            ],
          ]
        : []),
      ['load average (1 min) before / after', `${result.loadAverage.join(' / ')}`],
      ['subscription event p50 / p99', `${events.eventP50Ms} / ${events.eventP99Ms} ms`],
      ['worker settings', settings],
      ['machine', `${os.cpus().length} cpu, node ${process.version}`],
    ];
    const width = Math.max(...table.map(([k]) => k.length));
    console.log(table.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n'));
    console.log(JSON.stringify(result));
  } finally {
    for (const c of cleanups) await c().catch(() => {});
  }
}

// BENCH_SCALE=1m (or 100k, …): the list and count bench at scale instead (bench/scale.ts).
(process.env.BENCH_SCALE
  ? import('./scale.js').then((m) => m.runScaleBench(process.env.BENCH_SCALE!))
  : main()
).then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
