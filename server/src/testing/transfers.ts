import type { MikroORM } from '@mikro-orm/postgresql';
import { Transfer } from '../modules/transfers/transfer.entity.js';
import { TransferStatus } from '../modules/transfers/transfer.enums.js';

const FINAL = [TransferStatus.TRANSFERRED, TransferStatus.FAILED, TransferStatus.CANCELLED];

/** Waits until every transfer of the organization (or the given ones) is final. */
export async function waitForTransfers(
  orm: MikroORM,
  where: { organizationId: string; ids?: string[] },
  timeoutMs = 20_000,
): Promise<Transfer[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const em = orm.em.fork();
    let transfers: Transfer[];
    try {
      transfers = await em.find(Transfer, {
        organization: where.organizationId,
        ...(where.ids ? { id: { $in: where.ids } } : {}),
      });
    } catch (err) {
      // A busy pool on a loaded machine is no verdict on the transfers: poll again.
      if (Date.now() > deadline || !/acquiring a connection/i.test(String(err))) throw err;
      continue;
    }
    if (transfers.length && transfers.every((t) => FINAL.includes(t.status))) return transfers;
    if (Date.now() > deadline) {
      throw new Error(
        `transfers not final after ${timeoutMs} ms: ${transfers.map((t) => `${t.id}=${t.status}`).join(', ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Worker settings that make retries and recovery fast enough for tests. */
export const FAST_WORKER_ENV = {
  LEDGERLINK_RETRY_BASE_MS: '20',
  LEDGERLINK_RETRY_CAP_MS: '100',
  LEDGERLINK_STALE_AFTER_MS: '1000',
  LEDGERLINK_HEARTBEAT_MS: '200',
  LEDGERLINK_SWEEP_INTERVAL_MS: '300',
  LEDGERLINK_RECONCILE_DELAY_MS: '20',
  LEDGERLINK_TRANSFER_MAX_ATTEMPTS: '3',
};
