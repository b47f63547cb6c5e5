/**
 * `BENCH_SCALE=1m pnpm bench` (or 100k, 10k, any number): the long lists and counts at scale.
 *
 *   1. a fresh embedded PostgreSQL with one organization of BENCH_SCALE invoices and 10 beside
 *      it with a tenth each (so per-tenant indexes matter), seeded set-based (scale-seed.ts);
 *   2. a real server process (`server/src/main.ts`); every case of scale-cases.ts — the SPA's
 *      own documents — BENCH_RUNS times (default 20) after one warm-up, time per request as the
 *      client sees it over loopback, beside the plain SQL of the same rows and count on a warm
 *      connection in the same run;
 *   3. 100 concurrent InvoiceList requests, with the server process's peak RSS (VmHWM).
 *
 * Prints a table and, as its last line, one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../server/src/database.js';
import { createLogger } from '../../server/src/logger.js';
import { initOrm, migrate } from '../../server/src/orm.js';
import { createTenant, type Tenant } from '../../server/src/testing/factories.js';
import { toGlobalId } from '../../server/src/common/ids.js';
import { gqlClient } from '../helpers/gql.js';
import { freePort, spawnLedgerlink, stopProcess, waitForReady } from '../helpers/processes.js';
import type { Sql } from '../helpers/seed.js';
import { invoiceCase, otherCases, type BenchCase } from './scale-cases.js';
import { seedScaleOrganization, type SeedCounts } from './scale-seed.js';
import { explainSteps, type ExplainRow } from './scale-explain.js';
import { tabCountsSql } from '../../server/src/modules/invoices/invoice-count.queries.js';

/** Each new index or the counters, against the query it serves (first statement of a case). */
function explainPlan(cases: BenchCase[], orgId: string): Parameters<typeof explainSteps>[1] {
  const first = (name: string) => {
    const c = cases.find((x) => x.name === name);
    if (!c) throw new Error(`no case ${name}`);
    return c.sql;
  };
  const counts = first('InvoiceTabCounts')[0];
  const search = cases.find((c) => c.name.startsWith('InvoiceList ALL, search'))!.name;
  return [
    {
      label: 'InvoiceTabCounts from the counters',
      sql: { text: tabCountsSql().replace('?', '$1'), params: [orgId] },
      without: { label: 'count(*) filter per tab over the invoices (before)', sql: counts },
    },
    ...(['IN_PROCESS', 'TRANSFERABLE', 'TRANSFERRED'] as const).flatMap((tab) => {
      const [rows, count] = first(`InvoiceList ${tab}`);
      const index = `purchase_invoice_${tab.toLowerCase()}_index`;
      return [
        { label: `${tab} first page`, sql: rows, without: { dropIndex: index } },
        { label: `${tab} exact count(*)`, sql: count, without: { dropIndex: index } },
      ];
    }),
    {
      label: 'ALL by DUE_DATE first page',
      sql: first('InvoiceList ALL by DUE_DATE')[0],
      without: { dropIndex: 'purchase_invoice_organization_id_due_date_id_index' },
    },
    {
      label: 'ALL by GROSS_AMOUNT first page',
      sql: first('InvoiceList ALL by GROSS_AMOUNT')[0],
      without: { dropIndex: 'purchase_invoice_organization_id_gross_amount_id_index' },
    },
    {
      label: 'ALL, supplier: first page',
      sql: first('InvoiceList ALL, supplier')[0],
      without: { dropIndex: 'purchase_invoice_organization_id_supplier_id_bill_date_id_index' },
    },
    {
      label: 'ALL, search: first page',
      sql: first(search)[0],
      without: { dropIndex: 'purchase_invoice_invoice_number_trgm_index' },
    },
    {
      label: 'ALL, search: count',
      sql: first(search)[1],
      without: { dropIndex: 'purchase_invoice_invoice_number_trgm_index' },
    },
  ];
}

const say = (msg: string) => process.stderr.write(`[bench:scale] ${msg}\n`);

export function parseScale(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`BENCH_SCALE=${text}: expected e.g. 1m, 100k or 250000`);
  const unit = { '': 1, k: 1_000, m: 1_000_000 }[m[2].toLowerCase() as '' | 'k' | 'm'];
  return Math.round(Number(m[1]) * unit);
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const round1 = (x: number) => Math.round(x * 10) / 10;

function peakRssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

export interface CaseResult {
  name: string;
  p50: number;
  p95: number;
  sqlP50: number;
  sqlP95: number;
}

export async function runScaleBench(scaleText: string): Promise<void> {
  const N = parseScale(scaleText);
  const OTHERS = Number(process.env.BENCH_SCALE_OTHERS ?? 10);
  const RUNS = Number(process.env.BENCH_RUNS ?? 20);
  const TRANSFERS_PER_INVOICE = Number(process.env.BENCH_SCALE_TRANSFERS_PER_INVOICE ?? 1);
  const log = createLogger('warn', 'bench');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlink-bench-scale-'));
  fs.chmodSync(dataDir, 0o755);
  const db = await openDatabase({
    dataDir,
    port: await freePort(),
    database: 'bench_scale',
    log,
  });
  const cleanups: (() => Promise<unknown>)[] = [
    async () => db.stop(),
    async () => fs.rmSync(dataDir, { recursive: true, force: true }),
  ];
  try {
    // ------------------------------------------------------------------------------ seed
    const t0 = Date.now();
    const orm = await initOrm(db.url, log);
    await migrate(orm);
    const tenants: Tenant[] = [];
    for (let k = 0; k <= OTHERS; k++)
      tenants.push(
        await createTenant(orm, k === 0 ? 'scale' : `beside${k}`, { supplierCount: 50 }),
      );
    await orm.close(true);
    const pool = new pg.Pool({ connectionString: db.url, max: 4 });
    pool.on('error', () => {});
    cleanups.unshift(() => pool.end());
    const sql: Sql = async (text, params) => (await pool.query(text, params as unknown[])).rows;
    let seeded: SeedCounts | null = null;
    for (const [k, t] of tenants.entries()) {
      const started = Date.now();
      const counts = await seedScaleOrganization(
        sql,
        {
          organizationId: t.org.id,
          processId: t.process.id,
          stageIds: t.stages.map((s) => s.id),
          supplierIds: t.suppliers.map((s) => s.id),
          prefix: k === 0 ? 'A' : `B${k}-`,
        },
        k === 0 ? N : Math.round(N / 10),
        {
          members: k === 0 ? 2000 : 20,
          historyEvery: k === 0 ? 1 : 10,
          transfersPerInvoice: k === 0 ? TRANSFERS_PER_INVOICE : 1,
        },
      );
      if (k === 0) seeded = counts;
      say(
        `${t.org.slug}: ${JSON.stringify(counts)} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }
    await sql('vacuum analyze');
    const seedSeconds = (Date.now() - t0) / 1000;
    say(`seeded in ${seedSeconds.toFixed(1)} s`);

    // ------------------------------------------------------------------------------ server
    const port = await freePort();
    const server = spawnLedgerlink('main', 'bench server', {
      DATABASE_URL: db.url,
      PORT: String(port),
      LEDGERLINK_SEED: 'none',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      LEDGERLINK_WORKER: 'off',
      LEDGERLINK_COST_BUCKET_SIZE: '1000000000',
      LEDGERLINK_COST_RESTORE_RATE: '1000000',
    });
    cleanups.unshift(() => stopProcess(server));
    const base = `http://127.0.0.1:${port}`;
    await waitForReady(base, server);
    const big = tenants[0];
    const client = gqlClient(`${base}/graphql`, { token: big.tokens.read });
    const admin = gqlClient(`${base}/graphql`, { token: big.tokens.admin });
    const orgGid = big.orgId;
    const orgId = big.org.id;
    const [probe] = await sql<{ id: string; invoice_number: string; supplier_id: string }>(
      `select id, invoice_number, supplier_id from purchase_invoice where organization_id = $1 and document_number = $2`,
      [orgId, Math.round(N / 2) - (Math.round(N / 2) % 100) + 50],
    );
    const search = probe.invoice_number.slice(-5);
    const cases: BenchCase[] = [];
    for (const tab of ['IN_PROCESS', 'TRANSFERABLE', 'TRANSFERRED', 'ALL'] as const)
      cases.push(invoiceCase(`InvoiceList ${tab}`, orgGid, orgId, tab, null));
    const filters = {
      supplier: {
        graphql: { supplierId: toGlobalId('Supplier', probe.supplier_id) },
        where: ['i.supplier_id = $2'],
        params: [probe.supplier_id],
      },
      'bill date (one month)': {
        graphql: { billDateFrom: '2025-03-01', billDateTo: '2025-03-31' },
        where: ['i.bill_date >= $2::date', 'i.bill_date <= $3::date'],
        params: ['2025-03-01', '2025-03-31'],
      },
      'amount 100–200': {
        graphql: { amountMin: '100.00', amountMax: '200.00' },
        where: ['i.gross_amount >= $2::numeric', 'i.gross_amount <= $3::numeric'],
        params: ['100.00', '200.00'],
      },
      [`search "${search}"`]: {
        graphql: { search },
        where: [`(i.invoice_number ilike $2 or i.document_number = $3::int)`],
        params: [`%${search}%`, search],
      },
    };
    for (const [label, f] of Object.entries(filters)) {
      cases.push(invoiceCase(`InvoiceList ALL, ${label}`, orgGid, orgId, 'ALL', f));
      cases.push(
        invoiceCase(`InvoiceList TRANSFERABLE, ${label}`, orgGid, orgId, 'TRANSFERABLE', f),
      );
    }
    for (const sort of ['DUE_DATE', 'GROSS_AMOUNT', 'CREATED_AT', 'INVOICE_NUMBER'] as const) {
      cases.push(invoiceCase(`InvoiceList ALL by ${sort}`, orgGid, orgId, 'ALL', null, sort));
      cases.push(
        invoiceCase(
          `InvoiceList TRANSFERABLE by ${sort}`,
          orgGid,
          orgId,
          'TRANSFERABLE',
          null,
          sort,
        ),
      );
    }
    cases.push(
      invoiceCase(
        'InvoiceList ALL by BILL_DATE asc',
        orgGid,
        orgId,
        'ALL',
        null,
        'BILL_DATE',
        'ASC',
      ),
    );
    cases.push(...otherCases(orgGid, orgId, toGlobalId('PurchaseInvoice', probe.id), probe.id));

    // ------------------------------------------------------------------------------ measure
    const conn = await pool.connect();
    const results: CaseResult[] = [];
    const measure = async (c: BenchCase) => {
      let first: Record<string, unknown> | null = null;
      const times: number[] = [];
      const sqlTimes: number[] = [];
      for (let r = 0; r <= RUNS; r++) {
        const start = process.hrtime.bigint();
        const data = (await (c.as === 'admin' ? admin : client).ok(c.query, c.variables)) as Record<
          string,
          unknown
        >;
        if (r > 0) times.push(ms(start));
        first ??= data;
        const sqlStart = process.hrtime.bigint();
        for (const s of c.sql) await conn.query(s.text, s.params);
        if (r > 0) sqlTimes.push(ms(sqlStart));
      }
      times.sort((a, b) => a - b);
      sqlTimes.sort((a, b) => a - b);
      const result = {
        name: c.name,
        p50: round1(percentile(times, 50)),
        p95: round1(percentile(times, 95)),
        sqlP50: round1(percentile(sqlTimes, 50)),
        sqlP95: round1(percentile(sqlTimes, 95)),
      };
      results.push(result);
      say(
        `${c.name}: p50 ${result.p50} / p95 ${result.p95} ms (SQL ${result.sqlP50} / ${result.sqlP95})`,
      );
      const next = c.next?.(first!);
      if (next) await measure(next);
    };
    let explained: ExplainRow[] = [];
    try {
      for (const c of cases) await measure(c);
      if (process.env.BENCH_EXPLAIN)
        explained = await explainSteps(conn, explainPlan(cases, orgId));
    } finally {
      conn.release();
    }

    // 100 concurrent list requests (tabs in turn), and the server's peak RSS.
    const tabs = ['IN_PROCESS', 'TRANSFERABLE', 'TRANSFERRED', 'ALL'];
    const rssBefore = peakRssMiB(server.pid);
    const burstStart = process.hrtime.bigint();
    const burst = await Promise.all(
      Array.from({ length: 100 }, async (_, k) => {
        const start = process.hrtime.bigint();
        await client.ok(cases[0].query, { ...cases[0].variables, tab: tabs[k % tabs.length] });
        return ms(start);
      }),
    );
    const burstSeconds = ms(burstStart) / 1000;
    burst.sort((a, b) => a - b);
    const peakRss = peakRssMiB(server.pid);

    // ------------------------------------------------------------------------------ report
    const worst = (pick: (r: CaseResult) => boolean) =>
      Math.max(...results.filter(pick).map((r) => r.p95));
    const isCount = (r: CaseResult) => r.name === 'InvoiceTabCounts';
    const isInvoiceList = (r: CaseResult) => r.name.startsWith('InvoiceList');
    const summary = {
      scaleInvoices: N,
      scaleOrganizationsBeside: OTHERS,
      scaleSeeded: seeded,
      scaleSeedSeconds: Math.round(seedSeconds),
      scaleRuns: RUNS,
      scaleListP95MaxMs: worst(isInvoiceList),
      scaleTabCountsP95Ms: worst(isCount),
      scaleOtherListsP95MaxMs: worst((r) => !isCount(r) && !isInvoiceList(r)),
      scaleConcurrent100P50Ms: round1(percentile(burst, 50)),
      scaleConcurrent100P95Ms: round1(percentile(burst, 95)),
      scaleConcurrent100Seconds: round1(burstSeconds),
      scaleServerPeakRssMiB: peakRss,
      scaleServerRssBeforeBurstMiB: rssBefore,
      scaleCases: Object.fromEntries(
        results.map((r) => [
          r.name,
          { p50: r.p50, p95: r.p95, sqlP50: r.sqlP50, sqlP95: r.sqlP95 },
        ]),
      ),
    };
    if (explained.length) (summary as Record<string, unknown>).scaleExplain = explained;
    const width = Math.max(...results.map((r) => r.name.length));
    console.log(
      [
        `${'request'.padEnd(width)}  server p50 / p95 ms   plain SQL p50 / p95 ms`,
        ...results.map(
          (r) =>
            `${r.name.padEnd(width)}  ${`${r.p50} / ${r.p95}`.padEnd(20)}  ${r.sqlP50} / ${r.sqlP95}`,
        ),
        `${'100 concurrent InvoiceList'.padEnd(width)}  ${summary.scaleConcurrent100P50Ms} / ${summary.scaleConcurrent100P95Ms} (all in ${summary.scaleConcurrent100Seconds} s), server peak RSS ${peakRss} MiB`,
        ...explained.map(
          (e) =>
            `EXPLAIN ${e.query}: ${e.withMs} ms, ${e.withBuffers} buffers; ${e.without}: ${e.withoutMs} ms, ${e.withoutBuffers} buffers`,
        ),
        `seeded: ${JSON.stringify(seeded)} + ${OTHERS} organizations of ${Math.round(N / 10)} in ${summary.scaleSeedSeconds} s`,
        `machine: ${os.cpus().length} cpu, load ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}, node ${process.version}`,
      ].join('\n'),
    );
    console.log(JSON.stringify(summary));
  } finally {
    for (const c of cleanups) await c().catch(() => {});
  }
}
