// Matching bank entries to open invoices over real GraphQL/HTTP on a real database: each rule on
// its own, batches, partial and ambiguous entries, the match queue, the balance check.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { gid } from '../../testing/factories.js';
import { toRfReference } from './payment-reference.js';
import {
  A,
  accountant,
  today,
  invoice,
  importDoc,
  statement,
  entriesOf,
  toFinnish,
  UE,
  CONFIRM,
  ASSIGN,
  IGNORE,
  SUPPLIER_IBAN,
  OTHER_IBAN,
  type Any,
  setupBankApi,
} from './bank-statement.api.helpers.js';

describe('bank statement matching', () => {
  setupBankApi();

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
});
