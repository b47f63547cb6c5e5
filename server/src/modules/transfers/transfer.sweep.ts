/**
 * The sweeper: finds transfers no worker will finish. A SENDING transfer whose heartbeat is
 * stale (its worker died) becomes IN_DOUBT, to be looked up in the ledger before anything is
 * sent again; a live transfer whose job was lost is enqueued again. Safe to run anywhere, often.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { LIVE_TRANSFER_STATUSES, sqlStatusIn, TransferStatus } from './transfer.enums.js';
import { insertAuditRows, transferEvent } from './transfer.history.js';
import { enqueueTransfers, notifyTransfersChanged, TRANSFER_TASK } from './transfer.jobs.js';
import { exec, requesterOfRow, type OrphanedRow } from './transfer.sql.js';

/** Live transfers waiting for a job (all but SENDING, which the heartbeat covers). */
const WAITING = LIVE_TRANSFER_STATUSES.filter((s) => s !== TransferStatus.SENDING);

export async function sweepTransfers(
  orm: MikroORM,
  staleAfterMs: number,
): Promise<{ orphaned: number; requeued: number }> {
  return orm.em.fork().transactional(async (em) => {
    const orphaned = await markOrphansInDoubt(em, staleAfterMs);
    const overdue = await findLostTransfers(em, staleAfterMs);
    const ids = [...orphaned.map((o) => o.id), ...overdue];
    if (ids.length) {
      await enqueueTransfers(em, ids);
      // Touch them so the next sweep does not enqueue them again while the jobs wait.
      await exec(
        em,
        `update transfer set updated_at = now() where id in (select (jsonb_array_elements_text(?::jsonb))::uuid) and status <> 'SENDING'`,
        [JSON.stringify(overdue)],
      );
    }
    return { orphaned: orphaned.length, requeued: overdue.length };
  });
}

/** SENDING with a stale heartbeat → IN_DOUBT, with the documents, history and notifications. */
async function markOrphansInDoubt(em: EntityManager, staleAfterMs: number): Promise<OrphanedRow[]> {
  const orphaned = await exec<OrphanedRow>(
    em,
    // SKIP LOCKED: a transfer whose outcome is being recorded right now is not orphaned.
    `with stale as (
       select id from transfer where status = 'SENDING' and heartbeat_at < now() - make_interval(secs => ?)
        order by id for no key update skip locked)
     update transfer set status = 'IN_DOUBT', heartbeat_at = null, claim_token = null, updated_at = now(),
            next_attempt_at = now(),
            errors = jsonb_build_array(jsonb_build_object('code', 'IN_DOUBT', 'message',
              'The worker sending this transfer stopped; checking the ledger before anything is sent again'))
      from stale where transfer.id = stale.id
      returning transfer.id, organization_id, batch_id, invoice_id, payment_id, trigger, requested_by_user_id, requested_by_api_client_id, attempts, kind`,
    [staleAfterMs / 1000],
  );
  if (!orphaned.length) return orphaned;
  const idsJson = JSON.stringify(orphaned.map((o) => o.id));
  for (const table of ['purchase_invoice', 'payment'] as const) {
    // Locked in id order first, like every writer of documents (see lockInIdOrder).
    await exec(
      em,
      `with d as (
         select id from ${table} where last_transfer_id in (select (jsonb_array_elements_text(?::jsonb))::uuid)
          order by id for no key update)
       update ${table} t set transfer_status = 'IN_DOUBT' from d where t.id = d.id`,
      [idsJson],
    );
  }
  const invoiceOf = await exec<{ id: string; invoice_id: string }>(
    em,
    `select t.id, coalesce(t.invoice_id, p.invoice_id) as invoice_id from transfer t left join payment p on p.id = t.payment_id
      where t.id in (select (jsonb_array_elements_text(?::jsonb))::uuid)`,
    [idsJson],
  );
  const inv = new Map(invoiceOf.map((r) => [r.id, r.invoice_id]));
  await insertAuditRows(
    em,
    orphaned.map((o) =>
      transferEvent({
        organizationId: o.organization_id,
        transferId: o.id,
        invoiceId: inv.get(o.id) ?? null,
        requester: requesterOfRow(o),
        by: 'system',
        action: 'transfer.in_doubt',
        details: {
          transferId: o.id,
          kind: o.kind,
          attempt: o.attempts,
          reason: 'worker stopped while sending',
        },
      }),
    ),
  );
  await notifyTransfersChanged(
    em,
    orphaned.map((o) => ({
      organizationId: o.organization_id,
      transferId: o.id,
      batchId: o.batch_id,
    })),
  );
  return orphaned;
}

/**
 * Ids of live transfers whose job was lost (held by a dead worker, skipped while locked), found
 * by their age. While jobs are still waiting to run, an old QUEUED transfer is just behind in a
 * backlog, and enqueueing it again would only double the work: lost ones wait for the queue to
 * drain (graphile-worker's public jobs view).
 */
async function findLostTransfers(em: EntityManager, staleAfterMs: number): Promise<string[]> {
  const [{ backlog }] = await exec<{ backlog: boolean }>(
    em,
    `select exists (select 1 from graphile_worker.jobs where task_identifier = ? and locked_at is null and run_at <= now() and attempts < max_attempts) as backlog`,
    [TRANSFER_TASK],
  );
  if (backlog) return [];
  const overdue = await exec<{ id: string }>(
    em,
    `select id from transfer
      where ${sqlStatusIn('status', WAITING)}
        and coalesce(next_attempt_at, updated_at) < now() - make_interval(secs => ?)
      order by updated_at limit 5000`,
    [staleAfterMs / 1000],
  );
  return overdue.map((o) => o.id);
}
