/**
 * How the built-in ledger talks to PostgreSQL. The ledger stands in for an external system, so
 * every call runs on its own pooled connection and in its own transaction, never in the
 * caller's. It borrows a raw `pg` connection from the ORM's pool (the same pool MikroORM uses,
 * so no extra connections) and speaks SQL with native `$n` parameters: a posting is a handful
 * of round trips, not an ORM flush per line.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { AccountingOutcomeUnknown, AccountingTransientError } from '../accounting-system.js';

export interface SqlResult<R> {
  rows: R[];
  rowCount: number | null;
}

/** The part of a `pg` client the ledger uses. */
export interface SqlClient {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<SqlResult<R>>;
}

interface PooledConnection extends SqlClient {
  query<R = Record<string, unknown>>(
    text: string | { name: string; text: string; values?: unknown[] },
    params?: unknown[],
  ): Promise<SqlResult<R>>;
  __knex__disposed?: unknown;
}

const preparedNames = new Map<string, string>();

/**
 * Marks a hot SQL text as a named prepared statement: each connection parses and plans it once
 * (PostgreSQL then settles on a generic plan), instead of on every posting. Returns the text.
 */
export function prepared(text: string): string {
  if (!preparedNames.has(text)) preparedNames.set(text, `ledger_${preparedNames.size + 1}`);
  return text;
}

function sqlClient(conn: PooledConnection): SqlClient {
  return {
    query<R>(text: string, params?: unknown[]) {
      const name = preparedNames.get(text);
      return name ? conn.query<R>({ name, text, values: params }) : conn.query<R>(text, params);
    },
  };
}

/** A PostgreSQL error as the `pg` driver reports it. */
export interface PgError extends Error {
  code?: string;
  constraint?: string;
  detail?: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * True when the failure is about reaching the database (or the database refusing work for
 * now), not about the statement: the transaction did not commit (unless the failure came
 * during COMMIT) and the same call may be retried.
 */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as PgError).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return true;
    // 08: connection exception, 53: insufficient resources, 57P: operator intervention / shutdown,
    // 40001 / 40P01: serialization failure / deadlock (the transaction was rolled back).
    if (/^(08|53|57P)/.test(code) || code === '40001' || code === '40P01' || code === '57014')
      return true;
  }
  if (err.name === 'KnexTimeoutError') return true;
  return /connection terminated|connection ended|connection error|not queryable|unable to acquire a connection|timeout acquiring a connection|server closed the connection|terminating connection/i.test(
    err.message,
  );
}

/** First key of the ledger's advisory locks ('LEDG'); the second is derived from the organization id. */
export const ADVISORY_NAMESPACE = 0x4c454447;

/** A signed int4 derived from a uuid (collisions only make two organizations wait for each other). */
export function organizationLockKey(organizationId: string): number {
  const hex = organizationId.replace(/-/g, '');
  let h = 0;
  for (let i = 0; i < hex.length; i += 8) h = (h ^ parseInt(hex.slice(i, i + 8), 16)) >>> 0;
  return h | 0;
}

/**
 * Per-organization gate between postings and the admin operations that change what a posting may
 * do (closing a period, moving the lock date). Postings hold it shared, those operations
 * exclusive. PostgreSQL queues a heavyweight lock fairly (a new shared request waits behind a
 * waiting exclusive one), so closing a period waits only for the postings in flight, not for a
 * lull in a continuous stream, which the row share locks alone would need. Correctness does not
 * depend on it: the row locks and the check trigger do that.
 */
export type OrganizationLock = { organizationId: string; mode: 'shared' | 'exclusive' };

export class LedgerDb {
  constructor(private readonly orm: MikroORM) {}

  private get client() {
    return this.orm.em.getKnex().client;
  }

  private async acquire(): Promise<PooledConnection> {
    try {
      return (await this.client.acquireConnection()) as PooledConnection;
    } catch (err) {
      throw new AccountingTransientError(`ledger database unavailable: ${(err as Error).message}`);
    }
  }

  private async release(conn: PooledConnection): Promise<void> {
    await this.client.releaseConnection(conn);
  }

  /** Runs read-only statements on one pooled connection, outside any explicit transaction. */
  async read<T>(fn: (c: SqlClient) => Promise<T>): Promise<T> {
    const conn = await this.acquire();
    try {
      return await fn(sqlClient(conn));
    } catch (err) {
      if (isConnectionError(err)) {
        conn.__knex__disposed ??= err;
        throw new AccountingTransientError(`ledger database error: ${(err as Error).message}`);
      }
      throw err;
    } finally {
      await this.release(conn);
    }
  }

  /**
   * One statement in autocommit mode (its own implicit transaction). A lost connection after the
   * statement was sent means it may have committed: AccountingOutcomeUnknown. A statement that
   * failed in the database (including deadlock / serialization failures) rethrows unchanged:
   * nothing was committed.
   */
  async autocommit<T>(fn: (c: SqlClient) => Promise<T>): Promise<T> {
    const conn = await this.acquire();
    try {
      return await fn(sqlClient(conn));
    } catch (err) {
      const code = (err as PgError)?.code;
      const failedInDatabase =
        typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|57P)/.test(code);
      if (!failedInDatabase && isConnectionError(err)) {
        conn.__knex__disposed ??= err;
        throw new AccountingOutcomeUnknown(
          `ledger connection lost during a posting: ${(err as Error).message}`,
        );
      }
      throw err;
    } finally {
      await this.release(conn);
    }
  }

  /**
   * BEGIN; fn; COMMIT on its own connection. Errors thrown by `fn` (including SQL errors) roll
   * back and are rethrown unchanged, except connection failures: before COMMIT they become
   * AccountingTransientError (nothing was committed), during COMMIT AccountingOutcomeUnknown
   * (it may have committed). SQL errors raised at COMMIT (deferred constraint triggers) are
   * rethrown unchanged.
   */
  async transaction<T>(fn: (c: SqlClient) => Promise<T>, lock?: OrganizationLock): Promise<T> {
    const conn = await this.acquire();
    let committing = false;
    try {
      if (lock) {
        // One round trip: the key is a computed integer, safe to inline.
        const fnName =
          lock.mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
        await conn.query(
          `begin; select ${fnName}(${ADVISORY_NAMESPACE}, ${organizationLockKey(lock.organizationId)})`,
        );
      } else {
        await conn.query('begin');
      }
      const result = await fn(sqlClient(conn));
      committing = true;
      await conn.query('commit');
      return result;
    } catch (err) {
      if (!committing) {
        try {
          await conn.query('rollback');
        } catch {
          conn.__knex__disposed ??= err;
        }
      }
      if (isConnectionError(err)) {
        conn.__knex__disposed ??= err;
        const message = (err as Error).message;
        if (committing)
          throw new AccountingOutcomeUnknown(`ledger connection lost during commit: ${message}`);
        throw new AccountingTransientError(`ledger database error: ${message}`);
      }
      throw err;
    } finally {
      await this.release(conn);
    }
  }
}
