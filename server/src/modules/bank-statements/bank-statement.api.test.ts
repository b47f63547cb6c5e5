// Bank statement import over real GraphQL/HTTP on a real database: the matching rules one by one,
// the match queue, idempotent and concurrent re-imports, hostile documents, tenancy, and the
// automatic transfer of the payments recorded from a statement.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuiltinLedger } from '../../accounting/ledger/builtin-ledger.js';
import { fromGlobalId } from '../../common/ids.js';
import { buildCamt, type CamtEntrySpec } from './camt.writer.js';
import {
  createInvoice,
  createTenant,
  gid,
  TEST_PASSWORD,
  type InvoiceSpec,
  type Tenant,
} from '../../testing/factories.js';
import { startTestServer, type GqlClient, type TestServer } from '../../testing/server.js';
import { DEFAULT_WORKER_OPTIONS, TransferProcessor } from '../transfers/transfer.worker.js';
import { CAMT_MAX_BYTES } from './camt.parser.js';
import { finnishCheckDigit, toRfReference } from './payment-reference.js';

const UE = 'userErrors { code message field }';
const ENTRY = `id amount matchState reason accountServicerReference valueDate
  suggestions { amount reason invoice { id invoiceNumber } }
  payments { amount invoice { id } payment { id amount paymentDate source bankReference transferStatus } }
  resolvedBy { email }`;
const IMPORT = `mutation($i: ImportBankStatementInput!) { importBankStatement(input: $i) {
  statements { duplicate statement { id statementId openingBalance closingBalance balanceWarning entries(first: 10) { nodes { ${ENTRY} } } } }
  importedEntries duplicateEntries matchedEntries queuedEntries ${UE} } }`;
const CONFIRM = `mutation($i: ConfirmBankEntryMatchInput!) { confirmBankEntryMatch(input: $i) { entry { ${ENTRY} } ${UE} } }`;
const ASSIGN = `mutation($i: AssignBankEntryInput!) { assignBankEntry(input: $i) { entry { ${ENTRY} } ${UE} } }`;
const IGNORE = `mutation($i: IgnoreBankEntryInput!) { ignoreBankEntry(input: $i) { entry { ${ENTRY} } ${UE} } }`;
const SETTINGS = `mutation($i: UpdateTransferSettingsInput!) { updateTransferSettings(input: $i) { ${UE} } }`;
const EXPORT_INVOICES = `mutation($i: ExportInvoicesInput!) { exportInvoices(input: $i) { transfers { id } ${UE} } }`;

const ACCOUNT_IBAN = 'FI2112345600000785';
const SUPPLIER_IBAN = 'FI5810171000000122';
const OTHER_IBAN = 'FI4950000120000000';

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL results are checked by shape */
type Any = any;

const BANK_TABLES = [
  'bank_statement',
  'bank_statement_entry',
  'bank_entry_payment',
  'payment',
  'transfer',
  'idempotency_record',
  'document_sequence',
];

describe('bank statement import', () => {
  let srv: TestServer;
  let A: Tenant;
  let B: Tenant;
  let accountant: GqlClient;
  let foreignAdmin: GqlClient;
  let worker: TransferProcessor;
  const today = new Date().toISOString().slice(0, 10);
  let stmtCounter = 0;

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    A = await createTenant(srv.db.orm, 'bka');
    B = await createTenant(srv.db.orm, 'bkb');
    for (const t of [A, B]) {
      await srv.db.sql(
        `insert into bank_account (id, organization_id, identifier, currency, name) values ($1, $2, $3, 'EUR', 'Main')`,
        [randomUUID(), t.org.id, ACCOUNT_IBAN],
      );
    }
    await srv.db.sql(`update supplier set iban = $2 where id = $1`, [
      A.suppliers[1].id,
      SUPPLIER_IBAN,
    ]);
    accountant = await srv.login('accountant@bka.test', TEST_PASSWORD);
    foreignAdmin = await srv.login('admin@bkb.test', TEST_PASSWORD);
    worker = new TransferProcessor(
      srv.db.orm,
      new BuiltinLedger(srv.db.orm),
      pino({ level: 'silent' }),
      DEFAULT_WORKER_OPTIONS,
    );
  }, 60_000);
  afterAll(() => srv?.stop());

  async function invoice(spec: InvoiceSpec & { reference?: string; gross?: string } = {}) {
    // Zero-rated, so the gross amount is exactly the one asked for.
    const inv = await createInvoice(srv.db.orm.em.fork(), A, {
      billDate: today,
      ...(spec.gross
        ? { lines: [{ netAmount: spec.gross, vatCode: 'VAT0', vatRate: '0.00' }] }
        : {}),
      ...spec,
    });
    if (spec.reference)
      await srv.db.sql(`update purchase_invoice set payment_reference = $2 where id = $1`, [
        inv.id,
        spec.reference,
      ]);
    return { ...inv, gid: gid('PurchaseInvoice', inv.id) };
  }

  async function importDoc(
    xml: string,
    client = accountant,
    tenant = A,
    idempotencyKey = randomUUID(),
  ) {
    const res = await client(IMPORT, {
      i: { organizationId: tenant.orgId, document: xml, idempotencyKey },
    });
    expect(res.status, JSON.stringify(res.errors)).toBeLessThan(500);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data!.importBankStatement as Any;
  }

  /** A statement of the given entries (the first entry's AcctSvcrRef unique unless given). */
  function statement(
    entries: CamtEntrySpec[],
    extra: Partial<Parameters<typeof buildCamt>[0]> = {},
  ) {
    stmtCounter++;
    return buildCamt({
      statementId: `S-${stmtCounter}-${randomUUID().slice(0, 6)}`,
      iban: ACCOUNT_IBAN,
      entries: entries.map((e, i) => ({
        ref: `AR-${stmtCounter}-${i}-${randomUUID().slice(0, 6)}`,
        ...e,
      })),
      ...extra,
    });
  }

  const entriesOf = (r: Any) => r.statements[0].statement.entries.nodes as Any[];
  const counts = async () => {
    const out: Record<string, number> = {};
    for (const t of BANK_TABLES)
      out[t] = (await srv.db.sql<{ n: number }>(`select count(*)::int as n from ${t}`))[0].n;
    return out;
  };

  it('an invoice takes its payment reference checked and normalized', async () => {
    const create = `mutation($i: CreatePurchaseInvoiceInput!) { createPurchaseInvoice(input: $i) { invoice { id paymentReference } ${UE} } }`;
    const input = (paymentReference: string) => ({
      organizationId: A.orgId,
      supplierId: gid('Supplier', A.suppliers[0].id),
      invoiceNumber: `REF-${randomUUID().slice(0, 8)}`,
      billDate: today,
      dueDate: today,
      paymentReference,
      currency: 'EUR',
      netAmount: '10.00',
      vatAmount: '0.00',
      grossAmount: '10.00',
      allowDuplicate: true,
      idempotencyKey: randomUUID(),
    });
    const national = toFinnish('4242');
    const good = (
      await accountant(create, {
        i: input(
          toRfReference(national)
            .toLowerCase()
            .replace(/^(.{4})/, '$1 '),
        ),
      })
    ).data!.createPurchaseInvoice;
    expect(good.userErrors).toEqual([]);
    expect(good.invoice.paymentReference).toBe(toRfReference(national));
    const padded = (await accountant(create, { i: input(`0000 0000 ${national}`) })).data!
      .createPurchaseInvoice;
    expect(padded.invoice.paymentReference).toBe(national);
    const bad = (await accountant(create, { i: input('1246') })).data!.createPurchaseInvoice;
    expect(bad.invoice).toBeNull();
    expect(bad.userErrors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: ['paymentReference'] }),
    ]);
  });

  it('rule 1: the payment reference (the Finnish reference padded, or its RF form) pays the invoice', async () => {
    const inv = await invoice({ reference: '1245', gross: '125.50' });
    const r = await importDoc(
      statement([
        {
          amount: '125.50',
          date: today,
          tx: [{ reference: '00000000000000001245', amount: '125.50', iban: OTHER_IBAN }],
        },
      ]),
    );
    expect(r.userErrors).toEqual([]);
    expect(r).toMatchObject({ importedEntries: 1, matchedEntries: 1, queuedEntries: 0 });
    const [e] = entriesOf(r);
    expect(e.matchState).toBe('MATCHED');
    expect(e.reason).toContain('reference 1245');
    expect(e.payments).toEqual([
      {
        amount: '125.50',
        invoice: { id: inv.gid },
        payment: expect.objectContaining({
          amount: '125.50',
          paymentDate: today,
          source: 'BANK_STATEMENT',
          bankReference: e.accountServicerReference,
        }),
      },
    ]);

    const rf = await invoice({ reference: '2348236', gross: '700.50' });
    const r2 = await importDoc(
      statement([{ amount: '700.50', tx: [{ reference: 'RF332348236' }] }]),
    );
    expect(entriesOf(r2)[0].payments[0].invoice.id).toBe(rf.gid);
  });

  it('a reference with wrong check digits is not trusted; the next rules still apply', async () => {
    await invoice({ reference: '1245', gross: '10.04' });
    const r = await importDoc(statement([{ amount: '10.04', tx: [{ reference: '1246' }] }]));
    const [e] = entriesOf(r);
    expect(e.matchState).toBe('QUEUED');
    expect(e.reason).toContain('wrong check digits');
  });

  it('rule 2: the supplier IBAN and the exact open amount', async () => {
    const inv = await invoice({ supplier: A.suppliers[1], gross: '313.76' });
    const r = await importDoc(
      statement([
        { amount: '313.76', tx: [{ iban: 'FI58 1017 1000 0001 22', name: 'Supplier 2' }] },
      ]),
    );
    const [e] = entriesOf(r);
    expect(e.matchState).toBe('MATCHED');
    expect(e.reason).toContain(`supplier IBAN ${SUPPLIER_IBAN}`);
    expect(e.payments[0].invoice.id).toBe(inv.gid);
  });

  it('rule 3: the invoice number in the remittance text', async () => {
    const inv = await invoice({ invoiceNumber: 'ACME-77812', gross: '62.75' });
    await invoice({ invoiceNumber: 'ACME-778', gross: '62.75' }); // a prefix of it: not a match
    const r = await importDoc(
      statement([{ amount: '62.75', tx: [{ text: 'Invoice ACME-77812, thank you' }] }]),
    );
    const [e] = entriesOf(r);
    expect(e.matchState).toBe('MATCHED');
    expect(e.payments[0].invoice.id).toBe(inv.gid);
  });

  it('a batch entry is split by its transactions', async () => {
    const a = await invoice({ reference: toFinnish('9001'), gross: '125.50' });
    const b = await invoice({ reference: toFinnish('9002'), gross: '251.00' });
    const c = await invoice({ invoiceNumber: 'BATCH-3', gross: '12.55' });
    const r = await importDoc(
      statement([
        {
          amount: '389.05',
          tx: [
            { amount: '125.50', reference: toFinnish('9001') },
            { amount: '251.00', reference: toFinnish('9002') },
            { amount: '12.55', text: 'BATCH-3' },
          ],
        },
      ]),
    );
    const [e] = entriesOf(r);
    expect(e.matchState, e.reason).toBe('MATCHED');
    expect(e.payments.map((p: Any) => [p.invoice.id, p.amount])).toEqual([
      [a.gid, '125.50'],
      [b.gid, '251.00'],
      [c.gid, '12.55'],
    ]);
  });

  it('a partial payment is queued with its invoice suggested; confirming records it', async () => {
    const inv = await invoice({ reference: toFinnish('7001'), gross: '125.50' });
    const r = await importDoc(
      statement([{ amount: '50.00', tx: [{ reference: toFinnish('7001') }] }]),
    );
    const [e] = entriesOf(r);
    expect(e.matchState).toBe('QUEUED');
    expect(e.reason).toContain('partial payment');
    expect(e.suggestions).toEqual([
      {
        amount: '50.00',
        reason: expect.stringContaining('partial'),
        invoice: expect.objectContaining({ id: inv.gid }),
      },
    ]);
    expect(e.payments).toEqual([]);
    const queue = await accountant(
      `query($org: ID!) { bankEntryQueue(organizationId: $org, first: 100) { nodes { id } } }`,
      { org: A.orgId },
    );
    expect(queue.data!.bankEntryQueue.nodes.map((n: Any) => n.id)).toContain(e.id);

    const confirmed = (await accountant(CONFIRM, { i: { entryId: e.id } })).data!
      .confirmBankEntryMatch;
    expect(confirmed.userErrors).toEqual([]);
    expect(confirmed.entry).toMatchObject({
      matchState: 'MATCHED',
      resolvedBy: { email: 'accountant@bka.test' },
    });
    expect(confirmed.entry.payments.map((p: Any) => [p.invoice.id, p.amount])).toEqual([
      [inv.gid, '50.00'],
    ]);
    const again = (await accountant(CONFIRM, { i: { entryId: e.id } })).data!.confirmBankEntryMatch;
    expect(again.userErrors.map((x: Any) => x.code)).toEqual(['INVALID_STATE']);
  });

  it('ambiguous: two open invoices of the supplier with the same amount; assign splits, ignore keeps who', async () => {
    const x = await invoice({ supplier: A.suppliers[1], gross: '99.16' });
    const y = await invoice({ supplier: A.suppliers[1], gross: '99.16' });
    const r = await importDoc(
      statement([
        { amount: '99.16', tx: [{ iban: SUPPLIER_IBAN }] },
        { amount: '99.16', tx: [{ iban: SUPPLIER_IBAN }] },
      ]),
    );
    const [e1, e2] = entriesOf(r);
    expect(e1.matchState).toBe('QUEUED');
    expect(e1.reason).toContain('2 open invoices');
    expect(e1.suggestions.map((s: Any) => s.invoice.id).sort()).toEqual([x.gid, y.gid].sort());

    const wrongSum = (
      await accountant(ASSIGN, {
        i: { entryId: e1.id, allocations: [{ invoiceId: x.gid, amount: '50.00' }] },
      })
    ).data!.assignBankEntry;
    expect(wrongSum.userErrors.map((u: Any) => u.code)).toEqual(['VALIDATION']);
    const overpay = (
      await accountant(ASSIGN, {
        i: {
          entryId: e1.id,
          allocations: [
            { invoiceId: x.gid, amount: '99.15' },
            { invoiceId: x.gid, amount: '0.01' },
            { invoiceId: y.gid, amount: '0.00' },
          ],
        },
      })
    ).data!.assignBankEntry;
    expect(overpay.userErrors.length).toBeGreaterThan(0);

    const split = (
      await accountant(ASSIGN, {
        i: {
          entryId: e1.id,
          allocations: [
            { invoiceId: x.gid, amount: '49.58' },
            { invoiceId: y.gid, amount: '49.58' },
          ],
        },
      })
    ).data!.assignBankEntry;
    expect(split.userErrors).toEqual([]);
    expect(split.entry.matchState).toBe('MATCHED');
    expect(split.entry.payments.map((p: Any) => p.amount)).toEqual(['49.58', '49.58']);

    const ignored = (
      await accountant(IGNORE, { i: { entryId: e2.id, reason: 'Paid twice by mistake' } })
    ).data!.ignoreBankEntry;
    expect(ignored.entry).toMatchObject({
      matchState: 'IGNORED',
      reason: 'Paid twice by mistake',
      resolvedBy: { email: 'accountant@bka.test' },
    });
  });

  it('an overpayment is refused as ever: queued with the reason', async () => {
    await invoice({ reference: toFinnish('7002'), gross: '125.50' });
    const r = await importDoc(
      statement([{ amount: '200.00', tx: [{ reference: toFinnish('7002') }] }]),
    );
    const [e] = entriesOf(r);
    expect(e.matchState).toBe('QUEUED');
    expect(e.reason).toContain('would overpay');
    expect(e.suggestions[0].amount).toBe('125.50');
  });

  it('incoming money is not applicable; the balance check warns when entries are missing', async () => {
    const r = await importDoc(
      statement(
        [
          { amount: '10.00', dir: 'CRDT' },
          { amount: '5.00', tx: [{ text: 'Bank fee' }] },
        ],
        {
          opening: '100.00',
          closing: '106.00',
        },
      ),
    );
    const [credit, fee] = entriesOf(r);
    expect(credit.matchState).toBe('NOT_APPLICABLE');
    expect(fee.matchState).toBe('QUEUED');
    expect(r.statements[0].statement.balanceWarning).toContain('100.00 + entries 5.00 = 105.00');
    const balanced = await importDoc(
      statement([{ amount: '10.00', dir: 'CRDT' }], { opening: '100.00', closing: '110.00' }),
    );
    expect(balanced.statements[0].statement.balanceWarning).toBeNull();
  });

  it('re-imports never double-count: the same file, the same key, an overlapping statement', async () => {
    await invoice({ reference: toFinnish('7003'), gross: '125.50' });
    const xml = statement([
      { ref: 'DUP-1', amount: '125.50', tx: [{ reference: toFinnish('7003') }] },
    ]);
    const k = randomUUID();
    const first = await importDoc(xml, accountant, A, k);
    expect(first.matchedEntries).toBe(1);
    const before = await counts();
    const replay = await importDoc(xml, accountant, A, k);
    expect(replay).toEqual(first);
    const again = await importDoc(xml);
    expect(again).toMatchObject({ importedEntries: 0, matchedEntries: 0 });
    expect(again.statements[0].duplicate).toBe(true);
    // A camt.054 (other statement id) carrying the same bank reference, and a new entry.
    const overlap = await importDoc(
      buildCamt({
        kind: '054',
        statementId: `N-${randomUUID()}`,
        iban: ACCOUNT_IBAN,
        entries: [
          { ref: 'DUP-1', amount: '125.50', tx: [{ reference: toFinnish('7003') }] },
          { ref: `NEW-${randomUUID()}`, amount: '1.00', dir: 'CRDT' },
        ],
      }),
    );
    expect(overlap).toMatchObject({ importedEntries: 1, duplicateEntries: 1, matchedEntries: 0 });
    const after = await counts();
    expect(after.payment).toBe(before.payment);
    expect(after.bank_statement_entry).toBe(before.bank_statement_entry + 1);
    const reused = (
      await accountant(IMPORT, {
        i: {
          organizationId: A.orgId,
          document: statement([{ amount: '1.00' }]),
          idempotencyKey: k,
        },
      })
    ).data!.importBankStatement;
    expect(reused.userErrors.map((u: Any) => u.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
  });

  it('two concurrent imports of one file make one statement and one payment', async () => {
    await invoice({ reference: toFinnish('7004'), gross: '125.50' });
    const xml = statement([{ amount: '125.50', tx: [{ reference: toFinnish('7004') }] }]);
    const before = await counts();
    const results = await Promise.all([importDoc(xml), importDoc(xml), importDoc(xml)]);
    expect(results.map((r) => r.userErrors)).toEqual([[], [], []]);
    expect(results.filter((r) => !r.statements[0].duplicate)).toHaveLength(1);
    const after = await counts();
    expect(after.bank_statement - before.bank_statement).toBe(1);
    expect(after.payment - before.payment).toBe(1);
  });

  describe('hostile and wrong documents: a clear error, nothing written', () => {
    const good = () => statement([{ amount: '1.00' }]);
    const cases: [string, () => string, string][] = [
      [
        'DOCTYPE with an external entity (XXE)',
        () =>
          good().replace(
            '<Document',
            '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document',
          ),
        'XML_FORBIDDEN',
      ],
      [
        'billion laughs',
        () =>
          `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>`,
        'XML_FORBIDDEN',
      ],
      [
        'oversized',
        () =>
          good().replace('<BkToCstmrStmt>', `<BkToCstmrStmt><!--${'x'.repeat(CAMT_MAX_BYTES)}-->`),
        'DOCUMENT_TOO_LARGE',
      ],
      ['truncated', () => good().slice(0, 300), 'MALFORMED_DOCUMENT'],
      [
        'wrong namespace',
        () => good().replace('camt.053.001.02', 'pain.001.001.03'),
        'UNSUPPORTED_DOCUMENT',
      ],
      [
        'unknown account',
        () => statement([{ amount: '1.00' }], { iban: OTHER_IBAN }),
        'UNKNOWN_ACCOUNT',
      ],
      [
        'another currency',
        () => statement([{ amount: '1.00' }], { entryCurrency: 'SEK' }),
        'CURRENCY_MISMATCH',
      ],
    ];
    for (const [name, make, code] of cases) {
      it(name, async () => {
        const before = await counts();
        const r = await importDoc(make());
        expect(r.userErrors.map((u: Any) => u.code)).toEqual([code]);
        expect(r.userErrors[0].message.length).toBeGreaterThan(10);
        expect(r.statements).toEqual([]);
        expect(await counts()).toEqual(before);
      });
    }

    it('a viewer may not import; an API token with the write scope may', async () => {
      const viewer = await srv.login('viewer@bka.test', TEST_PASSWORD);
      const r = await importDoc(good(), viewer);
      expect(r.userErrors.map((u: Any) => u.code)).toEqual(['FORBIDDEN']);
      const t = await importDoc(good(), srv.client({ token: A.tokens.write }));
      expect(t.userErrors).toEqual([]);
    });
  });

  it("another organization's statement and entry look exactly like missing ones", async () => {
    const r = await importDoc(statement([{ amount: '3.33', tx: [{ text: 'nothing' }] }]));
    const stmt = r.statements[0].statement;
    const entry = entriesOf(r)[0];
    const missingStmt = gid('BankStatement', randomUUID());
    const missingEntry = gid('BankStatementEntry', randomUUID());
    for (const [id, twin] of [
      [stmt.id, missingStmt],
      [entry.id, missingEntry],
    ]) {
      const q = `query($id: ID!) { node(id: $id) { id } }`;
      expect((await foreignAdmin(q, { id })).data).toEqual({ node: null });
      expect((await foreignAdmin(q, { id: twin })).data).toEqual({ node: null });
    }
    const sq = `query($id: ID!) { bankStatement(id: $id) { id } }`;
    expect((await foreignAdmin(sq, { id: stmt.id })).data).toEqual({ bankStatement: null });
    const foreign = (await foreignAdmin(IGNORE, { i: { entryId: entry.id } })).data!
      .ignoreBankEntry;
    const missing = (await foreignAdmin(IGNORE, { i: { entryId: missingEntry } })).data!
      .ignoreBankEntry;
    expect(foreign).toEqual(missing);
    expect(foreign.userErrors.map((u: Any) => u.code)).toEqual(['NOT_FOUND']);
    // B has an account with the same IBAN: its statements are its own.
    const own = await importDoc(statement([{ amount: '3.33' }]), foreignAdmin, B);
    expect(own.userErrors).toEqual([]);
    const list = await foreignAdmin(
      `query($org: ID!) { bankStatements(organizationId: $org, first: 10) { totalCount } }`,
      { org: B.orgId },
    );
    expect(list.data!.bankStatements.totalCount).toBe(1);
  });

  describe('automatic transfer of the payments', () => {
    const statusOf = async (table: 'purchase_invoice' | 'payment', id: string) =>
      (
        await srv.db.sql<{ transfer_status: string | null }>(
          `select transfer_status from ${table} where id = $1`,
          [id],
        )
      )[0].transfer_status;
    const liveTransfers = async (paymentId: string) =>
      (
        await srv.db.sql<{ id: string }>(
          `select id from transfer where payment_id = $1 and status = 'QUEUED'`,
          [paymentId],
        )
      ).map((r) => r.id);

    beforeAll(async () => {
      const r = await srv.client({ token: A.tokens.admin })(SETTINGS, {
        i: { organizationId: A.orgId, autoTransferPayments: true },
      });
      expect(r.data?.updateTransferSettings).toEqual({ userErrors: [] });
    });

    it('a payment of an invoice in the ledger is transferred; one whose invoice transfer is in flight waits, then follows', async () => {
      const exporter = srv.client({ token: A.tokens.export });
      const inLedger = await invoice({ reference: toFinnish('8001'), gross: '125.50' });
      const inFlight = await invoice({ reference: toFinnish('8002'), gross: '251.00' });
      const exported = (
        await exporter(EXPORT_INVOICES, {
          i: {
            organizationId: A.orgId,
            invoiceIds: [inLedger.gid, inFlight.gid],
            idempotencyKey: randomUUID(),
          },
        })
      ).data!.exportInvoices;
      expect(exported.userErrors).toEqual([]);
      const [first, second] = exported.transfers.map((t: Any) => fromGlobalId(t.id, 'Transfer')!);
      await worker.process([first]);
      expect(await statusOf('purchase_invoice', inLedger.id)).toBe('TRANSFERRED');
      expect(await statusOf('purchase_invoice', inFlight.id)).toBe('QUEUED');

      const r = await importDoc(
        statement([
          { amount: '125.50', tx: [{ reference: toFinnish('8001') }] },
          { amount: '251.00', tx: [{ reference: toFinnish('8002') }] },
        ]),
      );
      expect(r.matchedEntries).toBe(2);
      const [p1, p2] = entriesOf(r).map((e) => fromGlobalId(e.payments[0].payment.id, 'Payment')!);
      expect(await statusOf('payment', p1)).toBe('QUEUED');
      expect(await statusOf('payment', p2)).toBeNull(); // waits for its invoice

      await worker.process(await liveTransfers(p1));
      expect(await statusOf('payment', p1)).toBe('TRANSFERRED');

      await worker.process([second]);
      expect(await statusOf('purchase_invoice', inFlight.id)).toBe('TRANSFERRED');
      const followed = await liveTransfers(p2);
      expect(followed).toHaveLength(1);
      await worker.process(followed);
      expect(await statusOf('payment', p2)).toBe('TRANSFERRED');
    });
  });
});

/** The Finnish reference for a base: the base and its check digit. */
function toFinnish(base: string): string {
  return `${base}${finnishCheckDigit(base)}`;
}
