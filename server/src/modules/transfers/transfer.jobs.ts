import type { EntityManager } from '@mikro-orm/postgresql';

/** The graphile-worker task that sends transfers; its payload is `{ transferIds: string[] }`. */
export const TRANSFER_TASK = 'transfer-run';

/** Transfers per job: small enough to spread over workers, large enough to batch the SQL. */
export const TRANSFERS_PER_JOB = 50;

/**
 * Enqueues jobs for transfers inside the caller's transaction (the transactional outbox): the
 * transfer rows and their jobs commit together or not at all.
 */
export async function enqueueTransfers(
  em: EntityManager,
  transferIds: string[],
  runAt?: Date,
): Promise<void> {
  for (let i = 0; i < transferIds.length; i += TRANSFERS_PER_JOB) {
    const chunk = transferIds.slice(i, i + TRANSFERS_PER_JOB);
    await em
      .getConnection()
      .execute(
        `select graphile_worker.add_job(?, ?::json, run_at := ?::timestamptz, max_attempts := 25)`,
        [
          TRANSFER_TASK,
          JSON.stringify({ transferIds: chunk }),
          (runAt ?? new Date()).toISOString(),
        ],
        'all',
        em.getTransactionContext(),
      );
  }
}

/** Tells every replica's subscribers which transfers changed; delivered when the transaction commits. */
export const TRANSFER_CHANNEL = 'ledgerlink_transfer_changed';

/** NOTIFY payloads are capped at 8000 bytes: ids only, in chunks. */
const IDS_PER_NOTIFY = 100;

export async function notifyTransfersChanged(
  em: EntityManager,
  changes: { organizationId: string; transferId: string; batchId: string | null }[],
): Promise<void> {
  for (let i = 0; i < changes.length; i += IDS_PER_NOTIFY) {
    const chunk = changes
      .slice(i, i + IDS_PER_NOTIFY)
      .map((c) => [c.organizationId, c.transferId, c.batchId]);
    await em
      .getConnection()
      .execute(
        `select pg_notify(?, ?)`,
        [TRANSFER_CHANNEL, JSON.stringify(chunk)],
        'all',
        em.getTransactionContext(),
      );
  }
}
