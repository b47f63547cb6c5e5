/**
 * Input checks shared by the write side. They collect every problem of one input, so a client
 * fixes a form in one round trip, and throw them together as one DomainError (VALIDATION).
 */
import type { Caller } from '../auth/authenticate.js';
import { authorizeOrganization } from '../auth/access.js';
import type { Permission } from '../auth/permissions.js';
import { DomainError, UserErrorCode, type UserErrorDetail } from './errors.js';
import { fromGlobalId, type NodeTypeName } from './ids.js';
import { Decimal, isMoney } from './money.js';

/** The largest amount (absolute) one money field may carry: far above any real invoice, far below numeric(19,2). */
export const MAX_AMOUNT = new Decimal('1e13');

export class Problems {
  readonly list: UserErrorDetail[] = [];

  add(message: string, field: string[], code: UserErrorCode = UserErrorCode.VALIDATION): this {
    this.list.push({ code, message, field });
    return this;
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  throwIfAny(): void {
    if (this.list.length) throw new DomainError(this.list);
  }

  /**
   * A trimmed text of 1..max characters (or null when optional and blank). Records a problem
   * and returns null when it does not fit.
   */
  text(
    value: string | null | undefined,
    field: string[],
    opts: { max: number; required: boolean; label: string },
  ): string | null {
    const trimmed = (value ?? '').trim();
    // PostgreSQL text cannot hold NUL, and no field here has a use for control characters.
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(trimmed)) {
      this.add(`${opts.label} must not contain control characters`, field);
      return null;
    }
    if (!trimmed) {
      if (opts.required) this.add(`${opts.label} must not be empty`, field);
      return null;
    }
    if (trimmed.length > opts.max) {
      this.add(
        `${opts.label} must be at most ${opts.max} characters (got ${trimmed.length})`,
        field,
      );
      return null;
    }
    return trimmed;
  }

  /** A money amount with at most two decimals and a sensible size; `sign` restricts it. */
  money(
    value: string,
    field: string[],
    opts: { label: string; sign: 'positive' | 'nonNegative' | 'any' },
  ): Decimal | null {
    if (!isMoney(value)) {
      this.add(`${opts.label} must have at most two decimals (got ${value})`, field);
      return null;
    }
    const amount = new Decimal(value);
    if (amount.abs().gte(MAX_AMOUNT)) {
      this.add(
        `${opts.label} is too large (at most ${MAX_AMOUNT.minus('0.01').toFixed(2)})`,
        field,
      );
      return null;
    }
    if (opts.sign === 'positive' && amount.lte(0)) {
      this.add(`${opts.label} must be greater than zero`, field);
      return null;
    }
    if (opts.sign === 'nonNegative' && amount.isNegative()) {
      this.add(`${opts.label} must not be negative`, field);
      return null;
    }
    return amount;
  }
}

/** The uuid behind a global id of the expected type; a malformed or other-type id is "not found". */
export function requireGlobalId(
  globalId: string,
  type: NodeTypeName,
  field: string[],
  what: string,
): string {
  const id = fromGlobalId(globalId, type);
  if (!id) throw new DomainError(UserErrorCode.NOT_FOUND, `${what} not found`, field);
  return id;
}

/**
 * The organization a mutation names, authorized for `permission`. A malformed id fails exactly
 * like a foreign or missing one (NOT_FOUND).
 */
export function authorizeOrganizationInput(
  caller: Caller,
  organizationGlobalId: string,
  permission: Permission,
): string {
  return authorizeOrganization(
    caller,
    fromGlobalId(organizationGlobalId, 'Organization') ?? '',
    permission,
  );
}

/** ISO 4217 codes in use (ICU's list, which follows ISO 4217). */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export function isIsoCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && CURRENCIES.has(code);
}

/** Today's date (UTC) as YYYY-MM-DD, shifted by `days`. */
export function isoDate(days = 0, now = new Date()): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Mutations need a caller; anonymous ones get the same code `authorizeOrganization` gives. */
export function requireCaller(caller: Caller): void {
  if (caller.kind === 'anonymous') {
    throw new DomainError(UserErrorCode.UNAUTHENTICATED, 'Sign in or send an API token');
  }
}

/** Optimistic locking: the writer must have read the current version. */
export function assertVersion(current: number, expected: number, what: string): void {
  if (current !== expected) {
    throw new DomainError(
      UserErrorCode.STALE_VERSION,
      `${what} was changed by someone else since you read it (you sent version ${expected}, it is now ${current}); reload and try again`,
      ['version'],
    );
  }
}
