/**
 * Sending transfers to the accounting system, exactly once.
 *
 *   claim (QUEUED/RETRYING → SENDING, attempts + 1, heartbeat)      one transaction   transfer.claim.ts
 *   call the accounting system with idempotency key = transfer id     the ledger's own  transfer.send.ts
 *   record the outcome (TRANSFERRED / FAILED / RETRYING / IN_DOUBT)  one transaction   transfer.record.ts
 *
 * The id is the key from the first attempt on, so a resend can never post twice. An outcome we
 * cannot know (timeout, lost answer, our own crash after the call) is IN_DOUBT and is settled by
 * looking the entry up (by key, then by supplier + reference) before anything is sent again. A
 * transfer left SENDING by a dead worker has a stale heartbeat; the sweeper (transfer.sweep.ts)
 * marks it IN_DOUBT.
 */
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { AccountingSystem } from '../../accounting/accounting-system.js';
import { claimTransfers, heartbeat } from './transfer.claim.js';
import { recordOutcomes, type RecordOptions } from './transfer.record.js';
import { TransferSender } from './transfer.send.js';
import { sweepTransfers } from './transfer.sweep.js';

/** See TransferWorkerOptions.postBatchSize. */
const POST_BATCH_SIZE = 100;

export interface TransferWorkerOptions extends RecordOptions {
  /** Calls to the accounting system in flight at once per job. */
  sendConcurrency: number;
  /** Invoice POSTs of a job sent to the accounting system in one call (postInvoices) at most. */
  postBatchSize?: number;
  /** A SENDING transfer whose heartbeat is older than this is presumed orphaned. */
  staleAfterMs: number;
  heartbeatMs: number;
}

export const DEFAULT_WORKER_OPTIONS: TransferWorkerOptions = {
  maxAttempts: 6,
  retryBaseMs: 1_000,
  retryCapMs: 60_000,
  sendConcurrency: 4,
  postBatchSize: POST_BATCH_SIZE,
  staleAfterMs: 30_000,
  heartbeatMs: 5_000,
  reconcileDelayMs: 500,
};

export class TransferProcessor {
  private readonly sender: TransferSender;

  constructor(
    private readonly orm: MikroORM,
    accounting: AccountingSystem,
    private readonly log: Logger,
    private readonly opts: TransferWorkerOptions = DEFAULT_WORKER_OPTIONS,
  ) {
    this.sender = new TransferSender(accounting, log, {
      sendConcurrency: opts.sendConcurrency,
      postBatchSize: opts.postBatchSize ?? POST_BATCH_SIZE,
    });
  }

  /** Processes the given transfers: those that are due are sent (or reconciled); others are left alone. */
  async process(transferIds: string[]): Promise<void> {
    if (!transferIds.length) return;
    const claimToken = randomUUID();
    const claimed = await this.orm.em
      .fork()
      .transactional((em) => claimTransfers(em, transferIds, claimToken));
    if (!claimed.length) return;
    const ids = claimed.map((c) => c.id);
    const beat = setInterval(() => {
      void heartbeat(this.orm.em.fork(), ids, claimToken).catch((err) =>
        this.log.warn({ err }, 'heartbeat failed'),
      );
    }, this.opts.heartbeatMs);
    try {
      const outcomes = await this.sender.settleAll(claimed);
      await recordOutcomes(this.orm, claimed, outcomes, claimToken, this.opts);
    } finally {
      clearInterval(beat);
    }
  }

  /** See transfer.sweep.ts. */
  async sweep(): Promise<{ orphaned: number; requeued: number }> {
    return sweepTransfers(this.orm, this.opts.staleAfterMs);
  }
}
