/** A GraphQL-over-HTTP client for a server in this or another process. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index into results freely
type AnyData = any;

export interface GqlResponse<T = AnyData> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface Gql {
  <T = AnyData>(query: string, variables?: Record<string, unknown>): Promise<GqlResponse<T>>;
  /** The same, but throws unless the response has data and no top-level errors. */
  ok<T = AnyData>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

/** A client with a bearer token or a session cookie, against `url` (…/graphql). `url` may change (restarts). */
export function gqlClient(
  url: string | (() => string),
  auth: { token?: string; cookie?: string } = {},
): Gql {
  const target = typeof url === 'string' ? () => url : url;
  const call = async (query: string, variables?: Record<string, unknown>) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    if (auth.cookie) headers.cookie = auth.cookie;
    const res = await fetch(target(), {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: unknown; errors?: GqlResponse['errors'] };
    return { status: res.status, data: body.data, errors: body.errors } as GqlResponse;
  };
  const fn = call as Gql;
  fn.ok = async (query, variables) => {
    const res = await call(query, variables);
    if (!res.data || res.errors?.length) {
      throw new Error(
        `GraphQL error (HTTP ${res.status}): ${JSON.stringify(res.errors)} for ${query.slice(0, 80)}`,
      );
    }
    return res.data as AnyData;
  };
  return fn;
}

/** Logs in and returns the session cookie. */
export async function login(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `mutation($input: LoginInput!) { login(input: $input) { user { id } userErrors { code message } } }`,
      variables: { input: { email, password } },
    }),
  });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  const body = (await res.json()) as { data?: { login?: { userErrors: unknown[] } } };
  if (!cookie?.startsWith('ll_session=') || body.data?.login?.userErrors.length) {
    throw new Error(`login failed for ${email}: ${JSON.stringify(body)}`);
  }
  return cookie;
}

export const EXPORT_INVOICES = `mutation($input: ExportInvoicesInput!) { exportInvoices(input: $input) {
  batch { id total } transfers { id kind trigger invoice { id } } userErrors { code message field } } }`;
