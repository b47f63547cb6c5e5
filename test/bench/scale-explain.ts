/**
 * What each index and the counters buy: EXPLAIN (ANALYZE, BUFFERS) of a query with the index
 * and without it (dropped inside a transaction that is rolled back), on the scale bench's data.
 * `BENCH_EXPLAIN=1` with BENCH_SCALE prints these after the timings.
 */
import type pg from 'pg';
import type { BenchCase } from './scale-cases.js';

export interface ExplainRow {
  query: string;
  without: string;
  withMs: number;
  withBuffers: number;
  withoutMs: number;
  withoutBuffers: number;
}

interface Plan {
  'Execution Time': number;
  Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number };
}

async function explain(conn: pg.PoolClient, text: string, params: unknown[]) {
  // Twice: the first warms the cache, the second is the figure.
  let plan: Plan | undefined;
  for (let k = 0; k < 2; k++) {
    const res = await conn.query(`explain (analyze, buffers, format json) ${text}`, params);
    plan = (res.rows[0]['QUERY PLAN'] as Plan[])[0];
  }
  return {
    ms: Math.round(plan!['Execution Time'] * 10) / 10,
    buffers: plan!.Plan['Shared Hit Blocks'] + plan!.Plan['Shared Read Blocks'],
  };
}

/** `sql` with and without `drop` (an index to drop, or a replacement query). */
export async function explainSteps(
  conn: pg.PoolClient,
  steps: {
    label: string;
    sql: BenchCase['sql'][number];
    without: { dropIndex: string } | { sql: BenchCase['sql'][number]; label: string };
  }[],
): Promise<ExplainRow[]> {
  const rows: ExplainRow[] = [];
  for (const step of steps) {
    const withIt = await explain(conn, step.sql.text, step.sql.params);
    let withoutIt: { ms: number; buffers: number };
    let without: string;
    if ('dropIndex' in step.without) {
      without = `without ${step.without.dropIndex}`;
      await conn.query('begin');
      try {
        await conn.query(`drop index ${step.without.dropIndex}`);
        withoutIt = await explain(conn, step.sql.text, step.sql.params);
      } finally {
        await conn.query('rollback');
      }
    } else {
      without = step.without.label;
      withoutIt = await explain(conn, step.without.sql.text, step.without.sql.params);
    }
    rows.push({
      query: step.label,
      without,
      withMs: withIt.ms,
      withBuffers: withIt.buffers,
      withoutMs: withoutIt.ms,
      withoutBuffers: withoutIt.buffers,
    });
  }
  return rows;
}
