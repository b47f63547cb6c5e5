/**
 * `members`: an organization's members for admins (to name approvers), over real HTTP on a real
 * database: order, paging, search, role filter, who may ask, and a foreign organization looking
 * exactly like a missing one.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../auth/password.js';
import { createTenant, gid, TEST_PASSWORD, type Tenant } from '../../testing/factories.js';
import { startTestServer, type GqlClient, type TestServer } from '../../testing/server.js';
import { User } from '../users/user.entity.js';
import { Membership, Role } from './organization.entity.js';

const MEMBERS = `query($org: ID!, $first: Int, $after: String, $search: String, $role: [Role!]) {
  members(organizationId: $org, first: $first, after: $after, search: $search, role: $role) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { role active user { id name email } } }
  } }`;
const UPDATE_PROCESS = `mutation($input: UpdateApprovalProcessInput!) {
  updateApprovalProcess(input: $input) {
    approvalProcess { id version stages { name approvers { id email } } }
    userErrors { code message field } } }`;

interface MemberRow {
  role: string;
  active: boolean;
  user: { id: string; name: string; email: string };
}

describe('members', () => {
  let srv: TestServer;
  let a: Tenant;
  let b: Tenant;
  let admin: GqlClient;
  /** Users added to `a` besides the factory's four, by a short key. */
  const extra: Record<string, User> = {};

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    a = await createTenant(srv.db.orm, 'mem');
    b = await createTenant(srv.db.orm, 'memb');
    const em = srv.db.orm.em.fork();
    const passwordHash = await hashPassword(TEST_PASSWORD);
    const add = (key: string, name: string, role: Role, opts: { active?: boolean } = {}) => {
      const user = em.create(User, {
        email: `${key}@mem.test`,
        name,
        passwordHash,
        active: opts.active ?? true,
      });
      em.create(Membership, { organization: a.org, user, role });
      extra[key] = user;
      return user;
    };
    add('aino', 'Aino Virtanen', Role.APPROVER);
    // Equal names: the user id decides.
    add('twin1', 'Same Name', Role.ACCOUNTANT);
    add('twin2', 'Same Name', Role.VIEWER);
    add('wild', 'Eero 100%_off', Role.APPROVER);
    add('gone', 'Inactive Person', Role.APPROVER, { active: false });
    // A member of both organizations, with a different role in each.
    const both = add('both', 'Both Orgs', Role.VIEWER);
    em.create(Membership, { organization: b.org, user: both, role: Role.ADMIN });
    await em.flush();
    admin = await srv.login(a.users.admin.email, TEST_PASSWORD);
  });
  afterAll(() => srv?.stop());

  const list = async (client: GqlClient, variables: Record<string, unknown>) => {
    const res = await client(MEMBERS, { org: a.orgId, ...variables });
    expect(res.errors).toBeUndefined();
    return res.data!.members as {
      totalCount: number;
      pageInfo: {
        hasNextPage: boolean;
        hasPreviousPage: boolean;
        startCursor: string | null;
        endCursor: string | null;
      };
      edges: { cursor: string; node: MemberRow }[];
    };
  };
  const emails = (c: { edges: { node: MemberRow }[] }) => c.edges.map((e) => e.node.user.email);
  const errorCode = async (client: GqlClient, variables: Record<string, unknown>) =>
    (await client(MEMBERS, { org: a.orgId, ...variables })).errors?.[0]?.extensions?.code;

  it('lists every member of the organization by name, then id, with user, role and active', async () => {
    const expected = await srv.db.sql<{ email: string }>(
      `select u.email from membership m join app_user u on u.id = m.user_id
        where m.organization_id = $1 order by u.name, u.id`,
      [a.org.id],
    );
    expect(expected).toHaveLength(10);
    const all = await list(admin, { first: 100 });
    expect(emails(all)).toEqual(expected.map((r) => r.email));
    expect(all.totalCount).toBe(10);
    expect(all.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    // Same name: ordered by user id.
    const twins = [extra.twin1, extra.twin2].sort((x, y) => (x.id < y.id ? -1 : 1));
    expect(emails(all).filter((e) => e.startsWith('twin'))).toEqual(twins.map((u) => u.email));
    const byEmail = new Map(all.edges.map((e) => [e.node.user.email, e.node]));
    expect(byEmail.get('aino@mem.test')).toEqual({
      role: 'APPROVER',
      active: true,
      user: { id: gid('User', extra.aino.id), name: 'Aino Virtanen', email: 'aino@mem.test' },
    });
    expect(byEmail.get('gone@mem.test')).toMatchObject({ role: 'APPROVER', active: false });
    expect(byEmail.get(a.users.admin.email)).toMatchObject({ role: 'ADMIN', active: true });
    // The role is the one in this organization; the other organization's people are absent.
    expect(byEmail.get('both@mem.test')!.role).toBe('VIEWER');
    expect([...byEmail.keys()].some((e) => e.endsWith('@memb.test'))).toBe(false);
    const inB = await list(await srv.login(b.users.admin.email, TEST_PASSWORD), {
      org: b.orgId,
      first: 100,
    });
    expect(inB.totalCount).toBe(5);
    expect(inB.edges.find((e) => e.node.user.email === 'both@mem.test')!.node.role).toBe('ADMIN');
  });

  it('pages with first/after: the pages add up to the whole list, without overlap', async () => {
    const whole = emails(await list(admin, { first: 100 }));
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; ; page++) {
      const c = await list(admin, { first: 3, after });
      expect(c.edges.length).toBeLessThanOrEqual(3);
      expect(c.totalCount).toBe(10);
      expect(c.pageInfo.hasPreviousPage).toBe(page > 0);
      expect(c.pageInfo.endCursor).toBe(c.edges.at(-1)?.cursor ?? null);
      seen.push(...emails(c));
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(seen).toEqual(whole);
    // The default page is 20; 0 is an empty page.
    expect((await list(admin, {})).edges).toHaveLength(10);
    const none = await list(admin, { first: 0 });
    expect(none.edges).toEqual([]);
    expect(none.pageInfo.hasNextPage).toBe(true);
  });

  it('refuses a page size beyond 100 and a made-up cursor as BAD_USER_INPUT', async () => {
    expect(await errorCode(admin, { first: 101 })).toBe('BAD_USER_INPUT');
    expect(await errorCode(admin, { first: -1 })).toBe('BAD_USER_INPUT');
    expect(await errorCode(admin, { first: 100 })).toBeUndefined();
    for (const after of [
      'nonsense',
      Buffer.from(JSON.stringify(['Aino', 'not-a-uuid'])).toString('base64url'),
      Buffer.from(JSON.stringify(['Aino'])).toString('base64url'),
    ])
      expect(await errorCode(admin, { after }), after).toBe('BAD_USER_INPUT');
    expect(await errorCode(admin, { search: 'x'.repeat(101) })).toBe('BAD_USER_INPUT');
  });

  it('search matches name or email, case-insensitively; LIKE wildcards match only themselves', async () => {
    expect(emails(await list(admin, { search: 'VIRTANEN' }))).toEqual(['aino@mem.test']);
    expect(emails(await list(admin, { search: ' Aino@MEM ' }))).toEqual(['aino@mem.test']);
    const twins = await list(admin, { search: 'same name' });
    expect(twins.totalCount).toBe(2);
    expect(emails(twins).sort()).toEqual(['twin1@mem.test', 'twin2@mem.test']);
    // `%` and `_` are not wildcards: only the name containing them matches.
    for (const search of ['%', '_', '0%_o'])
      expect(emails(await list(admin, { search })), search).toEqual(['wild@mem.test']);
    expect((await list(admin, { search: '\\' })).edges).toEqual([]);
    expect((await list(admin, { search: 'nobody-by-this-name' })).totalCount).toBe(0);
    // Blank search: everyone.
    expect((await list(admin, { search: '   ' })).totalCount).toBe(10);
    // Someone of the other organization is not found by search either.
    expect((await list(admin, { search: '@memb.test' })).totalCount).toBe(0);
  });

  it('filters by role (one or several), also with search and paging', async () => {
    const approvers = await list(admin, { role: 'APPROVER', first: 100 });
    expect(approvers.edges.every((e) => e.node.role === 'APPROVER')).toBe(true);
    expect(emails(approvers).sort()).toEqual(
      ['aino@mem.test', 'approver@mem.test', 'gone@mem.test', 'wild@mem.test'].sort(),
    );
    expect(approvers.totalCount).toBe(4);
    const several = await list(admin, { role: ['ACCOUNTANT', 'ADMIN'], first: 100 });
    expect(emails(several).sort()).toEqual(
      ['accountant@mem.test', 'admin@mem.test', 'twin1@mem.test'].sort(),
    );
    const filtered = await list(admin, { role: ['VIEWER'], search: 'same' });
    expect(emails(filtered)).toEqual(['twin2@mem.test']);
    expect(filtered.totalCount).toBe(1);
    const page1 = await list(admin, { role: 'APPROVER', first: 2 });
    const page2 = await list(admin, {
      role: 'APPROVER',
      first: 2,
      after: page1.pageInfo.endCursor,
    });
    expect([...emails(page1), ...emails(page2)]).toEqual(emails(approvers));
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });

  it('only admins and admin-scoped tokens: other roles and scopes are FORBIDDEN, anonymous UNAUTHENTICATED', async () => {
    for (const role of ['accountant', 'approver', 'viewer'] as const) {
      const c = await srv.login(a.users[role].email, TEST_PASSWORD);
      expect(await errorCode(c, {}), role).toBe('FORBIDDEN');
    }
    for (const scope of ['read', 'write', 'export'] as const)
      expect(await errorCode(srv.client({ token: a.tokens[scope] }), {}), scope).toBe('FORBIDDEN');
    expect((await list(srv.client({ token: a.tokens.admin }), {})).totalCount).toBe(10);
    expect(await errorCode(srv.client(), {})).toBe('UNAUTHENTICATED');
  });

  it('a foreign organization answers exactly like a missing one', async () => {
    const foreign = await admin(MEMBERS, { org: b.orgId });
    const missing = await admin(MEMBERS, { org: gid('Organization', randomUUID()) });
    const malformed = await admin(MEMBERS, { org: 'not-an-id' });
    expect(foreign.errors![0].extensions!.code).toBe('NOT_FOUND');
    const body = (r: typeof foreign) => ({
      status: r.status,
      data: r.data,
      errors: r.errors!.map((e) => ({ message: e.message, code: e.extensions!.code })),
    });
    expect(body(foreign)).toEqual(body(missing));
    expect(body(malformed)).toEqual(body(missing));
    // Also for a foreign organization's own token.
    expect(await errorCode(srv.client({ token: b.tokens.admin }), {})).toBe('NOT_FOUND');
  });

  it('a colleague found through members can be named an approver; a user of another organization cannot', async () => {
    const [found] = (await list(admin, { search: 'aino' })).edges;
    const process = {
      approvalProcessId: gid('ApprovalProcess', a.process.id),
      version: a.process.version,
    };
    const stages = (approverUserIds: string[]) =>
      a.stages.map((s, i) => ({
        id: gid('ApprovalStage', s.id),
        name: s.name,
        approverRole: s.approverRole,
        approverUserIds: i === 0 ? approverUserIds : [],
        transferFromThisStep: s.transferFromThisStep,
      }));
    const foreignUser = gid('User', b.users.approver.id);
    const refused = (
      await admin(UPDATE_PROCESS, { input: { ...process, stages: stages([foreignUser]) } })
    ).data!.updateApprovalProcess;
    expect(refused.approvalProcess).toBeNull();
    expect(refused.userErrors).toEqual([
      {
        code: 'NOT_FOUND',
        message: 'User not found in this organization',
        field: ['stages', '0', 'approverUserIds', '0'],
      },
    ]);
    const saved = (
      await admin(UPDATE_PROCESS, { input: { ...process, stages: stages([found.node.user.id]) } })
    ).data!.updateApprovalProcess;
    expect(saved.userErrors).toEqual([]);
    expect(saved.approvalProcess.stages[0].approvers).toEqual([
      { id: found.node.user.id, email: 'aino@mem.test' },
    ]);
  });
});
