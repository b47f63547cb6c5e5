import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../context.js';
import { DomainError } from './errors.js';
import { toUserErrors, type UserError } from './payload.types.js';

/** Attempts of a mutation whose transaction PostgreSQL aborted to break a deadlock (or a serialization conflict). */
const CONFLICT_ATTEMPTS = 3;

/** A deadlock or serialization failure: the transaction was rolled back and may simply run again. */
function isTransactionConflict(err: unknown): boolean {
  const e = err as { code?: string; sqlState?: string } | null;
  return (
    e?.code === '40P01' || e?.code === '40001' || e?.sqlState === '40P01' || e?.sqlState === '40001'
  );
}

/**
 * Runs a mutation in one transaction. A DomainError rolls everything back and becomes
 * `userErrors`, with the payload's other fields set to `empty`; other errors propagate
 * (logged and masked by the server). A transaction PostgreSQL chose as a deadlock victim wrote
 * nothing, so it runs again (a few times, after a short random pause) instead of failing the call.
 */
export async function runMutation<P extends object>(
  ctx: RequestContext,
  empty: NoInfer<{ [K in keyof P]?: unknown }>,
  work: (em: EntityManager) => Promise<P>,
): Promise<P & { userErrors: UserError[] }> {
  try {
    let result: P;
    for (let attempt = 1; ; attempt++) {
      try {
        result = await ctx.em.transactional((em) => work(em));
        break;
      } catch (err) {
        if (!isTransactionConflict(err) || attempt >= CONFLICT_ATTEMPTS) throw err;
        ctx.log.warn({ err, attempt }, 'transaction conflict: running the mutation again');
        ctx.em.clear();
        await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 * attempt));
      }
    }
    // A result may carry its own userErrors (partial acceptance, e.g. an export).
    return { userErrors: [], ...result };
  } catch (err) {
    if (err instanceof DomainError) {
      ctx.em.clear();
      return { ...empty, userErrors: toUserErrors(err.errors) } as P & { userErrors: UserError[] };
    }
    throw err;
  }
}
