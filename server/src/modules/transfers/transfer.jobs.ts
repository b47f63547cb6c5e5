import type { EntityManager } from '@mikro-orm/postgresql';
import { exec } from './transfer.sql.js';

/** The graphile-worker task that sends transfers; its payload is `{ transferIds: string[] }`. */
export const TRANSFER_TASK = 'transfer-run';

/**
 * Transfers per job: small enough to spread over workers, large enough to batch the SQL. A job's
 * invoice POSTs go to the ledger in one call, so a job is three transactions (claim, post,
 * record) whatever its size. `pnpm bench` (10,000 invoices): 50 → 397, 100 → 744, 200 → 767
 * invoices/s; 100 keeps most of the gain with half the transfers in doubt when a worker dies.
 */
export const TRANSFERS_PER_JOB = 100;

/**
 * Enqueues jobs for transfers inside the caller's transaction (the transactional outbox): the
 * transfer rows and their jobs commit together or not at all.
 */
export async function enqueueTransfers(
  em: EntityManager,
  transferIds: string[],
  runAt?: Date,
): Promise<void> {
  if (!transferIds.length) return;
  const payloads: { transferIds: string[] }[] = [];
  for (let i = 0; i < transferIds.length; i += TRANSFERS_PER_JOB)
    payloads.push({ transferIds: transferIds.slice(i, i + TRANSFERS_PER_JOB) });
  // All of an export's jobs in one round trip.
  await exec(
    em,
    `select graphile_worker.add_job(?, p.value::json, run_at := ?::timestamptz, max_attempts := 25) is not null as ok
       from jsonb_array_elements(?::jsonb) with ordinality as p(value, n) order by p.n`,
    [TRANSFER_TASK, (runAt ?? new Date()).toISOString(), JSON.stringify(payloads)],
  );
}

/** Tells every replica's subscribers which transfers changed; delivered when the transaction commits. */
export const TRANSFER_CHANNEL = 'ledgerlink_transfer_changed';

/**
 * NOTIFY payloads are capped at 8000 bytes: ids only, in chunks that stay under the cap (a change
 * is three uuids, ~120 bytes, so about 60 per payload), all sent in one round trip.
 */
const NOTIFY_PAYLOAD_MAX = 7_900;

export async function notifyTransfersChanged(
  em: EntityManager,
  changes: { organizationId: string; transferId: string; batchId: string | null }[],
): Promise<void> {
  const payloads: string[] = [];
  let chunk: string[] = [];
  let size = 2;
  for (const c of changes) {
    const item = JSON.stringify([c.organizationId, c.transferId, c.batchId]);
    if (chunk.length && size + item.length + 1 > NOTIFY_PAYLOAD_MAX) {
      payloads.push(`[${chunk.join(',')}]`);
      chunk = [];
      size = 2;
    }
    chunk.push(item);
    size += item.length + 1;
  }
  if (chunk.length) payloads.push(`[${chunk.join(',')}]`);
  if (!payloads.length) return;
  await exec(em, `select pg_notify(?, p) from jsonb_array_elements_text(?::jsonb) as p`, [
    TRANSFER_CHANNEL,
    JSON.stringify(payloads),
  ]);
}
