/**
 * The HTTP server behind a load balancer, over real sockets: idle keep-alive connections outlive
 * a balancer's idle timeout, oversized bodies are refused with a clear 413 before anything runs,
 * and a draining server answers new requests 503 with Retry-After while it finishes the others.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { CREATE, expectNoChange, invoiceInput } from '../api-tests/write-api.helpers.js';
import { createTenant, gid, type Tenant } from '../testing/factories.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import { SHUTDOWN_RETRY_AFTER_SECONDS } from './draining.js';

const MAX_BODY = 64 * 1024;

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The client side of the socket the answer came on. */
  localPort: number | undefined;
}

function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: opts.method ?? 'GET', headers: opts.headers, agent: opts.agent },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body,
            localPort: res.socket?.localPort,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('HTTP server hygiene', () => {
  let srv: TestServer;
  let t: Tenant;

  beforeAll(async () => {
    srv = await startTestServer({
      env: { LEDGERLINK_WORKER: 'off', LEDGERLINK_MAX_BODY_BYTES: String(MAX_BODY) },
    });
    t = await createTenant(srv.db.orm, 'hygiene');
  });
  afterAll(() => srv?.stop());

  it('keeps an idle pooled connection for 10 s: both answers come on the same socket', async () => {
    expect(srv.app.http.server.keepAliveTimeout).toBe(65_000);
    expect(srv.app.http.server.headersTimeout).toBe(66_000);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets: unknown[] = [];
    agent.on('free', (socket) => sockets.push(socket));
    try {
      const first = await request(`${srv.app.url}/healthz`, { agent });
      expect(first.status).toBe(200);
      expect(first.headers['keep-alive']).toBe('timeout=65');
      await new Promise((r) => setTimeout(r, 10_000));
      const second = await request(`${srv.app.url}/healthz`, { agent });
      expect(second.status).toBe(200);
      expect(JSON.parse(second.body)).toEqual({ status: 'ok' });
      expect(second.localPort).toBe(first.localPort);
      expect(sockets).toHaveLength(2);
      expect(sockets[1]).toBe(sockets[0]);
    } finally {
      agent.destroy();
    }
  }, 30_000);

  it('refuses a body over the limit with a clear 413 and writes nothing', async () => {
    // A real mutation, made large by padding the request (Apollo ignores unknown extensions).
    const body = (padding: string) =>
      JSON.stringify({
        query: CREATE,
        variables: { input: invoiceInput(t.orgId, gid('Supplier', t.suppliers[0].id)) },
        extensions: { padding },
      });
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${t.tokens.write}`,
    };
    const tooLarge = body('x'.repeat(MAX_BODY));
    const expectRefused = (res: RawAnswer) => {
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const error = JSON.parse(res.body).errors[0];
      expect(error.message).toBe(`Request body too large: at most ${MAX_BODY} bytes are accepted`);
      expect(error.extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      expect(error.extensions.requestId).toEqual(expect.any(String));
    };
    await expectNoChange(srv.db, async () => {
      // With Content-Length (refused before reading), and chunked (refused while reading).
      expectRefused(
        await request(`${srv.app.url}/graphql`, { method: 'POST', headers, body: tooLarge }),
      );
      const chunked = await new Promise<RawAnswer>((resolve, reject) => {
        const req = http.request(`${srv.app.url}/graphql`, { method: 'POST', headers }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () =>
            resolve({ status: res.statusCode!, headers: res.headers, body: text, localPort: 0 }),
          );
        });
        req.on('error', reject);
        for (let i = 0; i < tooLarge.length; i += 8192) req.write(tooLarge.slice(i, i + 8192));
        req.end();
      });
      expectRefused(chunked);
    });

    // The same mutation under the limit goes through.
    const fits = await request(`${srv.app.url}/graphql`, {
      method: 'POST',
      headers,
      body: body('x'.repeat(1000)),
    });
    expect(fits.status, fits.body).toBe(200);
    const payload = JSON.parse(fits.body).data.createPurchaseInvoice;
    expect(payload.userErrors).toEqual([]);
    expect(payload.invoice.status).toBe('DRAFT');
  });

  it('while draining: new requests and readiness get 503 + Retry-After, the one in flight finishes', async () => {
    const draining = await startTestServer({ db: srv.db, env: { LEDGERLINK_WORKER: 'off' } });
    const { drain } = draining.app.http;
    let stopped: Promise<void> | undefined;
    try {
      // A request in flight: its headers arrived, half of its body so far.
      const query = JSON.stringify({ query: '{ __typename }' });
      const slow = http.request(`${draining.app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(query.length) },
      });
      const answer = new Promise<RawAnswer>((resolve, reject) => {
        slow.on('response', (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () =>
            resolve({ status: res.statusCode!, headers: res.headers, body: text, localPort: 0 }),
          );
        });
        slow.on('error', reject);
      });
      slow.write(query.slice(0, 5));
      while (drain.requestsInFlight < 1) await new Promise((r) => setTimeout(r, 10));

      stopped = draining.stop();
      expect(drain.isDraining).toBe(true);

      const ready = await request(`${draining.app.url}/readyz`, {});
      expect(ready.status).toBe(503);
      expect(ready.headers['retry-after']).toBe(String(SHUTDOWN_RETRY_AFTER_SECONDS));
      expect(JSON.parse(ready.body)).toEqual({ status: 'shutting down' });

      const refused = await request(`${draining.app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: query,
      });
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe(String(SHUTDOWN_RETRY_AFTER_SECONDS));
      expect(refused.headers.connection).toBe('close');
      expect(JSON.parse(refused.body).errors[0]).toMatchObject({
        message: 'The server is shutting down; retry in a few seconds',
        extensions: { code: 'SHUTTING_DOWN' },
      });

      slow.end(query.slice(5));
      const finished = await answer;
      expect(finished.status).toBe(200);
      expect(JSON.parse(finished.body)).toMatchObject({ data: { __typename: 'Query' } });
      await stopped;
      expect(draining.app.http.server.listening).toBe(false);
    } finally {
      await (stopped ?? draining.stop());
    }
  });

  it('validates the timeouts and the body limit at start', () => {
    expect(loadConfig({}).http).toEqual({
      keepAliveTimeoutMs: 65_000,
      headersTimeoutMs: 66_000,
      maxBodyBytes: 24 * 1024 * 1024,
    });
    expect(loadConfig({ LEDGERLINK_KEEPALIVE_TIMEOUT_MS: '120000' }).http).toMatchObject({
      keepAliveTimeoutMs: 120_000,
      headersTimeoutMs: 121_000,
    });
    for (const env of [
      { LEDGERLINK_KEEPALIVE_TIMEOUT_MS: '500' },
      { LEDGERLINK_KEEPALIVE_TIMEOUT_MS: '65s' },
      { LEDGERLINK_MAX_BODY_BYTES: '10' },
    ])
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(ConfigError);
  });
});
