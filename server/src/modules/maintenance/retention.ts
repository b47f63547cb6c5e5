/**
 * Retention: what Ledgerlink deletes, and when. Runs hourly as a graphile-worker cron task, which
 * fires once per slot across all worker processes (not once per replica).
 *
 * - idempotency keys: kept 30 days (IDEMPOTENCY_RETENTION_DAYS), then deleted; a retry after
 *   that is a new request;
 * - browser sessions: deleted 30 days after they expired or were revoked;
 * - rate-limit buckets: deleted after a day untouched (every bucket is full long before; a
 *   missing bucket counts as full).
 *
 * Audit events are never deleted (the database refuses it).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { IDEMPOTENCY_RETENTION_DAYS } from '../idempotency/idempotency.service.js';
import { purgeIdleBuckets } from '../rate-limits/token-bucket.js';

export const RETENTION_TASK = 'ledgerlink_retention';
/** Hourly, at minute 17 (away from the top of the hour, when other jobs cluster). */
export const RETENTION_CRONTAB = `17 * * * * ${RETENTION_TASK}`;

export const SESSION_RETENTION_DAYS = 30;
export const BUCKET_IDLE_SECONDS = 24 * 3600;

export interface RetentionResult {
  idempotencyKeys: number;
  sessions: number;
  buckets: number;
}

export async function purgeExpired(orm: MikroORM): Promise<RetentionResult> {
  const conn = orm.em.getConnection();
  const run = async (sql: string, params: unknown[]) =>
    ((await conn.execute<{ affectedRows?: number }>(sql, params, 'run')).affectedRows ??
      0) as number;
  const idempotencyKeys = await run(
    `delete from idempotency_record where created_at < now() - make_interval(days => ?)`,
    [IDEMPOTENCY_RETENTION_DAYS],
  );
  const sessions = await run(
    `delete from user_session where coalesce(revoked_at, expires_at) < now() - make_interval(days => ?) or expires_at < now() - make_interval(days => ?)`,
    [SESSION_RETENTION_DAYS, SESSION_RETENTION_DAYS],
  );
  const buckets = await purgeIdleBuckets(conn, BUCKET_IDLE_SECONDS);
  return { idempotencyKeys, sessions, buckets };
}
