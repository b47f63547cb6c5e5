/**
 * API token management over GraphQL: create (the secret once), list (never the secret), revoke
 * (the token stops working on HTTP at once and on open sockets within seconds).
 */
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sha256 } from '../../auth/tokens.js';
import { createSchema } from '../../schema.js';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../testing/factories.js';
import { startTestServer, type GqlClient, type TestServer } from '../../testing/server.js';

const CREATE = `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) {
  token apiToken { id name scopes tokenPrefix createdAt lastUsedAt revokedAt } userErrors { code message field } } }`;
const REVOKE = `mutation($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) {
  apiToken { id name revokedAt } userErrors { code message field } } }`;
const LIST = `query($org: ID!, $first: Int, $after: String, $includeRevoked: Boolean) {
  apiTokens(organizationId: $org, first: $first, after: $after, includeRevoked: $includeRevoked) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id name scopes tokenPrefix createdAt lastUsedAt revokedAt } } }`;
const VIEWER = `{ viewer { apiClient { name scopes } organizations { id } } }`;

describe('API tokens', () => {
  let srv: TestServer;
  let a: Tenant;
  let b: Tenant;
  let admin: GqlClient;

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    a = await createTenant(srv.db.orm, 'tok');
    b = await createTenant(srv.db.orm, 'tokb');
    admin = await srv.login('admin@tok.test', TEST_PASSWORD);
  });
  afterAll(() => srv?.stop());

  it('an admin creates a token: the secret comes once, works at once, and only its hash is stored', async () => {
    const res = await admin(CREATE, {
      input: {
        organizationId: a.orgId,
        name: '  Acme nightly sync  ',
        scopes: ['READ', 'EXPORT', 'READ'],
      },
    });
    const p = res.data!.createApiToken;
    expect(p.userErrors).toEqual([]);
    expect(p.token).toMatch(/^llk_[\w-]{43}$/);
    expect(p.apiToken).toMatchObject({
      name: 'Acme nightly sync',
      scopes: ['READ', 'EXPORT'],
      tokenPrefix: p.token.slice(0, 10),
      lastUsedAt: null,
      revokedAt: null,
    });

    const rows = await srv.db.sql(`select * from api_client where name = 'Acme nightly sync'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(sha256(p.token));
    expect(JSON.stringify(rows)).not.toContain(p.token);
    expect(rows[0].created_by_id).toBe(a.users.admin.id);

    const viaToken = await srv.client({ token: p.token })(VIEWER);
    expect(viaToken.data!.viewer).toEqual({
      apiClient: { name: 'Acme nightly sync', scopes: ['READ', 'EXPORT'] },
      organizations: [{ id: a.orgId }],
    });
    const history = await srv.db.sql(
      `select action, details from audit_event where entity_id = $1 and action = 'api_token.created'`,
      [rows[0].id],
    );
    expect(history).toEqual([
      {
        action: 'api_token.created',
        details: {
          name: 'Acme nightly sync',
          scopes: ['read', 'export'],
          tokenPrefix: p.token.slice(0, 10),
        },
      },
    ]);
  });

  it('the list shows name, scopes, prefix, created, last used and revoked, never a secret or its hash', async () => {
    const created = (
      await admin(CREATE, { input: { organizationId: a.orgId, name: 'Listed', scopes: ['WRITE'] } })
    ).data!.createApiToken;
    await srv.client({ token: created.token })(VIEWER);
    const res = await admin(LIST, { org: a.orgId });
    expect(res.errors).toBeUndefined();
    const list = res.data!.apiTokens;
    const listed = list.nodes.find((n: { id: string }) => n.id === created.apiToken.id);
    expect(listed.lastUsedAt).not.toBeNull();
    expect(Date.parse(listed.createdAt)).toBeLessThanOrEqual(Date.parse(listed.lastUsedAt));
    // Newest first; the factory's four tokens are there too.
    expect(list.nodes[0].id).toBe(created.apiToken.id);
    expect(list.totalCount).toBe(list.nodes.length);
    const body = JSON.stringify(res);
    for (const secret of [created.token, ...Object.values(a.tokens)]) {
      expect(body).not.toContain(secret);
      expect(body).not.toContain(sha256(secret));
    }
    // No field of ApiClient could carry it.
    const schema = await createSchema();
    const fields = Object.keys(
      (
        schema.getType('ApiClient') as unknown as { getFields(): Record<string, unknown> }
      ).getFields(),
    );
    expect(fields.sort()).toEqual([
      'createdAt',
      'id',
      'lastUsedAt',
      'name',
      'revokedAt',
      'scopes',
      'tokenPrefix',
    ]);
  });

  it('pages with first/after', async () => {
    const first = (await admin(LIST, { org: a.orgId, first: 2 })).data!.apiTokens;
    expect(first.nodes).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await admin(LIST, { org: a.orgId, first: 2, after: first.pageInfo.endCursor }))
      .data!.apiTokens;
    expect(second.nodes.map((n: { id: string }) => n.id)).not.toContain(first.nodes[0].id);
    const bad = await admin(LIST, {
      org: a.orgId,
      after: Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url'),
    });
    expect(bad.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('revoking: the token fails on its next request; revoking twice changes nothing; hidden with includeRevoked: false', async () => {
    const created = (
      await admin(CREATE, {
        input: { organizationId: a.orgId, name: 'Short-lived', scopes: ['READ'] },
      })
    ).data!.createApiToken;
    const partner = srv.client({ token: created.token });
    expect((await partner(VIEWER)).errors).toBeUndefined();
    const revoked = (await admin(REVOKE, { input: { apiTokenId: created.apiToken.id } })).data!
      .revokeApiToken;
    expect(revoked.userErrors).toEqual([]);
    expect(revoked.apiToken.revokedAt).not.toBeNull();
    const after = await partner(VIEWER);
    expect(after.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    const again = (await admin(REVOKE, { input: { apiTokenId: created.apiToken.id } })).data!
      .revokeApiToken;
    expect(again).toEqual(revoked);
    const live = (await admin(LIST, { org: a.orgId, includeRevoked: false, first: 100 })).data!
      .apiTokens.nodes;
    expect(live.map((n: { id: string }) => n.id)).not.toContain(created.apiToken.id);
    expect(live.every((n: { revokedAt: string | null }) => n.revokedAt === null)).toBe(true);
    const events = await srv.db.sql(
      `select action from audit_event where action like 'api_token.%' and details->>'name' = 'Short-lived' order by at`,
    );
    expect(events.map((e) => e.action)).toEqual(['api_token.created', 'api_token.revoked']);
  });

  it('only admins: other roles and scopes are refused; foreign organizations and tokens look missing', async () => {
    for (const role of ['accountant', 'approver', 'viewer'] as const) {
      const c = await srv.login(`${role}@tok.test`, TEST_PASSWORD);
      expect(
        (await c(CREATE, { input: { organizationId: a.orgId, name: 'x', scopes: ['READ'] } })).data!
          .createApiToken.userErrors[0].code,
      ).toBe('FORBIDDEN');
      expect((await c(LIST, { org: a.orgId })).errors![0].extensions!.code).toBe('FORBIDDEN');
    }
    for (const scope of ['read', 'write', 'export'] as const) {
      const c = srv.client({ token: a.tokens[scope] });
      expect(
        (await c(CREATE, { input: { organizationId: a.orgId, name: 'x', scopes: ['READ'] } })).data!
          .createApiToken.userErrors[0].code,
      ).toBe('FORBIDDEN');
    }
    const foreign = (
      await admin(CREATE, { input: { organizationId: b.orgId, name: 'x', scopes: ['READ'] } })
    ).data!.createApiToken;
    const missing = (
      await admin(CREATE, {
        input: {
          organizationId: 'T3JnYW5pemF0aW9uOjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMA',
          name: 'x',
          scopes: ['READ'],
        },
      })
    ).data!.createApiToken;
    expect(foreign).toEqual(missing);
    expect(foreign.userErrors[0].code).toBe('NOT_FOUND');
    const bTokens = await srv.db.sql<{ id: string }>(
      `select id from api_client where organization_id = $1 limit 1`,
      [b.org.id],
    );
    const bId = Buffer.from(`ApiClient:${bTokens[0].id}`).toString('base64url');
    const r = (await admin(REVOKE, { input: { apiTokenId: bId } })).data!.revokeApiToken;
    expect(r.userErrors).toEqual([
      { code: 'NOT_FOUND', message: 'API token not found', field: ['apiTokenId'] },
    ]);
    expect(
      (await srv.db.sql(`select revoked_at from api_client where id = $1`, [bTokens[0].id]))[0]
        .revoked_at,
    ).toBeNull();
    expect((await admin(LIST, { org: b.orgId })).errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  it('an admin-scoped token manages tokens but cannot mint stronger ones', async () => {
    const c = srv.client({ token: a.tokens.admin });
    const ok = (
      await c(CREATE, {
        input: { organizationId: a.orgId, name: 'Minted by token', scopes: ['ADMIN'] },
      })
    ).data!.createApiToken;
    expect(ok.userErrors).toEqual([]);
    const stronger = (
      await c(CREATE, {
        input: { organizationId: a.orgId, name: 'Escalation', scopes: ['ADMIN', 'EXPORT'] },
      })
    ).data!.createApiToken;
    expect(stronger.userErrors[0]).toMatchObject({ code: 'FORBIDDEN', field: ['scopes'] });
    expect(stronger.token).toBeNull();
    const revoked = (await c(REVOKE, { input: { apiTokenId: ok.apiToken.id } })).data!
      .revokeApiToken;
    expect(revoked.userErrors).toEqual([]);
  });

  it('validates name and scopes; caps live tokens at 50 per organization', async () => {
    const bad = async (input: Record<string, unknown>) =>
      (
        await admin(CREATE, {
          input: { organizationId: a.orgId, name: 'ok', scopes: ['READ'], ...input },
        })
      ).data!.createApiToken.userErrors;
    expect((await bad({ name: '   ' }))[0]).toMatchObject({ code: 'VALIDATION', field: ['name'] });
    expect((await bad({ name: 'x'.repeat(101) }))[0]).toMatchObject({
      code: 'VALIDATION',
      field: ['name'],
    });
    expect((await bad({ name: 'line\nbreak' }))[0]).toMatchObject({
      code: 'VALIDATION',
      field: ['name'],
    });
    expect((await bad({ scopes: [] }))[0]).toMatchObject({ code: 'VALIDATION', field: ['scopes'] });
    const [{ n }] = await srv.db.sql<{ n: number }>(
      `select count(*)::int as n from api_client where organization_id = $1 and revoked_at is null`,
      [a.org.id],
    );
    for (let i = n; i < 50; i++) expect(await bad({ name: `filler ${i}` })).toEqual([]);
    const over = await bad({ name: 'one too many' });
    expect(over[0].code).toBe('VALIDATION');
    expect(over[0].message).toMatch(/at most 50 active API tokens/);
  });
});

describe('a revoked token on an open socket', () => {
  let srv: TestServer;
  let t: Tenant;
  let hasSubscriptions = false;

  beforeAll(async () => {
    hasSubscriptions = !!(await createSchema()).getSubscriptionType();
    srv = await startTestServer({
      env: { LEDGERLINK_WORKER: 'off', LEDGERLINK_WS_AUTH_CHECK_MS: '200' },
    });
    t = await createTenant(srv.db.orm, 'sock');
  });
  afterAll(() => srv?.stop());

  it('is closed within seconds of the revocation', async (ctx) => {
    if (!hasSubscriptions) ctx.skip();
    const admin = await srv.login('admin@sock.test', TEST_PASSWORD);
    const created = (
      await admin(CREATE, { input: { organizationId: t.orgId, name: 'Socket', scopes: ['READ'] } })
    ).data!.createApiToken;
    let closedWith: { code: number; reason: string } | undefined;
    const client = createClient({
      url: srv.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${created.token}` },
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => {},
      on: {
        closed: (e) =>
          (closedWith = {
            code: (e as { code: number }).code,
            reason: String((e as { reason: unknown }).reason),
          }),
      },
    });
    const received: unknown[] = [];
    const errors: unknown[] = [];
    client.subscribe(
      {
        query: `subscription($org: ID!) { transferStatusChanged(organizationId: $org) { status } }`,
        variables: { org: t.orgId },
      },
      { next: (v) => received.push(v), error: (e) => errors.push(e), complete: () => {} },
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(closedWith).toBeUndefined();
    expect(errors).toEqual([]);
    await admin(REVOKE, { input: { apiTokenId: created.apiToken.id } });
    const started = Date.now();
    while (!closedWith && Date.now() - started < 10_000)
      await new Promise((r) => setTimeout(r, 50));
    expect(closedWith, 'the socket is closed').toBeDefined();
    expect(closedWith!.code).toBeGreaterThanOrEqual(4000);
    // And it cannot come back with the revoked token.
    let refused: { code: number } | undefined;
    const again = createClient({
      url: srv.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${created.token}` },
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => {},
      on: { closed: (e) => (refused = { code: (e as { code: number }).code }) },
    });
    const t0 = Date.now();
    while (!refused && Date.now() - t0 < 5_000) await new Promise((r) => setTimeout(r, 50));
    expect(refused?.code).toBeGreaterThanOrEqual(4000);
    await again.dispose();
    await client.dispose();
  });
});
