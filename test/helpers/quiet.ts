import type { Sql } from './seed.js';

const LIVE = `('QUEUED', 'SENDING', 'RETRYING', 'IN_DOUBT')`;

export interface TransferCounts {
  total: number;
  live: number;
  byStatus: Record<string, number>;
}

export async function transferCounts(sql: Sql, organizationIds: string[]): Promise<TransferCounts> {
  const rows = await sql<{ status: string; n: string }>(
    `select status, count(*) as n from transfer where organization_id = any($1) group by status`,
    [organizationIds],
  );
  const byStatus = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  const total = rows.reduce((a, r) => a + Number(r.n), 0);
  const live = rows
    .filter((r) => LIVE.includes(`'${r.status}'`))
    .reduce((a, r) => a + Number(r.n), 0);
  return { total, live, byStatus };
}

/**
 * Waits until no transfer is live and nothing has changed for `settleMs` (long enough for the
 * sweeper to have found anything it would find). Nobody intervenes: no retry, no status edit.
 */
export async function waitForQuiet(
  sql: Sql,
  organizationIds: string[],
  opts: { timeoutMs: number; settleMs: number; onProgress?: (c: TransferCounts) => void },
): Promise<TransferCounts> {
  const deadline = Date.now() + opts.timeoutMs;
  let last = '';
  let stableSince = Date.now();
  let lastReport = 0;
  for (;;) {
    const counts = await transferCounts(sql, organizationIds);
    const [{ changed }] = await sql<{ changed: string | null }>(
      `select max(updated_at)::text as changed from transfer where organization_id = any($1)`,
      [organizationIds],
    );
    const key = `${JSON.stringify(counts.byStatus)}|${changed}`;
    if (key !== last) {
      last = key;
      stableSince = Date.now();
    }
    if (Date.now() - lastReport > 5_000) {
      lastReport = Date.now();
      opts.onProgress?.(counts);
    }
    if (counts.live === 0 && Date.now() - stableSince >= opts.settleMs) return counts;
    if (Date.now() > deadline) {
      const stuck = await sql<{ line: string }>(
        `select format('%s %s %s attempts=%s next=%s heartbeat=%s updated=%s', id, kind, status, attempts, next_attempt_at,
                       heartbeat_at, updated_at) as line
           from transfer where organization_id = any($1) and status in ${LIVE} order by updated_at limit 15`,
        [organizationIds],
      );
      throw new Error(
        `not quiet after ${opts.timeoutMs} ms: ${JSON.stringify(counts.byStatus)}\n${stuck.map((s) => `  ${s.line}`).join('\n')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
