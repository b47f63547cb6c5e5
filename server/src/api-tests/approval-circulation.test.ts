import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onDomainEvent } from '../common/domain-events.js';
import { DomainError, UserErrorCode } from '../common/errors.js';
import { InvoiceStatus, type PurchaseInvoice } from '../modules/invoices/invoice.entity.js';
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
  APPROVE_MANY,
  BALANCED_LINES,
  codes,
  CREATE,
  CREATE_PROCESS,
  expectNoChange,
  INVOICE,
  invoiceInput,
  mutate,
  ok,
  POST,
  REJECT,
  SEND,
} from './write-api.helpers.js';

describe('approval circulation', () => {
  let srv: TestServer;
  let a: Tenant;
  let b: Tenant;
  let writer: GqlClient;
  let as: Record<'admin' | 'accountant' | 'approver' | 'viewer', GqlClient>;
  /** Invoices whose stage save a test handler refuses, as the transfer engine may. */
  const refuseSave = new Set<string>();

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    a = await createTenant(srv.db.orm, 'alpha');
    b = await createTenant(srv.db.orm, 'beta');
    writer = srv.client({ token: a.tokens.write });
    as = {
      admin: await srv.login(a.users.admin.email, TEST_PASSWORD),
      accountant: await srv.login(a.users.accountant.email, TEST_PASSWORD),
      approver: await srv.login(a.users.approver.email, TEST_PASSWORD),
      viewer: await srv.login(a.users.viewer.email, TEST_PASSWORD),
    };
    // A subscriber writing its own row in the save's transaction (like the transfer engine's
    // outbox/job), and refusing some saves with a DomainError.
    await srv.db
      .sql(`create table test_stage_saved (invoice_id uuid, stage_id uuid, approved boolean, transfer_from_this_step boolean,
      user_id uuid, request_id text)`);
    onDomainEvent('invoice.stage_saved', async (em, e) => {
      if (refuseSave.has(e.invoiceId))
        throw new DomainError(UserErrorCode.INVALID_STATE, 'refused by a subscriber');
      await em.execute(`insert into test_stage_saved values (?, ?, ?, ?, ?, ?)`, [
        e.invoiceId,
        e.stageId,
        e.approved,
        e.transferFromThisStep,
        e.userId,
        e.requestId,
      ]);
    });
  });
  afterAll(() => srv?.stop());

  const inCirculation = async (
    spec: Parameters<typeof createInvoice>[2] = {},
    tenant = a,
  ): Promise<PurchaseInvoice> =>
    createInvoice(srv.db.orm.em.fork(), tenant, {
      status: InvoiceStatus.IN_CIRCULATION,
      stage: tenant.stages[0],
      ...spec,
    });
  const idOf = (inv: { id: string }) => gid('PurchaseInvoice', inv.id);
  const savedEvents = (invoiceId: string) =>
    srv.db.sql(
      `select stage_id, approved, transfer_from_this_step, user_id from test_stage_saved where invoice_id = $1`,
      [invoiceId],
    );

  it('a partner with a write token takes an invoice from creation to APPROVED, every step in the history', async () => {
    const created = await ok(
      writer,
      CREATE,
      invoiceInput(a.orgId, gid('Supplier', a.suppliers[0].id)),
    );
    const id = created.invoice.id;
    await ok(
      writer,
      `mutation($input: UpdatePostingInput!) { updatePosting(input: $input) { userErrors { code } } }`,
      {
        invoiceId: id,
        version: 1,
        lines: BALANCED_LINES,
      },
    );
    const posted = await ok(writer, POST, { invoiceId: id, version: 2 });
    expect(posted.invoice).toMatchObject({ posted: true, documentNumber: expect.any(Number) });
    const sent = await ok(writer, SEND, { invoiceId: id, version: 3 });
    expect(sent.invoice).toMatchObject({
      status: 'IN_CIRCULATION',
      currentStage: { name: 'Inspection', position: 0 },
    });
    expect(sent.invoice.approvalProcess.name).toBe('Standard');

    let version = 4;
    for (const [next, status] of [
      ['Approval', 'IN_CIRCULATION'],
      ['Accounting check', 'IN_CIRCULATION'],
      [null, 'APPROVED'],
    ] as const) {
      const saved = await ok(writer, APPROVE, { invoiceId: id, version, comment: `ok ${version}` });
      expect(saved.invoice.status).toBe(status);
      expect(saved.invoice.currentStage?.name ?? null).toBe(next);
      version = saved.invoice.version;
    }
    const inv = (await writer(INVOICE, { id })).data!.invoice;
    expect(inv.status).toBe('APPROVED');
    expect(inv.history.nodes.map((n: { action: string }) => n.action)).toEqual([
      'invoice.approved',
      'invoice.stage_saved',
      'invoice.stage_saved',
      'invoice.stage_saved',
      'invoice.sent_to_circulation',
      'invoice.posted',
      'invoice.posting_changed',
      'invoice.created',
    ]);
    expect(
      inv.history.nodes.every((n: { actor: { name?: string } }) => n.actor.name === 'write token'),
    ).toBe(true);
    expect(
      inv.history.nodes
        .slice(1, 4)
        .map((n: { details: { stageName: string } }) => n.details.stageName),
    ).toEqual(['Accounting check', 'Approval', 'Inspection']);
    expect(inv.history.nodes[3].details).toMatchObject({
      stageId: gid('ApprovalStage', a.stages[0].id),
      comment: 'ok 4',
    });
    expect(inv.history.nodes[4].details).toMatchObject({
      approvalProcessName: 'Standard',
      stageName: 'Inspection',
    });
    expect(inv.history.nodes[5].details).toMatchObject({
      documentNumber: posted.invoice.documentNumber,
    });

    // One stage_saved event per save, in the save's transaction; approved on the last one only.
    const uuid = (
      await srv.db.sql(`select id from purchase_invoice where invoice_number = $1`, [
        created.invoice.invoiceNumber,
      ])
    )[0].id;
    expect(await savedEvents(uuid)).toEqual([
      { stage_id: a.stages[0].id, approved: false, transfer_from_this_step: false, user_id: null },
      { stage_id: a.stages[1].id, approved: false, transfer_from_this_step: false, user_id: null },
      { stage_id: a.stages[2].id, approved: true, transfer_from_this_step: true, user_id: null },
    ]);
  });

  it('users save the stages named for their role; history shows who saved which stage', async () => {
    const inv = await inCirculation();
    const id = idOf(inv);
    await ok(as.approver, APPROVE, { invoiceId: id, version: 1 });
    await ok(as.approver, APPROVE, { invoiceId: id, version: 2 });
    const last = await ok(as.accountant, APPROVE, { invoiceId: id, version: 3 });
    expect(last.invoice).toMatchObject({ status: 'APPROVED', currentStage: null });
    const history = (await as.viewer(INVOICE, { id })).data!.invoice.history.nodes;
    expect(
      history.map(
        (n: { action: string; actor: { email: string } }) => `${n.action} ${n.actor.email}`,
      ),
    ).toEqual([
      `invoice.approved ${a.users.accountant.email}`,
      `invoice.stage_saved ${a.users.accountant.email}`,
      `invoice.stage_saved ${a.users.approver.email}`,
      `invoice.stage_saved ${a.users.approver.email}`,
    ]);
    expect((await savedEvents(inv.id)).map((e) => e.user_id)).toEqual([
      a.users.approver.id,
      a.users.approver.id,
      a.users.accountant.id,
    ]);
  });

  it('the wrong approver gets FORBIDDEN and nothing changes', async () => {
    const atFirst = await inCirculation();
    const atLast = await inCirculation({ stage: a.stages[2] });
    const refusals: [GqlClient, PurchaseInvoice][] = [
      [as.accountant, atFirst], // stage for APPROVERs
      [as.viewer, atFirst],
      [as.approver, atLast], // stage for ACCOUNTANTs
      [srv.client({ token: a.tokens.read }), atFirst],
      [srv.client({ token: a.tokens.export }), atFirst],
      [srv.client({ token: a.tokens.admin }), atFirst],
    ];
    for (const [client, inv] of refusals) {
      const payload = await expectNoChange(srv.db, () =>
        mutate(client, APPROVE, { invoiceId: idOf(inv), version: 1 }),
      );
      expect(codes(payload)).toEqual(['FORBIDDEN']);
      expect(payload.invoice).toBeNull();
      const rejected = await expectNoChange(srv.db, () =>
        mutate(client, REJECT, { invoiceId: idOf(inv), version: 1, reason: 'no' }),
      );
      expect(codes(rejected)).toEqual(['FORBIDDEN']);
    }
    // Admins may save any stage.
    await ok(as.admin, APPROVE, { invoiceId: idOf(atFirst), version: 1 });
    await ok(as.admin, APPROVE, { invoiceId: idOf(atLast), version: 1 });
  });

  it('named approvers may save their stage even without the role', async () => {
    const proc = await ok(as.admin, CREATE_PROCESS, {
      organizationId: a.orgId,
      name: 'Named approvers',
      stages: [{ name: 'Project lead', approverUserIds: [gid('User', a.users.accountant.id)] }],
    });
    const inv = await createInvoice(srv.db.orm.em.fork(), a, {
      status: InvoiceStatus.DRAFT,
      posted: false,
    });
    await ok(writer, SEND, {
      invoiceId: idOf(inv),
      version: 1,
      approvalProcessId: proc.approvalProcess.id,
    });
    expect(codes(await mutate(as.approver, APPROVE, { invoiceId: idOf(inv), version: 2 }))).toEqual(
      ['FORBIDDEN'],
    );
    const saved = await ok(as.accountant, APPROVE, { invoiceId: idOf(inv), version: 2 });
    expect(saved.invoice.status).toBe('APPROVED');
  });

  it('a stale version gives STALE_VERSION and nothing changes', async () => {
    const inv = await inCirculation();
    await ok(as.approver, APPROVE, { invoiceId: idOf(inv), version: 1 });
    const stale = await expectNoChange(srv.db, () =>
      mutate(as.approver, APPROVE, { invoiceId: idOf(inv), version: 1 }),
    );
    expect(stale.userErrors).toEqual([
      { code: 'STALE_VERSION', message: expect.any(String), field: ['version'] },
    ]);
    expect(await savedEvents(inv.id)).toHaveLength(1);
  });

  it("another organization's invoice is NOT_FOUND, exactly like a missing or malformed id", async () => {
    const foreign = await inCirculation({}, b);
    const payloads = [];
    for (const invoiceId of [
      idOf(foreign),
      gid('PurchaseInvoice', '00000000-0000-4000-8000-000000000000'),
      'garbage',
      a.orgId,
    ]) {
      payloads.push(
        await expectNoChange(srv.db, () => mutate(writer, APPROVE, { invoiceId, version: 1 })),
      );
    }
    for (const p of payloads)
      expect(p.userErrors).toEqual([
        { code: 'NOT_FOUND', message: 'Invoice not found', field: ['invoiceId'] },
      ]);
    const adminOfA = await expectNoChange(srv.db, () =>
      mutate(as.admin, SEND, { invoiceId: idOf(foreign), version: 1 }),
    );
    expect(codes(adminOfA)).toEqual(['NOT_FOUND']);
  });

  it('only invoices in circulation can be saved; only DRAFT or REJECTED ones can be sent', async () => {
    const draft = await createInvoice(srv.db.orm.em.fork(), a, {
      status: InvoiceStatus.DRAFT,
      posted: false,
    });
    expect(
      codes(
        await expectNoChange(srv.db, () =>
          mutate(writer, APPROVE, { invoiceId: idOf(draft), version: 1 }),
        ),
      ),
    ).toEqual(['INVALID_STATE']);
    const circulating = await inCirculation();
    expect(
      codes(
        await expectNoChange(srv.db, () =>
          mutate(writer, SEND, { invoiceId: idOf(circulating), version: 1 }),
        ),
      ),
    ).toEqual(['INVALID_STATE']);
    const approved = await createInvoice(srv.db.orm.em.fork(), a, {
      status: InvoiceStatus.APPROVED,
    });
    expect(codes(await mutate(writer, SEND, { invoiceId: idOf(approved), version: 1 }))).toEqual([
      'INVALID_STATE',
    ]);
    const unknownProcess = await mutate(writer, SEND, {
      invoiceId: idOf(draft),
      version: 1,
      approvalProcessId: gid('ApprovalProcess', b.process.id),
    });
    expect(unknownProcess.userErrors).toEqual([
      { code: 'NOT_FOUND', message: 'Approval process not found', field: ['approvalProcessId'] },
    ]);
  });

  describe('rejectInvoice', () => {
    it('needs a reason; rejects with it; the invoice can be sent again', async () => {
      const inv = await inCirculation({ stage: a.stages[1] });
      const noReason = await expectNoChange(srv.db, () =>
        mutate(as.approver, REJECT, { invoiceId: idOf(inv), version: 1, reason: '  ' }),
      );
      expect(noReason.userErrors).toEqual([
        { code: 'VALIDATION', message: expect.any(String), field: ['reason'] },
      ]);
      const nul = await expectNoChange(srv.db, () =>
        mutate(as.approver, REJECT, { invoiceId: idOf(inv), version: 1, reason: 'bad\u0000byte' }),
      );
      expect(nul.userErrors).toEqual([
        {
          code: 'VALIDATION',
          message: expect.stringContaining('control characters'),
          field: ['reason'],
        },
      ]);

      const rejected = await ok(as.approver, REJECT, {
        invoiceId: idOf(inv),
        version: 1,
        reason: 'Wrong cost centre',
      });
      expect(rejected.invoice).toMatchObject({
        status: 'REJECTED',
        currentStage: null,
        version: 2,
      });
      const history = (await writer(INVOICE, { id: idOf(inv) })).data!.invoice.history.nodes;
      expect(history[0]).toMatchObject({
        action: 'invoice.rejected',
        actor: { email: a.users.approver.email },
        details: { reason: 'Wrong cost centre', stageName: 'Approval' },
      });
      expect(
        codes(await mutate(as.approver, APPROVE, { invoiceId: idOf(inv), version: 2 })),
      ).toEqual(['INVALID_STATE']);
      const resent = await ok(writer, SEND, { invoiceId: idOf(inv), version: 2 });
      expect(resent.invoice).toMatchObject({
        status: 'IN_CIRCULATION',
        currentStage: { name: 'Inspection' },
      });
    });

    it('returnToStage sends it back to an earlier stage of its process, and only there', async () => {
      const inv = await inCirculation({ stage: a.stages[2] });
      const later = await expectNoChange(srv.db, () =>
        mutate(as.accountant, REJECT, {
          invoiceId: idOf(inv),
          version: 1,
          reason: 'x',
          returnToStage: gid('ApprovalStage', a.stages[2].id),
        }),
      );
      expect(later.userErrors).toEqual([
        { code: 'VALIDATION', message: expect.any(String), field: ['returnToStage'] },
      ]);
      const foreign = await expectNoChange(srv.db, () =>
        mutate(as.accountant, REJECT, {
          invoiceId: idOf(inv),
          version: 1,
          reason: 'x',
          returnToStage: gid('ApprovalStage', b.stages[0].id),
        }),
      );
      expect(codes(foreign)).toEqual(['NOT_FOUND']);
      const back = await ok(as.accountant, REJECT, {
        invoiceId: idOf(inv),
        version: 1,
        reason: 'Inspect the delivery again',
        returnToStage: gid('ApprovalStage', a.stages[0].id),
      });
      expect(back.invoice).toMatchObject({
        status: 'IN_CIRCULATION',
        currentStage: { name: 'Inspection' },
      });
      const history = (await writer(INVOICE, { id: idOf(inv) })).data!.invoice.history.nodes;
      expect(history[0].details).toMatchObject({
        reason: 'Inspect the delivery again',
        stageName: 'Accounting check',
        returnToStageName: 'Inspection',
      });
    });
  });

  describe('the stage-saved event', () => {
    it('is written in the save transaction and is in the database once the mutation returns', async () => {
      const inv = await inCirculation({ stage: a.stages[2] });
      await ok(as.accountant, APPROVE, { invoiceId: idOf(inv), version: 1 });
      // A separate connection sees both the subscriber's row and the audit event: they committed
      // with the save, so a crash right after the commit cannot lose them.
      const client = new pg.Client({ connectionString: srv.db.url });
      await client.connect();
      try {
        const events = await client.query(
          `select approved, transfer_from_this_step, user_id from test_stage_saved where invoice_id = $1`,
          [inv.id],
        );
        expect(events.rows).toEqual([
          { approved: true, transfer_from_this_step: true, user_id: a.users.accountant.id },
        ]);
        const audit = await client.query(
          `select action, actor_user_id, request_id from audit_event where invoice_id = $1 order by action`,
          [inv.id],
        );
        expect(audit.rows.map((r) => r.action)).toEqual([
          'invoice.approved',
          'invoice.stage_saved',
        ]);
        expect(
          audit.rows.every((r) => r.actor_user_id === a.users.accountant.id && r.request_id),
        ).toBe(true);
      } finally {
        await client.end();
      }
    });

    it('a subscriber refusing the save rolls the whole save back', async () => {
      const inv = await inCirculation();
      refuseSave.add(inv.id);
      const refused = await expectNoChange(srv.db, () =>
        mutate(as.approver, APPROVE, { invoiceId: idOf(inv), version: 1 }),
      );
      expect(refused.userErrors).toEqual([
        { code: 'INVALID_STATE', message: 'refused by a subscriber', field: null },
      ]);
      const after = (await writer(INVOICE, { id: idOf(inv) })).data!.invoice;
      expect(after).toMatchObject({ version: 1, currentStage: { name: 'Inspection' } });
      expect(after.history.totalCount).toBe(0);
      refuseSave.delete(inv.id);
    });
  });

  describe('approveInvoices (bulk)', () => {
    it('approves 200 invoices with a result per invoice, in the order asked, failures isolated', async () => {
      const t = await createTenant(srv.db.orm, 'bulk');
      const em = srv.db.orm.em.fork();
      // One invoice from the factory, 199 copies of it in one statement.
      const template = await createInvoice(em, t, {
        status: InvoiceStatus.IN_CIRCULATION,
        stage: t.stages[0],
        numbered: false,
      });
      await srv.db.sql(
        `insert into purchase_invoice (id, organization_id, supplier_id, invoice_number, bill_date, due_date, currency,
           net_amount, vat_amount, gross_amount, status, posted, approval_process_id, current_stage_id)
         select gen_random_uuid(), organization_id, supplier_id, invoice_number || '-' || g, bill_date, due_date, currency,
           net_amount, vat_amount, gross_amount, status, posted, approval_process_id, current_stage_id
         from purchase_invoice, generate_series(1, 199) g where id = $1`,
        [template.id],
      );
      const invoices = await srv.db.sql<{ id: string }>(
        `select id from purchase_invoice where organization_id = $1 order by invoice_number`,
        [t.org.id],
      );
      expect(invoices).toHaveLength(200);
      const draft = await createInvoice(em, t, { status: InvoiceStatus.DRAFT, posted: false });
      const foreign = await inCirculation();
      const refused = invoices[137];
      refuseSave.add(refused.id);
      const ids = [
        ...invoices.slice(0, 100).map(idOf),
        idOf(draft),
        idOf(foreign),
        'bad-id',
        ...invoices.slice(100).map(idOf),
      ];
      const client = srv.client({ token: t.tokens.write });
      const started = Date.now();
      const payload = await ok(client, APPROVE_MANY, { invoiceIds: ids, comment: 'bulk' });
      const elapsed = Date.now() - started;
      refuseSave.delete(refused.id);

      expect(payload.results.map((r: { invoiceId: string }) => r.invoiceId)).toEqual(ids);
      const failures = payload.results.filter(
        (r: { userErrors: unknown[] }) => r.userErrors.length,
      );
      expect(
        failures.map(
          (r: { invoiceId: string; userErrors: { code: string; field: string[] }[] }) => [
            r.invoiceId,
            r.userErrors[0].code,
            r.userErrors[0].field,
          ],
        ),
      ).toEqual([
        [idOf(draft), 'INVALID_STATE', ['invoiceIds', '100']],
        [idOf(foreign), 'NOT_FOUND', ['invoiceIds', '101']],
        ['bad-id', 'NOT_FOUND', ['invoiceIds', '102']],
        [idOf(refused), 'INVALID_STATE', null],
      ]);
      const succeeded = payload.results.filter((r: { invoice: unknown }) => r.invoice);
      expect(succeeded).toHaveLength(199);
      expect(
        succeeded.every(
          (r: { invoice: { currentStage: { name: string }; version: number } }) =>
            r.invoice.currentStage.name === 'Approval' && r.invoice.version === 2,
        ),
      ).toBe(true);

      const [{ n: moved }] = await srv.db.sql(
        `select count(*)::int as n from purchase_invoice where organization_id = $1 and current_stage_id = $2`,
        [t.org.id, t.stages[1].id],
      );
      expect(moved).toBe(199);
      const [{ n: audits }] = await srv.db.sql(
        `select count(*)::int as n from audit_event where organization_id = $1 and action = 'invoice.stage_saved'`,
        [t.org.id],
      );
      expect(audits).toBe(199);
      const [refusedRow] = await srv.db.sql(
        `select current_stage_id, version from purchase_invoice where id = $1`,
        [refused.id],
      );
      expect(refusedRow).toEqual({ current_stage_id: t.stages[0].id, version: 1 });
      // Generous: a busy 2-core machine; it takes a few seconds when idle.
      expect(elapsed).toBeLessThan(60_000);
    }, 120_000); // 200 invoices over HTTP; generous for a loaded 2-core machine

    it('versions guard against saving an invoice twice; a bad request touches nothing', async () => {
      const one = await inCirculation();
      const two = await inCirculation();
      const first = await ok(writer, APPROVE_MANY, {
        invoiceIds: [idOf(one), idOf(two)],
        versions: [1, 1],
      });
      expect(first.results.every((r: { userErrors: unknown[] }) => r.userErrors.length === 0)).toBe(
        true,
      );
      // A double click sends the same request again: nothing is saved a second time.
      const again = await expectNoChange(srv.db, () =>
        mutate(writer, APPROVE_MANY, { invoiceIds: [idOf(one), idOf(two)], versions: [1, 1] }),
      );
      expect(
        again.results.map((r: { userErrors: { code: string; field: string[] }[] }) => [
          r.userErrors[0].code,
          r.userErrors[0].field,
        ]),
      ).toEqual([
        ['STALE_VERSION', ['versions', '0']],
        ['STALE_VERSION', ['versions', '1']],
      ]);

      for (const input of [
        { invoiceIds: [idOf(one), idOf(one)] },
        { invoiceIds: [idOf(one)], versions: [2, 2] },
        { invoiceIds: [] },
      ]) {
        const bad = await expectNoChange(srv.db, () => mutate(writer, APPROVE_MANY, input));
        expect(codes(bad)).toEqual(['VALIDATION']);
        expect(bad.results).toEqual([]);
      }
      const forbidden = await expectNoChange(srv.db, () =>
        mutate(as.viewer, APPROVE_MANY, { invoiceIds: [idOf(one)] }),
      );
      expect(forbidden.results[0].userErrors.map((e: { code: string }) => e.code)).toEqual([
        'FORBIDDEN',
      ]);
    });
  });
});
