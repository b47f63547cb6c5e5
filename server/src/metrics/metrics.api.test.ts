/**
 * `/metrics` on a real server: after a real export over the API and a real subscriber, every
 * series is there with sane values; only the token (main port) or the metrics port reads it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { createInvoice, createTenant, gid, type Tenant } from '../testing/factories.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import {
  exportOverApi,
  record,
  TRANSFER_STATUS_CHANGED,
  wsClient,
  type StatusEvent,
  type WsClient,
} from '../testing/subscriptions.js';
import { FAST_WORKER_ENV, waitForTransfers } from '../testing/transfers.js';

const TOKEN = 'metrics-scraper-token-0123456789';

/** The samples of a Prometheus text exposition: `name{labels} value` → value. */
function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    samples.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return samples;
}

function sample(samples: Map<string, number>, name: string, labels: Record<string, string> = {}) {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const [key, value] of samples) {
    const m = /^([^{]+)(?:\{(.*)\})?$/.exec(key)!;
    if (m[1] !== name) continue;
    const have = (m[2] ?? '').split(',').filter(Boolean);
    if (wanted.every((w) => have.includes(w))) return value;
  }
  return undefined;
}

/** Every sample of `name` whose labels include `labels`, summed (undefined when there is none). */
function sum(samples: Map<string, number>, name: string, labels: Record<string, string> = {}) {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let total: number | undefined;
  for (const [key, value] of samples) {
    const m = /^([^{]+)(?:\{(.*)\})?$/.exec(key)!;
    if (m[1] !== name) continue;
    const have = (m[2] ?? '').split(',').filter(Boolean);
    if (wanted.every((w) => have.includes(w))) total = (total ?? 0) + value;
  }
  return total;
}

describe('/metrics', () => {
  let srv: TestServer;
  let t: Tenant;
  let ws: WsClient;
  let metricsUrl: string;

  beforeAll(async () => {
    srv = await startTestServer({
      env: { ...FAST_WORKER_ENV, LEDGERLINK_METRICS_TOKEN: TOKEN, LEDGERLINK_METRICS_PORT: '0' },
    });
    t = await createTenant(srv.db.orm, 'metrics');
    metricsUrl = `${srv.app.url}/metrics`;
  });
  afterAll(async () => {
    await ws?.dispose().catch(() => {});
    await srv?.stop();
  });

  const scrape = async (url = metricsUrl, headers: Record<string, string> = {}) => {
    const res = await fetch(url, { headers });
    return { res, text: await res.text() };
  };

  it('shows every series with sane values after an export seen by a subscriber', async () => {
    ws = wsClient(srv.url, { token: t.tokens.read });
    const events = record<StatusEvent>(ws, TRANSFER_STATUS_CHANGED, { org: t.orgId });
    const hub = srv.app.services.transferEvents!;
    while (hub.stats().organizationSubscribers < 1) await new Promise((r) => setTimeout(r, 10));

    const invoice = await createInvoice(srv.db.orm.em.fork(), t, {});
    const exporter = srv.client({ token: t.tokens.export });
    const { transferIds } = await exportOverApi(exporter, t.orgId, [
      gid('PurchaseInvoice', invoice.id),
    ]);
    const [transfer] = await waitForTransfers(srv.db.orm, { organizationId: t.org.id });
    expect(transfer.status).toBe('TRANSFERRED');
    await events.until(
      (e) => e.some((x) => x.transferStatusChanged.status === 'TRANSFERRED'),
      10_000,
      'the TRANSFERRED event',
    );
    const probe = await exporter(`query MetricsProbe { __typename }`);
    expect(probe.status).toBe(200);

    const { res, text } = await scrape(metricsUrl, { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const s = parseExposition(text);
    if (process.env.METRICS_DUMP) console.log(text);

    // Transfers by status and kind, read at scrape time; every combination is present.
    expect(transferIds).toHaveLength(1);
    expect(sample(s, 'ledgerlink_transfers', { status: 'TRANSFERRED', kind: 'POST' })).toBe(1);
    expect(sample(s, 'ledgerlink_transfers', { status: 'QUEUED', kind: 'REVERSAL' })).toBe(0);
    expect(sum(s, 'ledgerlink_transfers')).toBe(1);
    expect(sample(s, 'ledgerlink_transfer_metrics_up')).toBe(1);
    expect(sample(s, 'ledgerlink_transfer_queue_depth')).toBe(0);
    expect(sample(s, 'ledgerlink_transfer_oldest_in_doubt_seconds')).toBe(0);
    expect(sample(s, 'ledgerlink_transfer_oldest_sending_seconds')).toBe(0);

    // Queued → final, observed by the worker's record step.
    const latency = { status: 'TRANSFERRED', kind: 'POST' };
    expect(sample(s, 'ledgerlink_transfer_latency_seconds_count', latency)).toBe(1);
    const latencySum = sample(s, 'ledgerlink_transfer_latency_seconds_sum', latency)!;
    expect(latencySum).toBeGreaterThan(0);
    expect(latencySum).toBeLessThan(20);
    expect(
      sample(s, 'ledgerlink_transfer_latency_seconds_bucket', { ...latency, le: '+Inf' }),
    ).toBe(1);

    // The accounting call that posted it, under the adapter's name; no errors.
    const posted = sum(s, 'ledgerlink_accounting_call_duration_seconds_count', {
      adapter: 'builtin-ledger',
      operation: 'postInvoice',
    });
    expect(posted).toBe(1);
    expect(
      sample(s, 'ledgerlink_accounting_call_duration_seconds_sum', {
        adapter: 'builtin-ledger',
        operation: 'postInvoice',
      }),
    ).toBeLessThan(10);
    expect(sum(s, 'ledgerlink_accounting_call_errors_total') ?? 0).toBe(0);

    // HTTP and GraphQL latency, by declared route and by operation name.
    expect(
      sample(s, 'ledgerlink_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/graphql',
        status_class: '2xx',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      sample(s, 'ledgerlink_graphql_operation_duration_seconds_count', {
        operation: 'MetricsProbe',
        type: 'query',
      }),
    ).toBe(1);
    expect(
      sample(s, 'ledgerlink_graphql_operation_duration_seconds_count', {
        operation: '__anonymous',
        type: 'mutation',
      }),
    ).toBe(1);
    // No raw URL ever becomes a label.
    expect(text).not.toMatch(/route="\/metrics\?/);

    // The subscriber: its socket, and the events handed to it.
    expect(sample(s, 'ledgerlink_subscription_sockets')).toBe(1);
    const fannedOut = sample(s, 'ledgerlink_transfer_event_fanout_lag_seconds_count')!;
    expect(fannedOut).toBeGreaterThanOrEqual(2); // SENDING, TRANSFERRED (QUEUED too, usually)
    const lag = sample(s, 'ledgerlink_transfer_event_fanout_lag_seconds_sum')! / fannedOut;
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(5);

    // The ORM's pool, and the process defaults.
    const total = sample(s, 'ledgerlink_db_pool_connections', { pool: 'orm' })!;
    const idle = sample(s, 'ledgerlink_db_pool_idle_connections', { pool: 'orm' })!;
    expect(total).toBeGreaterThanOrEqual(1);
    expect(idle).toBeGreaterThanOrEqual(0);
    expect(idle).toBeLessThanOrEqual(total);
    expect(
      sample(s, 'ledgerlink_db_pool_waiting_requests', { pool: 'orm' }),
    ).toBeGreaterThanOrEqual(0);
    // graphile-worker's pool: it holds its LISTEN connection at least.
    expect(sample(s, 'ledgerlink_db_pool_connections', { pool: 'worker' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(
      sample(s, 'ledgerlink_db_pool_waiting_requests', { pool: 'worker' }),
    ).toBeGreaterThanOrEqual(0);
    expect(sample(s, 'ledgerlink_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(s, 'ledgerlink_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('refuses the main port without the token or with a wrong one, and shows nothing', async () => {
    const refused: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` },
      { authorization: TOKEN },
    ];
    for (const headers of refused) {
      const { res, text } = await scrape(metricsUrl, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(JSON.parse(text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(text).not.toMatch(/ledgerlink_|# HELP|# TYPE/);
    }
    const { res } = await scrape(`${metricsUrl}?token=${TOKEN}`);
    expect(res.status).toBe(401);
  });

  it('serves the metrics port without a token, and nothing else there', async () => {
    const port = srv.app.metricsServer!.port;
    expect(port).not.toBe(srv.app.port);
    const { res, text } = await scrape(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(text).toContain('ledgerlink_transfers{status="TRANSFERRED",kind="POST"} 1');
    // Scrapes at the same time each get the complete picture.
    const together = await Promise.all(
      Array.from({ length: 5 }, () => scrape(`http://127.0.0.1:${port}/metrics`)),
    );
    for (const r of together)
      expect(r.text).toContain('ledgerlink_transfers{status="TRANSFERRED",kind="POST"} 1');
    const other = await scrape(`http://127.0.0.1:${port}/graphql`);
    expect(other.res.status).toBe(404);
    expect(other.text).not.toContain('ledgerlink_');
  });

  it('answers 404 when neither a token nor a metrics port is configured', async () => {
    const plain = await startTestServer({ db: srv.db, env: { LEDGERLINK_WORKER: 'off' } });
    try {
      expect(plain.app.metricsServer).toBeNull();
      const attempts: Record<string, string>[] = [{}, { authorization: `Bearer ${TOKEN}` }];
      for (const headers of attempts) {
        const { res, text } = await scrape(`${plain.app.url}/metrics`, headers);
        expect(res.status).toBe(404);
        expect(text).not.toContain('ledgerlink_');
      }
    } finally {
      await plain.stop();
    }
  });

  it('validates the metrics settings at start', () => {
    const bad: Record<string, string>[] = [
      { LEDGERLINK_METRICS_TOKEN: 'short' },
      { LEDGERLINK_METRICS_TOKEN: 'has a space in it, sixteen+' },
      { LEDGERLINK_METRICS_PORT: '70000' },
      { LEDGERLINK_METRICS_PORT: 'abc' },
      { PORT: '4100', LEDGERLINK_METRICS_PORT: '4100' },
      { LEDGERLINK_METRICS_HOST: 'not a host' },
    ];
    for (const env of bad) expect(() => loadConfig(env), JSON.stringify(env)).toThrow(ConfigError);
    expect(loadConfig({}).metrics).toEqual({
      token: undefined,
      port: undefined,
      host: '127.0.0.1',
    });
    expect(
      loadConfig({
        LEDGERLINK_METRICS_TOKEN: TOKEN,
        LEDGERLINK_METRICS_PORT: '9464',
        LEDGERLINK_METRICS_HOST: '0.0.0.0',
      }).metrics,
    ).toEqual({ token: TOKEN, port: 9464, host: '0.0.0.0' });
  });
});
