import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../context.js';
import { DomainError } from './errors.js';
import { toUserErrors, type UserError } from './payload.types.js';

/**
 * Runs a mutation in one transaction. A DomainError rolls everything back and becomes
 * `userErrors`, with the payload's other fields set to `empty`; other errors propagate
 * (logged and masked by the server).
 */
export async function runMutation<P extends object>(
  ctx: RequestContext,
  empty: NoInfer<{ [K in keyof P]?: unknown }>,
  work: (em: EntityManager) => Promise<P>,
): Promise<P & { userErrors: UserError[] }> {
  try {
    const result = await ctx.em.transactional((em) => work(em));
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
