import type { Logger } from 'pino';
import { startApplication, type RunningApplication } from '../application.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface CostExtension {
  requestedQueryCost: number;
  actualQueryCost: number;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown>; path?: string[] }[];
  /** Top-level response extensions, e.g. the query cost. */
  extensions?: { cost?: CostExtension; [key: string]: unknown };
  headers: Headers;
}

export interface GqlClient {
  /** Sends one operation over real HTTP, with this client's credentials. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index into results freely
  <T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GqlResult<T>>;
  /** The session cookie this client holds, if it logged in. */
  cookie?: string;
}

export interface TestServer {
  app: RunningApplication;
  db: TestDatabase;
  url: string;
  /** A client with a bearer token, a session cookie, or no credentials. */
  client(auth?: { token?: string; cookie?: string }): GqlClient;
  /** Logs in with the login mutation and returns a client holding the session cookie. */
  login(email: string, password: string): Promise<GqlClient>;
  stop(): Promise<void>;
}

/** The tests' key for connection secrets (a fixed test-only value, never a real one). */
export const TEST_SECRET_KEY = 'c2VjcmV0LWtleS1vZi10aGUtdGVzdHMtb25seS0zMmI=';

/** A real Ledgerlink server (HTTP + GraphQL) on a fresh database and a free port. */
export async function startTestServer(
  opts: { env?: Record<string, string>; log?: Logger; db?: TestDatabase } = {},
): Promise<TestServer> {
  const db = opts.db ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: db.url,
    LEDGERLINK_SEED: 'none',
    LOG_LEVEL: 'silent',
    LEDGERLINK_SECRET_KEY: TEST_SECRET_KEY,
    // Functional tests fire bursts far beyond a partner's budget; the limits tests set their own.
    LEDGERLINK_COST_BUCKET_SIZE: '1000000000',
    LEDGERLINK_COST_RESTORE_RATE: '1000000',
    LEDGERLINK_SESSION_COST_BUCKET_SIZE: '1000000000',
    LEDGERLINK_SESSION_COST_RESTORE_RATE: '1000000',
    ...opts.env,
  });
  const log = opts.log ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', 'ledgerlink-test');
  const app = await startApplication(config, log);
  const url = `${app.url}/graphql`;

  const client = (auth: { token?: string; cookie?: string } = {}): GqlClient => {
    const fn = (async (query: string, variables?: Record<string, unknown>) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (auth.token) headers.authorization = `Bearer ${auth.token}`;
      const cookie = fn.cookie ?? auth.cookie;
      if (cookie) headers.cookie = cookie;
      const res = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      const setCookie = res.headers.get('set-cookie');
      if (setCookie?.startsWith('ll_session=')) {
        const value = setCookie.split(';')[0];
        fn.cookie = value === 'll_session=' ? undefined : value;
      }
      const body = (await res.json()) as {
        data?: unknown;
        errors?: GqlResult['errors'];
        extensions?: Record<string, unknown>;
      };
      return {
        status: res.status,
        data: body.data,
        errors: body.errors,
        extensions: body.extensions,
        headers: res.headers,
      };
    }) as GqlClient;
    return fn;
  };

  return {
    app,
    db,
    url,
    client,
    async login(email, password) {
      const c = client();
      const res = await c(
        `mutation($input: LoginInput!) { login(input: $input) { user { id } userErrors { code message } } }`,
        { input: { email, password } },
      );
      const payload = (res.data as { login?: { userErrors: unknown[] } } | undefined)?.login;
      if (!c.cookie || payload?.userErrors.length) {
        throw new Error(`login failed for ${email}: ${JSON.stringify(res.errors ?? payload)}`);
      }
      return c;
    },
    async stop() {
      await app.stop();
      if (!opts.db) await db.close();
    },
  };
}
