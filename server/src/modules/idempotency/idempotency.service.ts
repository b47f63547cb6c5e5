import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, UserErrorCode } from '../../common/errors.js';

/** Keys are kept at least this long (a cleanup may delete older ones). */
export const IDEMPOTENCY_RETENTION_DAYS = 30;

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** A stable hash of the operation's input (object keys sorted), to tell "same input" apart. */
export function requestHash(operation: string, input: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .filter(([k, val]) => k !== 'idempotencyKey' && val !== undefined)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, val]) => [k, canonical(val)]),
      );
    }
    return v;
  };
  return createHash('sha256')
    .update(JSON.stringify([operation, canonical(input)]))
    .digest('hex');
}

/**
 * Stripe-style idempotency inside the mutation's transaction. The first call claims the key
 * (a row insert); a concurrent call with the same key waits on that row until the first
 * commits, then replays its stored result. Same key with other input → IDEMPOTENCY_KEY_REUSED.
 * A call that fails with a userError rolls back and leaves the key free, so it can be retried.
 *
 * `work` returns a JSON-serializable result (ids, not entities) that is stored and replayed.
 */
export async function withIdempotency<R>(
  em: EntityManager,
  opts: { organizationId: string; key: string; operation: string; input: unknown },
  work: () => Promise<R>,
): Promise<{ result: R; replayed: boolean }> {
  if (!KEY_PATTERN.test(opts.key)) {
    throw new DomainError(
      UserErrorCode.VALIDATION,
      'idempotencyKey must be 1 to 200 printable ASCII characters without spaces',
      ['idempotencyKey'],
    );
  }
  const hash = requestHash(opts.operation, opts.input);
  const conn = em.getConnection();
  const claimed = await conn.execute<{ key: string }[]>(
    `insert into idempotency_record (organization_id, key, operation, request_hash, response, created_at)
     values (?, ?, ?, ?, 'null'::jsonb, now()) on conflict do nothing returning key`,
    [opts.organizationId, opts.key, opts.operation, hash],
    'all',
    em.getTransactionContext(),
  );
  if (claimed.length === 0) {
    const [existing] = await conn.execute<
      { operation: string; request_hash: string; response: unknown }[]
    >(
      `select operation, request_hash, response from idempotency_record where organization_id = ? and key = ?`,
      [opts.organizationId, opts.key],
      'all',
      em.getTransactionContext(),
    );
    if (!existing || existing.operation !== opts.operation || existing.request_hash !== hash) {
      throw new DomainError(
        UserErrorCode.IDEMPOTENCY_KEY_REUSED,
        'This idempotencyKey was already used with a different request; use a new key for a new request',
        ['idempotencyKey'],
      );
    }
    return { result: existing.response as R, replayed: true };
  }
  const result = await work();
  await conn.execute(
    `update idempotency_record set response = ?::jsonb where organization_id = ? and key = ?`,
    [JSON.stringify(result ?? null), opts.organizationId, opts.key],
    'all',
    em.getTransactionContext(),
  );
  return { result, replayed: false };
}
