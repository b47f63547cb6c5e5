/**
 * Sign-in throttling per account and per client address, in PostgreSQL buckets shared by every
 * replica. Every attempt takes one point from both buckets before the password is checked (so
 * parallel guesses cannot slip past); a successful sign-in gives its points back, so only
 * failures count. Unknown emails have buckets too: the answers never tell whether an account
 * exists.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { sha256 } from '../../auth/tokens.js';
import type { ApiLimits } from '../rate-limits/api-limits.js';
import { adjustBucket, takeFromBucket, type BucketSpec } from '../rate-limits/token-bucket.js';

export interface LoginAttempt {
  /** Give the points back (the sign-in succeeded). */
  succeeded(): Promise<void>;
}

export type LoginThrottleResult =
  { allowed: true; attempt: LoginAttempt } | { allowed: false; retryAfterSeconds: number };

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function specs(limits: ApiLimits): { account: BucketSpec; address: BucketSpec } {
  return {
    account: {
      size: limits.loginAccountBurst,
      ratePerSecond: 1 / limits.loginAccountRefillSeconds,
    },
    address: {
      size: limits.loginAddressBurst,
      ratePerSecond: 1 / limits.loginAddressRefillSeconds,
    },
  };
}

export async function beginLoginAttempt(
  orm: MikroORM,
  limits: ApiLimits,
  email: string,
  address: string,
): Promise<LoginThrottleResult> {
  const conn = orm.em.getConnection();
  const spec = specs(limits);
  // A hash, so the table holds no typed-in emails (and no unbounded keys).
  const accountKey = `login:account:${sha256(normalizeEmail(email))}`;
  const addressKey = `login:ip:${address}`;
  const account = await takeFromBucket(conn, accountKey, 1, spec.account);
  if (!account.allowed) return { allowed: false, retryAfterSeconds: account.retryAfterSeconds };
  const byAddress = await takeFromBucket(conn, addressKey, 1, spec.address);
  if (!byAddress.allowed) {
    await adjustBucket(conn, accountKey, 1, spec.account);
    return { allowed: false, retryAfterSeconds: byAddress.retryAfterSeconds };
  }
  return {
    allowed: true,
    attempt: {
      async succeeded() {
        await adjustBucket(conn, accountKey, 1, spec.account);
        await adjustBucket(conn, addressKey, 1, spec.address);
      },
    },
  };
}
