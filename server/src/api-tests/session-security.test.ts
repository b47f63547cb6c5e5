/**
 * Browser session safety: CSRF prevention for cookie sessions, cookie attributes, expiry and
 * rotation, sign-in throttling per account and per address (shared by replicas), and sign-in
 * answers that do not reveal which accounts exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, TEST_PASSWORD, type Tenant } from '../testing/factories.js';
import { startTestServer, type TestServer } from '../testing/server.js';

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { user { id email } userErrors { code message field } } }`;
const VIEWER = `{ viewer { user { email } } }`;

async function rawPost(url: string, body: string, headers: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

describe('CSRF and cookies', () => {
  let srv: TestServer;
  let t: Tenant;

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    t = await createTenant(srv.db.orm, 'csrf');
  });
  afterAll(() => srv?.stop());

  it('the session cookie is HttpOnly, SameSite=Lax, path /, with an expiry; not Secure over plain HTTP in development', async () => {
    const res = await fetch(srv.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: LOGIN,
        variables: { input: { email: 'admin@csrf.test', password: TEST_PASSWORD } },
      }),
    });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^ll_session=[\w-]{40,};/);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//i);
    expect(cookie).toMatch(/; Expires=/i);
    expect(cookie).not.toMatch(/; Secure/i);
  });

  it('a cookie request that is not JSON and has no preflight header is refused before it runs', async () => {
    const admin = await srv.login('admin@csrf.test', TEST_PASSWORD);
    const countProcesses = async () =>
      (await srv.db.sql<{ n: number }>(`select count(*)::int as n from approval_process`))[0].n;
    const before = await countProcesses();
    const mutation = JSON.stringify({
      query: `mutation($i: CreateApprovalProcessInput!) { createApprovalProcess(input: $i) { approvalProcess { id } userErrors { code } } }`,
      variables: {
        i: {
          organizationId: t.orgId,
          name: 'Planted by CSRF',
          stages: [{ name: 'S', approverRole: 'ADMIN', transferFromThisStep: true }],
        },
      },
    });
    // What a cross-site <form> can send: text/plain, form-urlencoded, multipart; and a GET from <img>.
    for (const contentType of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await rawPost(srv.url, mutation, {
        'content-type': contentType,
        cookie: admin.cookie!,
      });
      expect(res.status, `${contentType}: ${res.text}`).toBe(400);
      expect(res.text).toMatch(/CSRF|preflight/i);
    }
    const get = await fetch(`${srv.url}?query=${encodeURIComponent(VIEWER)}`, {
      headers: { cookie: admin.cookie! },
    });
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/CSRF|preflight/i);
    expect(await countProcesses()).toBe(before);

    // The same requests with JSON, or with the preflight header, are the SPA's and run.
    const json = await rawPost(srv.url, JSON.stringify({ query: VIEWER }), {
      'content-type': 'application/json',
      cookie: admin.cookie!,
    });
    expect(JSON.parse(json.text).data.viewer.user.email).toBe('admin@csrf.test');
    const preflighted = await fetch(`${srv.url}?query=${encodeURIComponent(VIEWER)}`, {
      headers: { cookie: admin.cookie!, 'apollo-require-preflight': 'true' },
    });
    expect(
      ((await preflighted.json()) as { data: { viewer: { user: { email: string } } } }).data.viewer
        .user.email,
    ).toBe('admin@csrf.test');
  });

  it('no CORS: a cross-origin preflight gets no Access-Control-Allow-Origin', async () => {
    const res = await fetch(srv.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('sessions: expiry and rotation', () => {
  let srv: TestServer;

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    await createTenant(srv.db.orm, 'sess');
  });
  afterAll(() => srv?.stop());

  it('every sign-in issues a new token and revokes the one the browser presented', async () => {
    const first = await srv.login('viewer@sess.test', TEST_PASSWORD);
    const oldCookie = first.cookie!;
    // Sign in again in the same browser (it sends its current cookie along).
    const again = srv.client({ cookie: oldCookie });
    const res = await again(LOGIN, {
      input: { email: 'viewer@sess.test', password: TEST_PASSWORD },
    });
    expect(res.data!.login.userErrors).toEqual([]);
    expect(again.cookie).toBeDefined();
    expect(again.cookie).not.toBe(oldCookie);
    expect((await again(VIEWER)).data!.viewer.user.email).toBe('viewer@sess.test');
    const stale = await srv.client({ cookie: oldCookie })(VIEWER);
    expect(stale.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('a planted cookie (session fixation) dies at sign-in, even when it belonged to someone else', async () => {
    const victimsPlanted = await srv.login('approver@sess.test', TEST_PASSWORD);
    const planted = victimsPlanted.cookie!;
    const browser = srv.client({ cookie: planted });
    await browser(LOGIN, { input: { email: 'admin@sess.test', password: TEST_PASSWORD } });
    expect((await srv.client({ cookie: planted })(VIEWER)).errors![0].extensions!.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('an expired session is no session', async () => {
    const c = await srv.login('accountant@sess.test', TEST_PASSWORD);
    expect((await c(VIEWER)).errors).toBeUndefined();
    await srv.db.sql(
      `update user_session set expires_at = now() - interval '1 second' where revoked_at is null and user_id = (select id from app_user where email = 'accountant@sess.test')`,
    );
    expect((await c(VIEWER)).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('the session lasts LEDGERLINK_SESSION_TTL_HOURS (12 by default)', async () => {
    await srv.login('admin@sess.test', TEST_PASSWORD);
    const [row] = await srv.db.sql<{ hours: number }>(
      `select extract(epoch from expires_at - created_at) / 3600 as hours from user_session order by created_at desc limit 1`,
    );
    expect(Math.round(Number(row.hours))).toBe(12);
  });

  it('logout everywhere ends every session of the user', async () => {
    const one = await srv.login('viewer@sess.test', TEST_PASSWORD);
    const two = await srv.login('viewer@sess.test', TEST_PASSWORD);
    const someoneElse = await srv.login('approver@sess.test', TEST_PASSWORD);
    // The client drops its cookie on logout; replay the one it held to ask about that session.
    const loggedOutCookie = one.cookie!;
    const out = await one(
      `mutation { logout(input: { everywhere: true }) { userErrors { code } } }`,
    );
    expect(out.data!.logout.userErrors).toEqual([]);
    expect(
      (await srv.client({ cookie: loggedOutCookie })(VIEWER)).errors![0].extensions!.code,
    ).toBe('UNAUTHENTICATED');
    expect((await two(VIEWER)).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    const [live] = await srv.db.sql<{ n: number }>(
      `select count(*)::int as n from user_session where revoked_at is null and expires_at > now() and user_id = (select id from app_user where email = 'viewer@sess.test')`,
    );
    expect(live.n).toBe(0);
    // Another user's session is not the user's.
    expect((await someoneElse(VIEWER)).data!.viewer.user.email).toBe('approver@sess.test');
  });

  it('the session cookie is Secure in production', async () => {
    const prod = await startTestServer({
      db: srv.db,
      env: { NODE_ENV: 'production', LEDGERLINK_WORKER: 'off' },
    });
    try {
      const res = await fetch(prod.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: LOGIN,
          variables: { input: { email: 'admin@sess.test', password: TEST_PASSWORD } },
        }),
      });
      expect(res.headers.get('set-cookie')).toMatch(/; Secure/i);
    } finally {
      await prod.stop();
    }
  });
});

describe('sign-in throttling and account enumeration', () => {
  const ENV = {
    LEDGERLINK_WORKER: 'off',
    LEDGERLINK_LOGIN_ACCOUNT_BURST: '3',
    LEDGERLINK_LOGIN_ACCOUNT_REFILL_SECONDS: '5',
    LEDGERLINK_LOGIN_ADDRESS_BURST: '8',
    LEDGERLINK_LOGIN_ADDRESS_REFILL_SECONDS: '10',
  };
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    a = await startTestServer({ env: ENV });
    b = await startTestServer({ env: ENV, db: a.db });
    await createTenant(a.db.orm, 'thr');
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  const attempt = (srv: TestServer, email: string, password: string) =>
    srv.client()(LOGIN, { input: { email, password } });
  const clearBuckets = () => a.db.sql(`delete from rate_limit_bucket`);

  it('unknown email and wrong password answer alike', async () => {
    await clearBuckets();
    const unknown = await attempt(a, 'nobody@thr.test', 'whatever-password');
    const wrong = await attempt(a, 'admin@thr.test', 'whatever-password');
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.data).toEqual(wrong.data);
    expect(wrong.data!.login).toEqual({
      user: null,
      userErrors: [
        { code: 'INVALID_CREDENTIALS', message: 'The email or password is not right', field: null },
      ],
    });
  });

  it('per account: after the burst of failures the account is throttled, on every replica, even with the right password', async () => {
    await clearBuckets();
    for (let i = 0; i < 3; i++) {
      const r = await attempt(i % 2 ? a : b, 'approver@thr.test', `wrong-${i}`);
      expect(r.data!.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
    }
    const throttled = await attempt(b, 'approver@thr.test', TEST_PASSWORD);
    expect(throttled.data!.login.user).toBeNull();
    expect(throttled.data!.login.userErrors[0].code).toBe('THROTTLED');
    expect(throttled.data!.login.userErrors[0].message).toMatch(/try again in \d+ seconds/);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Other accounts from the same address still sign in.
    expect((await attempt(a, 'viewer@thr.test', TEST_PASSWORD)).data!.login.userErrors).toEqual([]);
    // After the refill the right password works again.
    await new Promise((r) =>
      setTimeout(r, Number(throttled.headers.get('retry-after')) * 1000 + 100),
    );
    expect((await attempt(a, 'approver@thr.test', TEST_PASSWORD)).data!.login.userErrors).toEqual(
      [],
    );
  });

  it('a throttled unknown email looks exactly like a throttled real account', async () => {
    await clearBuckets();
    const last = async (email: string) => {
      let r;
      for (let i = 0; i < 4; i++) r = await attempt(a, email, 'wrong-password');
      return r!;
    };
    const real = await last('accountant@thr.test');
    const ghost = await last('ghost@thr.test');
    expect(real.data!.login.userErrors[0].code).toBe('THROTTLED');
    // The same answer, up to the seconds left (which depend on when each attempt ran).
    const shape = (r: typeof real) => JSON.stringify(r.data).replace(/\d+ seconds/, 'N seconds');
    expect(shape(ghost)).toBe(shape(real));
    expect(ghost.status).toBe(real.status);
  });

  it('per address: many accounts from one address are throttled too; successful sign-ins do not count', async () => {
    await clearBuckets();
    for (let i = 0; i < 5; i++)
      expect((await attempt(a, 'admin@thr.test', TEST_PASSWORD)).data!.login.userErrors).toEqual(
        [],
      );
    const codes: string[] = [];
    for (let i = 0; i < 9; i++) {
      const r = await attempt(i % 2 ? a : b, `user${i}@thr.test`, 'wrong-password');
      codes.push(r.data!.login.userErrors[0].code);
    }
    expect(codes.slice(0, 8)).toEqual(Array(8).fill('INVALID_CREDENTIALS'));
    expect(codes[8]).toBe('THROTTLED');
  });

  it('oversized input is refused like any wrong password', async () => {
    await clearBuckets();
    const r = await attempt(a, 'admin@thr.test', 'x'.repeat(100_000));
    expect(r.data!.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
  });
});
