import type { AccountingSystem } from '../accounting/accounting-system.js';
import type { Caller } from '../auth/authenticate.js';
import type { RequestContext } from '../context.js';

/** What a write-side service needs to know about the request: who, which request, master data. */
export interface ServiceContext {
  caller: Caller;
  requestId: string | null;
  accounting: AccountingSystem;
}

export function serviceContext(ctx: RequestContext): ServiceContext {
  return { caller: ctx.caller, requestId: ctx.requestId, accounting: ctx.services.accounting };
}

/** The calling user's id (automatic transfer acts on their behalf); null for API clients. */
export function callerUserId(caller: Caller): string | null {
  return caller.kind === 'user' ? caller.user.id : null;
}
