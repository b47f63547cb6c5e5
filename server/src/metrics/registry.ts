/**
 * The process's Prometheus metrics: one registry, every series defined here, observed through
 * the functions below. Series that are read at scrape time (transfer counts, sockets, pools)
 * belong to one application and live in app-metrics.ts.
 *
 * Label values are always from a fixed set or capped (operation names), never raw input.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry, prefix: 'ledgerlink_' });

/** Seconds: from a few milliseconds (a cached query) to a minute (a large export). */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Seconds: queued → final spans retries with backoff, up to an hour. */
const TRANSFER_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

const httpRequestDuration = new Histogram({
  name: 'ledgerlink_http_request_duration_seconds',
  help: 'HTTP requests by method, route (as declared, "other" when none matched) and status class',
  labelNames: ['method', 'route', 'status_class'] as const,
  buckets: REQUEST_BUCKETS,
  registers: [processRegistry],
});

const graphqlOperationDuration = new Histogram({
  name: 'ledgerlink_graphql_operation_duration_seconds',
  help: 'GraphQL operations over HTTP by operation name (__anonymous when unnamed, __invalid when none could be resolved, __other past the first names seen) and type',
  labelNames: ['operation', 'type'] as const,
  buckets: REQUEST_BUCKETS,
  registers: [processRegistry],
});

const transferLatency = new Histogram({
  name: 'ledgerlink_transfer_latency_seconds',
  help: 'Transfers from queued (created) to a final status recorded by the worker, by that status and kind',
  labelNames: ['status', 'kind'] as const,
  buckets: TRANSFER_BUCKETS,
  registers: [processRegistry],
});

const accountingCallDuration = new Histogram({
  name: 'ledgerlink_accounting_call_duration_seconds',
  help: 'Calls to the accounting system by adapter and operation (failed calls included)',
  labelNames: ['adapter', 'operation'] as const,
  buckets: REQUEST_BUCKETS,
  registers: [processRegistry],
});

const accountingCallErrors = new Counter({
  name: 'ledgerlink_accounting_call_errors_total',
  help: 'Failed calls to the accounting system by adapter, operation and error (rejection, transient, outcome_unknown, other)',
  labelNames: ['adapter', 'operation', 'error'] as const,
  registers: [processRegistry],
});

const transferEventLag = new Histogram({
  name: 'ledgerlink_transfer_event_fanout_lag_seconds',
  help: "Transfer status events from the change (the transfer's updated_at) to their hand-over to this replica's subscribers",
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [processRegistry],
});

export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}

export function observeHttpRequest(
  method: string,
  route: string,
  status: number,
  seconds: number,
): void {
  httpRequestDuration.observe({ method, route, status_class: statusClass(status) }, seconds);
}

/** Distinct operation names kept as labels; later new names count as `__other`. */
export const MAX_OPERATION_NAMES = 200;
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
const operationNames = new Set<string>();
const OPERATION_TYPES = new Set(['query', 'mutation', 'subscription']);

/** The label for an operation name: bounded in count and length, whatever clients send. */
export function operationLabel(name: string | null | undefined, resolved: boolean): string {
  if (!resolved) return '__invalid';
  if (!name) return '__anonymous';
  if (!GRAPHQL_NAME.test(name)) return '__invalid';
  if (operationNames.has(name)) return name;
  if (operationNames.size >= MAX_OPERATION_NAMES) return '__other';
  operationNames.add(name);
  return name;
}

export function observeGraphqlOperation(
  name: string | null | undefined,
  type: string | undefined,
  seconds: number,
): void {
  const resolved = type !== undefined;
  graphqlOperationDuration.observe(
    {
      operation: operationLabel(name, resolved),
      type: type && OPERATION_TYPES.has(type) ? type : 'unknown',
    },
    seconds,
  );
}

/** A transfer the worker recorded: its status and, when final, seconds since it was queued. */
export interface RecordedTransfer {
  status: string;
  kind: string;
  queued_to_final_seconds: number | null;
}

/** Called by the worker after its outcomes are committed; non-final ones are skipped. */
export function observeTransfersRecorded(transfers: readonly RecordedTransfer[]): void {
  for (const t of transfers) {
    if (t.queued_to_final_seconds === null || t.queued_to_final_seconds === undefined) continue;
    transferLatency.observe(
      { status: t.status, kind: t.kind },
      Math.max(0, Number(t.queued_to_final_seconds)),
    );
  }
}

export type AccountingErrorKind = 'rejection' | 'transient' | 'outcome_unknown' | 'other';

export function observeAccountingCall(
  adapter: string,
  operation: string,
  seconds: number,
  error: AccountingErrorKind | null,
): void {
  accountingCallDuration.observe({ adapter, operation }, seconds);
  if (error) accountingCallErrors.inc({ adapter, operation, error });
}

/** One status event handed to this replica's subscribers. */
export function observeTransferEventFanOut(occurredAt: Date): void {
  transferEventLag.observe(Math.max(0, (Date.now() - occurredAt.getTime()) / 1000));
}
