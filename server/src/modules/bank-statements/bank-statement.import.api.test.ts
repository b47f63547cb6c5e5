// Importing bank statements over real GraphQL/HTTP on a real database: idempotent and concurrent
// re-imports, hostile documents (nothing written), tenancy, and the automatic transfer of the
// payments recorded from a statement.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../../common/ids.js';
import { gid, TEST_PASSWORD } from '../../testing/factories.js';
import { buildCamt } from './camt.writer.js';
import { CAMT_MAX_BYTES } from './camt.parser.js';
import {
  srv,
  A,
  B,
  accountant,
  foreignAdmin,
  worker,
  invoice,
  importDoc,
  statement,
  entriesOf,
  counts,
  toFinnish,
  IMPORT,
  IGNORE,
  SETTINGS,
  EXPORT_INVOICES,
  ACCOUNT_IBAN,
  OTHER_IBAN,
  type Any,
  setupBankApi,
} from './bank-statement.api.helpers.js';

describe('bank statement import', () => {
  setupBankApi();

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

  it('a document with several statements: a repeated statement or entry in it counts once', async () => {
    const one = statement([{ ref: 'MULTI-1', amount: '1.00', dir: 'CRDT' }]);
    const block = /<Stmt>[\s\S]*<\/Stmt>/.exec(one)![0];
    const other = block
      .replace(/<Id>S-[^<]*<\/Id>/, `<Id>S-other-${randomUUID()}</Id>`)
      .replace(
        '</Ntry>',
        '</Ntry><Ntry><Amt Ccy="EUR">2.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><AcctSvcrRef>MULTI-2</AcctSvcrRef></Ntry>',
      );
    const xml = one.replace(block, block + block + other);
    const before = await counts();
    const r = await importDoc(xml);
    expect(r.userErrors).toEqual([]);
    expect(r.statements.map((s: Any) => s.duplicate)).toEqual([false, true, false]);
    expect(r).toMatchObject({ importedEntries: 2, duplicateEntries: 1 });
    const after = await counts();
    expect(after.bank_statement - before.bank_statement).toBe(2);
    expect(after.bank_statement_entry - before.bank_statement_entry).toBe(2);
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
