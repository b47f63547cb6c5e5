/**
 * Token buckets in PostgreSQL, so every API replica draws from the same bucket. Each take is one
 * atomic UPSERT (refill by elapsed time, then debit if enough is there), run outside any
 * mutation transaction so that a refused mutation still pays for its attempt. Time is the
 * database's `now()`, so replicas with skewed clocks agree.
 */
import type { MikroORM } from '@mikro-orm/postgresql';

export interface BucketSpec {
  /** Points in a full bucket. */
  size: number;
  /** Points regained per second. */
  ratePerSecond: number;
}

export interface BucketState {
  /** Points in the bucket now (after this call's debit, when it was allowed). */
  available: number;
  size: number;
  ratePerSecond: number;
  /** When the bucket will be full again. */
  resetAt: Date;
}

export interface TakeResult extends BucketState {
  allowed: boolean;
  /** Whole seconds until `cost` points are there (0 when allowed). */
  retryAfterSeconds: number;
}

type Conn = ReturnType<MikroORM['em']['getConnection']>;

const LEVEL = (alias: string) =>
  `least(?::float8, ${alias}.available + greatest(0, extract(epoch from (now() - ${alias}.updated_at))::float8) * ?::float8)`;

function state(available: number, now: Date, spec: BucketSpec): BucketState {
  const missing = Math.max(0, spec.size - available);
  return {
    available,
    size: spec.size,
    ratePerSecond: spec.ratePerSecond,
    resetAt: new Date(now.getTime() + Math.ceil((missing / spec.ratePerSecond) * 1000)),
  };
}

/** Takes `cost` points if they are there; otherwise takes nothing and says when to retry. */
export async function takeFromBucket(
  conn: Conn,
  key: string,
  cost: number,
  spec: BucketSpec,
): Promise<TakeResult> {
  if (cost > spec.size) {
    const peeked = await peekBucket(conn, key, spec);
    return { ...peeked, allowed: false, retryAfterSeconds: Number.POSITIVE_INFINITY };
  }
  const rows = await conn.execute<{ available: number; now: Date }[]>(
    `insert into rate_limit_bucket as b (key, available, updated_at)
     values (?, ?::float8 - ?::float8, now())
     on conflict (key) do update
       set available = ${LEVEL('b')} - ?::float8, updated_at = now()
       where ${LEVEL('b')} >= ?::float8
     returning available, now() as now`,
    [
      key,
      spec.size,
      cost,
      spec.size,
      spec.ratePerSecond,
      cost,
      spec.size,
      spec.ratePerSecond,
      cost,
    ],
  );
  if (rows.length) {
    return {
      ...state(Number(rows[0].available), new Date(rows[0].now), spec),
      allowed: true,
      retryAfterSeconds: 0,
    };
  }
  const peeked = await peekBucket(conn, key, spec);
  const shortBy = cost - peeked.available;
  return {
    ...peeked,
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil(shortBy / spec.ratePerSecond)),
  };
}

/** Adds `delta` points (a refund when positive, a late charge when negative); never above the size. */
export async function adjustBucket(
  conn: Conn,
  key: string,
  delta: number,
  spec: BucketSpec,
): Promise<void> {
  if (delta === 0) return;
  // A late charge may take the bucket below zero, but never below one bucket's worth of debt.
  await conn.execute(
    `update rate_limit_bucket set available = greatest(-?::float8, least(?::float8, available + ?::float8)) where key = ?`,
    [spec.size, spec.size, delta, key],
  );
}

/** The bucket as it is now, without taking anything; a bucket never used is full. */
export async function peekBucket(conn: Conn, key: string, spec: BucketSpec): Promise<BucketState> {
  const rows = await conn.execute<{ available: number | null; now: Date }[]>(
    `select (select ${LEVEL('b')} from rate_limit_bucket b where b.key = ?) as available, now() as now`,
    [spec.size, spec.ratePerSecond, key],
  );
  const available = rows[0].available == null ? spec.size : Number(rows[0].available);
  return state(available, new Date(rows[0].now), spec);
}

/** Forgets buckets untouched for `olderThanSeconds` (they are full by then, which a missing row means too). */
export async function purgeIdleBuckets(conn: Conn, olderThanSeconds: number): Promise<number> {
  const res = await conn.execute<{ affectedRows?: number }>(
    `delete from rate_limit_bucket where updated_at < now() - make_interval(secs => ?)`,
    [olderThanSeconds],
    'run',
  );
  return res.affectedRows ?? 0;
}
