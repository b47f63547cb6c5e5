import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Transfer, TransferReport } from './transfer.entity.js';
import type { TransferStatus } from './transfer.enums.js';
import { newestFirstPage } from '../../common/newest-first.js';

export async function listTransfers(
  em: EntityManager,
  organizationId: string,
  statuses: TransferStatus[] | null | undefined,
  limit: number,
  after: string | null | undefined,
) {
  const where: FilterQuery<Transfer> = {
    organization: organizationId,
    ...(statuses?.length ? { status: { $in: statuses } } : {}),
  };
  return newestFirstPage(em, Transfer, where, limit, after);
}

export async function listTransferReports(
  em: EntityManager,
  organizationId: string,
  limit: number,
  after: string | null | undefined,
) {
  const where = { organization: organizationId };
  return newestFirstPage(em, TransferReport, where, limit, after);
}

export interface BatchCounts {
  total: number;
  queued: number;
  sending: number;
  transferred: number;
  failed: number;
  inDoubt: number;
  cancelled: number;
}

/** Live counts of a batch's transfers by status (RETRYING counts as queued). */
export async function batchCounts(
  em: EntityManager,
  organizationId: string,
  batchId: string,
): Promise<BatchCounts> {
  const [row] = await em.getConnection().execute<Record<string, string>[]>(
    `select count(*) as total,
       count(*) filter (where status in ('QUEUED', 'RETRYING')) as queued,
       count(*) filter (where status = 'SENDING') as sending,
       count(*) filter (where status = 'TRANSFERRED') as transferred,
       count(*) filter (where status = 'FAILED') as failed,
       count(*) filter (where status = 'IN_DOUBT') as in_doubt,
       count(*) filter (where status = 'CANCELLED') as cancelled
     from transfer where organization_id = ? and batch_id = ?`,
    [organizationId, batchId],
  );
  return {
    total: Number(row.total),
    queued: Number(row.queued),
    sending: Number(row.sending),
    transferred: Number(row.transferred),
    failed: Number(row.failed),
    inDoubt: Number(row.in_doubt),
    cancelled: Number(row.cancelled),
  };
}
