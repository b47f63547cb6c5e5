/**
 * Real graphql-ws clients for tests and the benchmark: a WebSocket (from `ws`, Node 20 has none)
 * to a running server, with a token in connectionParams or a cookie on the upgrade request.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { createInvoice, gid, type InvoiceSpec, type Tenant } from './factories.js';

export interface WsClient {
  client: Client;
  /** Resolves with the close event once the socket closes (refused, revoked, server gone...). */
  closed: Promise<{ code: number; reason: string }>;
  /** The underlying socket, once open (to pause reading and play a slow client). */
  socket(): WebSocket | null;
  dispose(): Promise<void>;
}

export function wsClient(
  httpUrl: string,
  auth: {
    token?: string;
    cookie?: string;
    origin?: string;
    connectionParams?: Record<string, unknown>;
  } = {},
): WsClient {
  const url = httpUrl.replace(/^http/, 'ws');
  let current: WebSocket | null = null;
  const headers: Record<string, string> = {};
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.origin) headers.origin = auth.origin;
  class TestWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
      // eslint-disable-next-line @typescript-eslint/no-this-alias
      current = this;
    }
  }
  let resolveClosed!: (e: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));
  const client = createClient({
    url,
    webSocketImpl: TestWebSocket,
    connectionParams:
      auth.connectionParams ?? (auth.token ? { authorization: `Bearer ${auth.token}` } : undefined),
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => {},
    on: {
      closed: (event) => {
        const e = event as { code: number; reason: string | Buffer };
        resolveClosed({ code: e.code, reason: String(e.reason) });
      },
    },
  });
  return {
    client,
    closed,
    socket: () => current,
    dispose: async () => {
      await client.dispose();
    },
  };
}

export interface Recording<T> {
  /** Every `data` received (unless `keep: false`). */
  events: T[];
  count: number;
  errors: unknown[];
  /** Resolves when the server completes the subscription; rejects on an error message. */
  done: Promise<void>;
  completed: boolean;
  /** Waits until `predicate` holds for the events so far. */
  until(predicate: (events: T[]) => boolean, timeoutMs?: number, what?: string): Promise<void>;
  unsubscribe(): void;
}

export function record<T = Record<string, unknown>>(
  ws: WsClient,
  query: string,
  variables: Record<string, unknown>,
  opts: { keep?: boolean; onEvent?: (data: T) => void } = {},
): Recording<T> {
  const keep = opts.keep ?? true;
  let resolveDone!: () => void;
  let rejectDone!: (err: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  done.catch(() => {});
  const waiters = new Set<() => void>();
  const rec: Recording<T> = {
    events: [],
    count: 0,
    errors: [],
    done,
    completed: false,
    until(predicate, timeoutMs = 30_000, what = 'events') {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (predicate(rec.events)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          } else if (rec.errors.length || rec.completed) {
            clearTimeout(timer);
            waiters.delete(check);
            if (predicate(rec.events)) resolve();
            else
              reject(new Error(`subscription ended before ${what}: ${JSON.stringify(rec.errors)}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${what} (${rec.count} events so far)`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    unsubscribe: () => unsubscribe(),
  };
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  const unsubscribe = ws.client.subscribe<T>(
    { query, variables },
    {
      next: (result: FormattedExecutionResult<T>) => {
        if (result.errors) rec.errors.push(...result.errors);
        if (result.data) {
          rec.count++;
          if (keep) rec.events.push(result.data);
          opts.onEvent?.(result.data);
        }
        wake();
      },
      error: (err) => {
        rec.errors.push(...(Array.isArray(err) ? err : [err]));
        rejectDone(err);
        wake();
      },
      complete: () => {
        rec.completed = true;
        resolveDone();
        wake();
      },
    },
  );
  return rec;
}

export const TRANSFER_STATUS_CHANGED = `subscription($org: ID!) { transferStatusChanged(organizationId: $org) {
  status final occurredAt documentType invoiceId paymentId batchId resync errors { code message field }
  transfer { id status attempts invoice { id transferStatus } } } }`;

export const TRANSFER_BATCH_PROGRESS = `subscription($batch: ID!) { transferBatchProgress(batchId: $batch) {
  id total queued sending transferred failed inDoubt status } }`;

export interface StatusEvent {
  transferStatusChanged: {
    status: string;
    final: boolean;
    occurredAt: string;
    invoiceId: string | null;
    resync: boolean;
    errors: { code: string }[];
    transfer: {
      id: string;
      status: string;
      attempts: number;
      invoice: { id: string; transferStatus: string } | null;
    };
  };
}

const STATUS_RANK: Record<string, number> = {
  QUEUED: 0,
  RETRYING: 1,
  SENDING: 1,
  IN_DOUBT: 1,
  TRANSFERRED: 2,
  FAILED: 2,
  CANCELLED: 2,
};

/**
 * Checks the events of each transfer: never an earlier status after a final one, never a time
 * going back. Returns the final status of each transfer id that has one.
 */
export function finalsInOrder(
  events: { transferId: string; status: string; occurredAt: string }[],
): Map<string, string> {
  const last = new Map<string, { status: string; at: number }>();
  const finals = new Map<string, string>();
  for (const e of events) {
    const at = Date.parse(e.occurredAt);
    const prev = last.get(e.transferId);
    if (prev) {
      if (at < prev.at)
        throw new Error(
          `transfer ${e.transferId}: ${e.status} at ${e.occurredAt} arrived after a later ${prev.status}`,
        );
      if (STATUS_RANK[prev.status] === 2 && STATUS_RANK[e.status] < 2) {
        throw new Error(`transfer ${e.transferId}: ${e.status} arrived after final ${prev.status}`);
      }
    }
    last.set(e.transferId, { status: e.status, at });
    if (STATUS_RANK[e.status] === 2) finals.set(e.transferId, e.status);
  }
  return finals;
}

const EXPORT_INVOICES = `mutation($input: ExportInvoicesInput!) { exportInvoices(input: $input) {
  batch { id total } transfers { id } userErrors { code message } } }`;

/** Exports invoices over the API (at most 500 per call); returns the batch and transfer ids. */
export async function exportOverApi(
  client: (
    query: string,
    variables?: Record<string, unknown>,
  ) => Promise<{ data?: Record<string, unknown>; errors?: unknown[] }>,
  organizationId: string,
  invoiceIds: string[],
): Promise<{ batchId: string; transferIds: string[] }> {
  const res = await client(EXPORT_INVOICES, {
    input: { organizationId, invoiceIds, idempotencyKey: `export-${Date.now()}-${Math.random()}` },
  });
  const payload = res.data?.exportInvoices as
    { batch: { id: string }; transfers: { id: string }[]; userErrors: unknown[] } | undefined;
  if (!payload || payload.userErrors.length)
    throw new Error(`export failed: ${JSON.stringify(res.errors ?? payload?.userErrors)}`);
  return {
    batchId: payload.batch.id,
    transferIds: payload.transfers.map((t: { id: string }) => t.id),
  };
}

/**
 * `count` approved, posted, numbered invoices (createInvoice), each in a fresh EntityManager: one
 * shared across hundreds of inserts makes every flush walk all of them. Returns global ids.
 */
export async function createInvoices(
  orm: MikroORM,
  tenant: Tenant,
  count: number,
  specOf: (index: number) => InvoiceSpec = () => ({}),
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push(gid('PurchaseInvoice', (await createInvoice(orm.em.fork(), tenant, specOf(i))).id));
  return ids;
}
