/**
 * Error hygiene in production: unexpected errors reach clients masked (no stack, no internal
 * message) with the request id the log line carries; introspection and field suggestions only
 * for authenticated callers.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTenant, type Tenant } from '../testing/factories.js';
import { startTestServer, type TestServer } from '../testing/server.js';

describe('error hygiene (NODE_ENV=production)', () => {
  let srv: TestServer;
  let t: Tenant;
  const logLines: { msg?: string; requestId?: string; err?: { stack?: string } }[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n'))
          if (line.trim()) logLines.push(JSON.parse(line));
        done();
      },
    });
    srv = await startTestServer({
      env: { NODE_ENV: 'production', LEDGERLINK_WORKER: 'off' },
      log: pino({ level: 'info' }, sink),
    });
    t = await createTenant(srv.db.orm, 'hyg');
  });
  afterAll(() => srv?.stop());

  it('an unexpected error is masked for the client and logged with the same request id', async () => {
    const secret =
      'connection to 10.1.2.3:5432 refused at /srv/ledgerlink/src/accounting/ledger/builtin-ledger.ts:123';
    const spy = vi
      .spyOn(srv.app.services.accounting, 'getMasterData')
      .mockRejectedValueOnce(new Error(secret));
    try {
      const c = srv.client({ token: t.tokens.read });
      const res = await c(
        `query($org: ID!) { masterData(organizationId: $org) { vatCodes { code } } }`,
        { org: t.orgId },
      );
      const body = JSON.stringify(res);
      expect(res.errors).toHaveLength(1);
      const err = res.errors![0];
      expect(err.message).toBe('Internal server error: the request id identifies it in our logs');
      expect(err.extensions!.code).toBe('INTERNAL_SERVER_ERROR');
      expect(err.extensions!.stacktrace).toBeUndefined();
      expect(body).not.toContain('10.1.2.3');
      expect(body).not.toContain('builtin-ledger');
      expect(body).not.toMatch(/\bat \S+:\d+/);
      const requestId = res.headers.get('x-request-id')!;
      expect(err.extensions!.requestId).toBe(requestId);
      const logged = logLines.find(
        (l) => l.msg === 'unexpected error' && l.requestId === requestId,
      );
      expect(logged, 'the unexpected error is logged with the request id').toBeDefined();
      expect(JSON.stringify(logged)).toContain('10.1.2.3');
      expect(logged!.err!.stack).toContain('Error');
    } finally {
      spy.mockRestore();
    }
  });

  it('a client-sent request id is used when it is well-formed, replaced when not', async () => {
    const send = (id: string) =>
      fetch(srv.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': id },
        body: JSON.stringify({ query: '{ viewer { user { id } } }' }),
      });
    const ok = await send('partner-trace.42');
    expect(ok.headers.get('x-request-id')).toBe('partner-trace.42');
    const body = (await ok.json()) as { errors: { extensions: { requestId: string } }[] };
    expect(body.errors[0].extensions.requestId).toBe('partner-trace.42');
    const bad = await send('<script>alert(1)</script>');
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('expected errors keep their message but never a stack trace', async () => {
    const res = await srv.client()(`{ viewer { user { id } } }`);
    expect(res.errors![0].extensions).toEqual({
      code: 'UNAUTHENTICATED',
      requestId: res.headers.get('x-request-id'),
    });
    const bad = await srv.client({ token: t.tokens.read })(
      `query($n: Int) { transfers(organizationId: "x", first: $n) { nodes { id } } }`,
      { n: 'ten' },
    );
    expect(bad.status).toBe(400);
    expect(bad.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(bad.errors![0].extensions!.stacktrace).toBeUndefined();
  });

  it('malformed JSON bodies get a 400 with a request id, not a stack', async () => {
    const res = await fetch(srv.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      errors: { message: string; extensions: Record<string, unknown> }[];
    };
    expect(body.errors[0].message).toBe('Malformed JSON body');
    expect(body.errors[0].extensions.requestId).toBe(res.headers.get('x-request-id'));
    expect(JSON.stringify(body)).not.toMatch(/node_modules|at JSON\.parse/);
  });

  it('a NUL character in the sign-in email is a wrong sign-in, not an internal error', async () => {
    const res = await srv.client()(
      `mutation($i: LoginInput!) { login(input: $i) { userErrors { code } } }`,
      {
        i: { email: 'admin@hyg.test\u0000', password: 'x' },
      },
    );
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ login: { userErrors: [{ code: 'INVALID_CREDENTIALS' }] } });
  });

  it('introspection: refused for anonymous callers, allowed with a token or a session', async () => {
    const q = `{ __schema { queryType { name } } }`;
    const anon = await srv.client()(q);
    expect(anon.status).toBe(400);
    expect(anon.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(anon.errors![0].message).toMatch(/introspection is not allowed/);
    const typeProbe = await srv.client()(`{ __type(name: "PurchaseInvoice") { fields { name } } }`);
    expect(typeProbe.status).toBe(400);
    const withToken = await srv.client({ token: t.tokens.read })(q);
    expect(withToken.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const session = await srv.login('viewer@hyg.test', 'correct horse battery');
    expect((await session(q)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    // __typename is not introspection.
    expect((await srv.client()(`{ __typename }`)).data).toEqual({ __typename: 'Query' });
  });

  it('field suggestions: hidden from anonymous callers, shown to authenticated ones', async () => {
    const typos = [
      `{ invoise(id: "x") { id } }`,
      `query($org: ID!) { invoices(organizationId: $org, tab: ALL, firts: 1) { totalCount } }`,
      `query($org: ID!) { invoices(organizationId: $org, tab: AL) { totalCount } }`,
    ];
    for (const q of typos) {
      const anon = await srv.client()(q, { org: t.orgId });
      expect(anon.status).toBe(400);
      for (const e of anon.errors!) expect(e.message, q).not.toMatch(/Did you mean/);
      const known = await srv.client({ token: t.tokens.read })(q, { org: t.orgId });
      expect(
        known.errors!.some((e) => /Did you mean/.test(e.message)),
        q,
      ).toBe(true);
    }
    // Input field names in variables too.
    const anonVar = await srv.client()(
      `mutation($i: LoginInput!) { login(input: $i) { userErrors { code } } }`,
      {
        i: { emial: 'a@b.c', password: 'x' },
      },
    );
    expect(anonVar.status).toBe(400);
    for (const e of anonVar.errors!) expect(e.message).not.toMatch(/Did you mean/);
  });
});
