import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvoiceStatus } from '../modules/invoices/invoice.entity.js';
import { Membership, Role } from '../modules/organizations/organization.entity.js';
import { User } from '../modules/users/user.entity.js';
import {
  createInvoice,
  createTenant,
  gid,
  TEST_PASSWORD,
  type Tenant,
} from '../testing/factories.js';
import type { GqlClient } from '../testing/server.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import {
  APPROVE,
  codes,
  CREATE_PROCESS,
  DELETE_PROCESS,
  expectNoChange,
  mutate,
  ok,
  PROCESSES,
  SEND,
  UPDATE_PROCESS,
} from './write-api.helpers.js';

describe('approval process configuration', () => {
  let srv: TestServer;
  let t: Tenant;
  let other: Tenant;
  let admin: GqlClient;

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    t = await createTenant(srv.db.orm, 'config');
    other = await createTenant(srv.db.orm, 'other');
    admin = await srv.login(t.users.admin.email, TEST_PASSWORD);
  });
  afterAll(() => srv?.stop());

  const user = (u: { id: string }) => gid('User', u.id);
  const processes = async (tenant = t) =>
    (await admin(PROCESSES, { org: tenant.orgId })).data!.approvalProcesses;
  const defaults = async (tenant = t) =>
    Number(
      (
        await srv.db.sql(
          `select count(*) as n from approval_process where organization_id = $1 and is_default and deleted_at is null`,
          [tenant.org.id],
        )
      )[0].n,
    );
  let counter = 0;
  const twoStages = () => ({
    organizationId: t.orgId,
    name: `Process ${++counter}`,
    stages: [
      { name: 'Check', approverRole: 'APPROVER' },
      { name: 'Sign', approverUserIds: [user(t.users.accountant)], transferFromThisStep: true },
    ],
  });

  it('creates a process with stages, approvers and transfer flags, audited', async () => {
    const payload = await ok(admin, CREATE_PROCESS, twoStages());
    expect(payload.approvalProcess).toMatchObject({
      name: 'Process 1',
      isDefault: false,
      version: 1,
      stages: [
        {
          name: 'Check',
          position: 0,
          approverRole: 'APPROVER',
          approvers: [],
          transferFromThisStep: false,
        },
        {
          name: 'Sign',
          position: 1,
          approverRole: null,
          approvers: [{ email: t.users.accountant.email }],
          transferFromThisStep: true,
        },
      ],
    });
    const [audit] = await srv.db.sql(
      `select action, details, actor_user_id from audit_event where entity_id = $1`,
      [(await srv.db.sql(`select id from approval_process where name = 'Process 1'`))[0].id],
    );
    expect(audit).toMatchObject({
      action: 'approval_process.created',
      actor_user_id: t.users.admin.id,
    });
    expect(audit.details.after.stages).toHaveLength(2);
  });

  it('refuses invalid configurations with field paths, writing nothing', async () => {
    // A deactivated approver: nobody can save a stage as them.
    const em = srv.db.orm.em.fork();
    const gone = em.create(User, {
      email: `gone-${randomUUID()}@approval.test`,
      name: 'Gone Approver',
      passwordHash: 'x',
      active: false,
    });
    em.create(Membership, { organization: t.org.id, user: gone, role: Role.APPROVER });
    await em.flush();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ stages: [] }, 'stages', 'VALIDATION'],
      [{ name: ' ' }, 'name', 'VALIDATION'],
      [{ name: 'Standard' }, 'name', 'VALIDATION'], // taken (case-insensitive check too)
      [
        { stages: [{ name: 'Look', approverRole: 'VIEWER' }] },
        'stages.0.approverRole',
        'VALIDATION',
      ],
      [{ stages: [{ name: 'Nobody' }] }, 'stages.0.approverRole', 'VALIDATION'],
      [
        { stages: [{ name: 'X', approverUserIds: [user(t.users.viewer)] }] },
        'stages.0.approverUserIds.0',
        'VALIDATION',
      ],
      [
        { stages: [{ name: 'X', approverUserIds: [user(other.users.approver)] }] },
        'stages.0.approverUserIds.0',
        'NOT_FOUND',
      ],
      [
        { stages: [{ name: 'X', approverUserIds: [user(gone)] }] },
        'stages.0.approverUserIds.0',
        'VALIDATION',
      ],
      [{ stages: [{ name: '', approverRole: 'ADMIN' }] }, 'stages.0.name', 'VALIDATION'],
      [
        {
          stages: Array.from({ length: 21 }, (_, i) => ({ name: `S${i}`, approverRole: 'ADMIN' })),
        },
        'stages',
        'VALIDATION',
      ],
    ];
    for (const [overrides, field, code] of cases) {
      const payload = await expectNoChange(srv.db, () =>
        mutate(admin, CREATE_PROCESS, { ...twoStages(), ...overrides }),
      );
      expect(payload.approvalProcess, field).toBeNull();
      expect(
        payload.userErrors.map((e) => `${e.code}@${e.field?.join('.')}`),
        field,
      ).toContain(`${code}@${field}`);
    }
  });

  it('keeps exactly one default process per organization', async () => {
    expect(await defaults()).toBe(1);
    const made = await ok(admin, CREATE_PROCESS, { ...twoStages(), isDefault: true });
    expect(made.approvalProcess.isDefault).toBe(true);
    expect(await defaults()).toBe(1);
    const list = await processes();
    expect(list[0].id).toBe(made.approvalProcess.id);
    expect(list.find((p: { name: string }) => p.name === 'Standard').isDefault).toBe(false);

    // The default cannot be unset, only replaced.
    const unset = await expectNoChange(srv.db, () =>
      mutate(admin, UPDATE_PROCESS, {
        approvalProcessId: made.approvalProcess.id,
        version: 1,
        isDefault: false,
      }),
    );
    expect(unset.userErrors).toEqual([
      { code: 'VALIDATION', message: expect.any(String), field: ['isDefault'] },
    ]);
    const back = await ok(admin, UPDATE_PROCESS, {
      approvalProcessId: gid('ApprovalProcess', t.process.id),
      version: 2,
      isDefault: true,
    });
    expect(back.approvalProcess).toMatchObject({ isDefault: true, version: 3 });
    expect(await defaults()).toBe(1);

    // Concurrent admins each making their process the default still leave exactly one.
    const racers = await Promise.all(
      Array.from({ length: 4 }, () =>
        ok(admin, CREATE_PROCESS, { ...twoStages(), isDefault: true }),
      ),
    );
    expect(racers.every((r) => r.approvalProcess.isDefault)).toBe(true);
    expect(await defaults()).toBe(1);

    // A new organization's first process is its default.
    const fresh = await createTenant(srv.db.orm, 'fresh');
    await srv.db.sql(`delete from approval_process where organization_id = $1`, [fresh.org.id]);
    const first = await ok(srv.client({ token: fresh.tokens.admin }), CREATE_PROCESS, {
      ...twoStages(),
      organizationId: fresh.orgId,
      stages: [{ name: 'Only', approverRole: 'ADMIN' }],
    });
    expect(first.approvalProcess.isDefault).toBe(true);
  });

  it('renames, reorders, adds and removes stages and changes approvers; invoices keep their stage', async () => {
    const created = (await ok(admin, CREATE_PROCESS, twoStages())).approvalProcess;
    const [check, sign] = created.stages;
    const inv = await createInvoice(srv.db.orm.em.fork(), t, {
      status: InvoiceStatus.DRAFT,
      posted: false,
    });
    const invoiceId = gid('PurchaseInvoice', inv.id);
    await ok(admin, SEND, { invoiceId, version: 1, approvalProcessId: created.id });

    const updated = await ok(admin, UPDATE_PROCESS, {
      approvalProcessId: created.id,
      version: 1,
      name: 'Renamed',
      stages: [
        {
          id: sign.id,
          name: 'Sign off',
          approverRole: 'ACCOUNTANT',
          approverUserIds: [user(t.users.approver)],
          transferFromThisStep: false,
        },
        { name: 'Controller', approverRole: 'ADMIN', transferFromThisStep: true },
        { id: check.id, name: 'Check', approverRole: 'APPROVER' },
      ],
    });
    expect(updated.approvalProcess).toMatchObject({
      name: 'Renamed',
      version: 2,
      stages: [
        {
          id: sign.id,
          name: 'Sign off',
          position: 0,
          approverRole: 'ACCOUNTANT',
          approvers: [{ email: t.users.approver.email }],
          transferFromThisStep: false,
        },
        { name: 'Controller', position: 1, approverRole: 'ADMIN', transferFromThisStep: true },
        { id: check.id, name: 'Check', position: 2 },
      ],
    });
    // The invoice still waits at "Check", now the last stage: saving it approves the invoice.
    const saved = await ok(admin, APPROVE, { invoiceId, version: 2 });
    expect(saved.invoice).toMatchObject({ status: 'APPROVED' });

    const removed = await ok(admin, UPDATE_PROCESS, {
      approvalProcessId: created.id,
      version: 2,
      stages: [{ id: check.id, name: 'Check', approverRole: 'APPROVER' }],
    });
    expect(removed.approvalProcess.stages.map((s: { id: string }) => s.id)).toEqual([check.id]);
    const [audit] = await srv.db.sql(
      `select details from audit_event where action = 'approval_process.updated' and entity_id = $1 order by at desc limit 1`,
      [(await srv.db.sql(`select id from approval_process where name = 'Renamed'`))[0].id],
    );
    expect(audit.details.before.stages).toHaveLength(3);
    expect(audit.details.after.stages).toHaveLength(1);
  });

  it('refuses to remove a stage invoices wait at (IN_USE), a stale version, and foreign stage ids', async () => {
    const created = (await ok(admin, CREATE_PROCESS, twoStages())).approvalProcess;
    const inv = await createInvoice(srv.db.orm.em.fork(), t, {
      status: InvoiceStatus.DRAFT,
      posted: false,
    });
    await ok(admin, SEND, {
      invoiceId: gid('PurchaseInvoice', inv.id),
      version: 1,
      approvalProcessId: created.id,
    });
    const inUse = await expectNoChange(srv.db, () =>
      mutate(admin, UPDATE_PROCESS, {
        approvalProcessId: created.id,
        version: 1,
        stages: [{ id: created.stages[1].id, name: 'Sign', approverRole: 'ADMIN' }],
      }),
    );
    expect(inUse.userErrors).toEqual([
      { code: 'IN_USE', message: expect.stringContaining('"Check"'), field: ['stages'] },
    ]);
    const stale = await expectNoChange(srv.db, () =>
      mutate(admin, UPDATE_PROCESS, { approvalProcessId: created.id, version: 7, name: 'x' }),
    );
    expect(codes(stale)).toEqual(['STALE_VERSION']);
    const foreignStage = await expectNoChange(srv.db, () =>
      mutate(admin, UPDATE_PROCESS, {
        approvalProcessId: created.id,
        version: 1,
        stages: [
          { id: gid('ApprovalStage', t.stages[0].id), name: 'Steal', approverRole: 'ADMIN' },
        ],
      }),
    );
    expect(foreignStage.userErrors.map((e) => `${e.code}@${e.field?.join('.')}`)).toEqual([
      'NOT_FOUND@stages.0.id',
    ]);
  });

  it('deletes a process unless invoices circulate in it or it is the default', async () => {
    const created = (await ok(admin, CREATE_PROCESS, twoStages())).approvalProcess;
    const inv = await createInvoice(srv.db.orm.em.fork(), t, {
      status: InvoiceStatus.DRAFT,
      posted: false,
    });
    const invoiceId = gid('PurchaseInvoice', inv.id);
    await ok(admin, SEND, { invoiceId, version: 1, approvalProcessId: created.id });
    const inUse = await expectNoChange(srv.db, () =>
      mutate(admin, DELETE_PROCESS, { approvalProcessId: created.id }),
    );
    expect(inUse.userErrors).toEqual([
      {
        code: 'IN_USE',
        message: expect.stringContaining('1 invoice'),
        field: ['approvalProcessId'],
      },
    ]);

    await ok(admin, APPROVE, { invoiceId, version: 2 });
    await ok(admin, APPROVE, { invoiceId, version: 3 });
    const deleted = await ok(admin, DELETE_PROCESS, { approvalProcessId: created.id, version: 1 });
    expect(deleted.deletedApprovalProcessId).toBe(created.id);
    expect((await processes()).map((p: { id: string }) => p.id)).not.toContain(created.id);
    expect(
      (await admin(`query($id: ID!) { node(id: $id) { id } }`, { id: created.id })).data!.node,
    ).toBeNull();
    // Its approved invoice keeps its history.
    const [row] = await srv.db.sql(
      `select count(*)::int as n from audit_event where invoice_id = $1`,
      [inv.id],
    );
    expect(row.n).toBe(4);
    const again = await expectNoChange(srv.db, () =>
      mutate(admin, DELETE_PROCESS, { approvalProcessId: created.id }),
    );
    expect(codes(again)).toEqual(['NOT_FOUND']);
    // A deleted process cannot be used any more.
    const draft = await createInvoice(srv.db.orm.em.fork(), t, {
      status: InvoiceStatus.DRAFT,
      posted: false,
    });
    expect(
      codes(
        await mutate(admin, SEND, {
          invoiceId: gid('PurchaseInvoice', draft.id),
          version: 1,
          approvalProcessId: created.id,
        }),
      ),
    ).toEqual(['NOT_FOUND']);

    const theDefault = (await processes()).find((p: { isDefault: boolean }) => p.isDefault);
    const refused = await expectNoChange(srv.db, () =>
      mutate(admin, DELETE_PROCESS, { approvalProcessId: theDefault.id }),
    );
    expect(refused.userErrors).toEqual([
      { code: 'IN_USE', message: expect.stringContaining('default'), field: ['approvalProcessId'] },
    ]);
  });

  it("another organization's process is NOT_FOUND, like a missing one", async () => {
    const foreign = gid('ApprovalProcess', other.process.id);
    for (const input of [
      { approvalProcessId: foreign, version: 1, name: 'Mine now' },
      {
        approvalProcessId: gid('ApprovalProcess', '00000000-0000-4000-8000-000000000000'),
        version: 1,
        name: 'x',
      },
      { approvalProcessId: 'bogus', version: 1, name: 'x' },
    ]) {
      const payload = await expectNoChange(srv.db, () => mutate(admin, UPDATE_PROCESS, input));
      expect(payload.userErrors).toEqual([
        { code: 'NOT_FOUND', message: 'Approval process not found', field: ['approvalProcessId'] },
      ]);
    }
    const foreignOrg = await expectNoChange(srv.db, () =>
      mutate(admin, CREATE_PROCESS, { ...twoStages(), organizationId: other.orgId }),
    );
    expect(foreignOrg.userErrors).toEqual([
      { code: 'NOT_FOUND', message: 'Organization not found', field: ['organizationId'] },
    ]);
  });
});
