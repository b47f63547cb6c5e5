/**
 * Audit: one `api.mutation` event per mutation call that ran (actor, organization, operation,
 * result, request id), the database refusing to change or delete audit events, and retention.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpired } from '../modules/maintenance/retention.js';
import {
  createInvoice,
  createTenant,
  gid,
  TEST_PASSWORD,
  type Tenant,
} from '../testing/factories.js';
import { startTestServer, type TestServer } from '../testing/server.js';

interface AuditRow {
  organization_id: string | null;
  actor_type: string;
  actor_user_id: string | null;
  actor_api_client_id: string | null;
  system_name: string | null;
  entity_type: string;
  entity_id: string;
  details: Record<string, unknown> & { ip?: string; userErrors?: string[] };
  request_id: string;
}

const POST = `mutation($input: PostInvoiceInput!) { postInvoice(input: $input) { invoice { id } userErrors { code } } }`;

describe('api.mutation audit events', () => {
  let srv: TestServer;
  let a: Tenant;
  let b: Tenant;

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    a = await createTenant(srv.db.orm, 'aud');
    b = await createTenant(srv.db.orm, 'audb');
  });
  afterAll(() => srv?.stop());

  const rowsFor = (requestId: string) =>
    srv.db.sql<AuditRow>(
      `select organization_id, actor_type, actor_user_id, actor_api_client_id, system_name, entity_type, entity_id, details, request_id
       from audit_event where action = 'api.mutation' and request_id = $1 order by at, id`,
      [requestId],
    );

  it('a successful mutation by an API token: actor, organization, operation, OK, request id', async () => {
    const inv = await createInvoice(srv.db.orm.em.fork(), a, {
      status: 'DRAFT' as never,
      posted: false,
    });
    const c = srv.client({ token: a.tokens.write });
    const res = await c(POST, {
      input: { invoiceId: gid('PurchaseInvoice', inv.id), version: inv.version },
    });
    expect(res.data!.postInvoice.userErrors).toEqual([]);
    const rows = await rowsFor(res.headers.get('x-request-id')!);
    expect(rows).toHaveLength(1);
    const [clientRow] = await srv.db.sql<{ id: string }>(
      `select id from api_client where organization_id = $1 and name = 'write token'`,
      [a.org.id],
    );
    expect(rows[0]).toMatchObject({
      organization_id: a.org.id,
      actor_type: 'API_CLIENT',
      actor_api_client_id: clientRow.id,
      entity_type: 'PurchaseInvoice',
      entity_id: inv.id,
      details: { operation: 'postInvoice', result: 'OK', target: gid('PurchaseInvoice', inv.id) },
    });
    expect(rows[0].details.ip).toMatch(/127\.0\.0\.1/);
  });

  it('refused calls are recorded with their codes; one row per aliased mutation field', async () => {
    const viewer = await srv.login('viewer@aud.test', TEST_PASSWORD);
    const inv = await createInvoice(srv.db.orm.em.fork(), a, {
      status: 'DRAFT' as never,
      posted: false,
    });
    const res = await viewer(
      `mutation($ok: PostInvoiceInput!, $missing: PostInvoiceInput!) {
        first: postInvoice(input: $ok) { userErrors { code } }
        second: postInvoice(input: $missing) { userErrors { code } } }`,
      {
        ok: { invoiceId: gid('PurchaseInvoice', inv.id), version: inv.version },
        missing: {
          invoiceId: gid('PurchaseInvoice', '00000000-0000-4000-8000-000000000000'),
          version: 1,
        },
      },
    );
    expect(res.data!.first.userErrors[0].code).toBe('FORBIDDEN');
    expect(res.data!.second.userErrors[0].code).toBe('NOT_FOUND');
    const rows = await rowsFor(res.headers.get('x-request-id')!);
    expect(
      rows.map((r) => [r.organization_id, r.actor_type, r.details.result, r.details.userErrors]),
    ).toEqual([
      [a.org.id, 'USER', 'REFUSED', ['FORBIDDEN']],
      [null, 'USER', 'REFUSED', ['NOT_FOUND']],
    ]);
    expect(rows[0].actor_user_id).toBe(a.users.viewer.id);
  });

  it("probing another organization's object: a token's row lands in its own organization; the target is not resolved", async () => {
    const foreign = await createInvoice(srv.db.orm.em.fork(), b, {
      status: 'DRAFT' as never,
      posted: false,
    });
    const c = srv.client({ token: a.tokens.write });
    const res = await c(POST, {
      input: { invoiceId: gid('PurchaseInvoice', foreign.id), version: foreign.version },
    });
    expect(res.data!.postInvoice.userErrors[0].code).toBe('NOT_FOUND');
    const [row] = await rowsFor(res.headers.get('x-request-id')!);
    expect(row.organization_id).toBe(a.org.id);
    expect(row.entity_type).toBe('ApiClient');
    expect(row.details).toMatchObject({
      result: 'REFUSED',
      userErrors: ['NOT_FOUND'],
      target: gid('PurchaseInvoice', foreign.id),
    });
  });

  it('sign-ins: the user on success, anonymous on failure, never the password', async () => {
    const login = `mutation($input: LoginInput!) { login(input: $input) { userErrors { code } } }`;
    const ok = await srv.client()(login, {
      input: { email: 'Admin@Aud.test ', password: TEST_PASSWORD },
    });
    const bad = await srv.client()(login, {
      input: { email: 'admin@aud.test', password: 'not-the-password' },
    });
    const [okRow] = await rowsFor(ok.headers.get('x-request-id')!);
    const [badRow] = await rowsFor(bad.headers.get('x-request-id')!);
    expect(okRow).toMatchObject({
      organization_id: null,
      actor_type: 'USER',
      actor_user_id: a.users.admin.id,
      details: { operation: 'login', result: 'OK', email: 'admin@aud.test' },
    });
    expect(badRow).toMatchObject({
      organization_id: null,
      actor_type: 'SYSTEM',
      system_name: 'anonymous',
      details: { result: 'REFUSED', userErrors: ['INVALID_CREDENTIALS'] },
    });
    expect(JSON.stringify([okRow, badRow])).not.toContain('not-the-password');
    expect(JSON.stringify([okRow, badRow])).not.toContain(TEST_PASSWORD);
  });

  it('documents that fail validation run no mutation and write no row', async () => {
    const before = await srv.db.sql<{ n: number }>(`select count(*)::int as n from audit_event`);
    const res = await srv.client({ token: a.tokens.write })(POST, {
      input: { invoiceId: 5, version: 'x' },
    });
    expect(res.status).toBe(400);
    expect(await srv.db.sql<{ n: number }>(`select count(*)::int as n from audit_event`)).toEqual(
      before,
    );
  });

  it('the database refuses to change or delete audit events, whoever asks', async () => {
    const [{ n }] = await srv.db.sql<{ n: number }>(`select count(*)::int as n from audit_event`);
    expect(n).toBeGreaterThan(0);
    await expect(srv.db.sql(`update audit_event set action = 'tampered'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(srv.db.sql(`delete from audit_event`)).rejects.toThrow(/append-only/);
    // TRUNCATE skips row triggers; a statement trigger refuses it too.
    await expect(srv.db.sql(`truncate audit_event`)).rejects.toThrow(/append-only/);
    const em = srv.db.orm.em.fork();
    await expect(
      em
        .getConnection()
        .execute(`update audit_event set details = '{}'::jsonb where action = 'api.mutation'`),
    ).rejects.toThrow(/append-only/);
    expect(
      (
        await srv.db.sql<{ n: number }>(
          `select count(*)::int as n from audit_event where action = 'tampered'`,
        )
      )[0].n,
    ).toBe(0);
    expect(
      (await srv.db.sql<{ n: number }>(`select count(*)::int as n from audit_event`))[0].n,
    ).toBe(n);
    // Inserting stays possible.
    await srv.db.sql(
      `insert into audit_event (id, organization_id, action, actor_type, system_name, entity_type, entity_id, details) values (gen_random_uuid(), $1, 'test.insert', 'SYSTEM', 'test', 'Organization', $1, '{}')`,
      [a.org.id],
    );
  });
});

describe('retention', () => {
  let srv: TestServer;
  let t: Tenant;

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    t = await createTenant(srv.db.orm, 'ret');
  });
  afterAll(() => srv?.stop());

  it('idempotency keys live 30 days, old sessions and idle buckets go; audit events stay', async () => {
    const key = (k: string, age: string) =>
      srv.db.sql(
        `insert into idempotency_record (organization_id, key, operation, request_hash, response, created_at) values ($1, $2, 'test', 'h', 'null', now() - $3::interval)`,
        [t.org.id, k, age],
      );
    await key('fresh', '1 day');
    await key('day-29', '29 days 23 hours');
    await key('day-31', '31 days');
    await srv.db.sql(
      `insert into user_session (token_hash, user_id, created_at, expires_at) values ('old', $1, now() - interval '60 days', now() - interval '59 days'), ('live', $1, now(), now() + interval '1 hour')`,
      [t.users.viewer.id],
    );
    await srv.db.sql(
      `insert into rate_limit_bucket (key, available, updated_at) values ('idle', 1, now() - interval '2 days'), ('busy', 1, now())`,
    );
    const audits = await srv.db.sql(`select count(*)::int as n from audit_event`);

    const purged = await purgeExpired(srv.db.orm);
    expect(purged.idempotencyKeys).toBe(1);
    expect(
      (await srv.db.sql<{ key: string }>(`select key from idempotency_record order by key`)).map(
        (r) => r.key,
      ),
    ).toEqual(['day-29', 'fresh']);
    expect(
      (
        await srv.db.sql<{ token_hash: string }>(
          `select token_hash from user_session where token_hash in ('old', 'live')`,
        )
      ).map((r) => r.token_hash),
    ).toEqual(['live']);
    expect(
      (
        await srv.db.sql<{ key: string }>(
          `select key from rate_limit_bucket where key in ('idle', 'busy')`,
        )
      ).map((r) => r.key),
    ).toEqual(['busy']);
    expect(await srv.db.sql(`select count(*)::int as n from audit_event`)).toEqual(audits);
  });

  it('runs hourly as a graphile-worker cron task in every worker process', async () => {
    const { RETENTION_CRONTAB, RETENTION_TASK } =
      await import('../modules/maintenance/retention.js');
    expect(RETENTION_CRONTAB).toBe(`17 * * * * ${RETENTION_TASK}`);
    const worker = await startTestServer({ db: srv.db, env: { LEDGERLINK_WORKER: 'on' } });
    try {
      // graphile-worker registers the crontab's tasks in its schema when the runner starts.
      let known: string[] = [];
      for (let i = 0; i < 50 && !known.includes(RETENTION_TASK); i++) {
        await new Promise((r) => setTimeout(r, 100));
        known = (
          await srv.db.sql<{ identifier: string }>(
            `select identifier from graphile_worker._private_known_crontabs`,
          )
        ).map((k) => k.identifier);
      }
      expect(known).toContain(RETENTION_TASK);
    } finally {
      await worker.stop();
    }
  });
});
