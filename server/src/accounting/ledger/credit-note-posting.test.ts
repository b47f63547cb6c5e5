/**
 * Credit notes in the built-in ledger: the mirror of an invoice (accounts payable debited,
 * expense and VAT credited) from the same signed-amount rule, a reference space of their own,
 * the port's sign convention enforced, and batches, reversals and lookups by kind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/db.js';
import {
  AccountingRejection,
  type AccountingProblem,
  type EntryInfo,
} from '../accounting-system.js';
import { BuiltinLedger } from './builtin-ledger.js';
import { createTestLedger, invoiceRequest, line } from './ledger.fixtures.js';

async function rejection(p: Promise<unknown>): Promise<AccountingProblem[]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AccountingRejection) return err.problems;
    throw err;
  }
  throw new Error('expected an AccountingRejection');
}

const creditNote = (overrides: Parameters<typeof invoiceRequest>[0] = {}) =>
  invoiceRequest({
    documentKind: 'CREDIT_NOTE',
    grossAmount: '-62.75',
    lines: [line({ netAmount: '-50.00', vatAmount: '-12.75' })],
    ...overrides,
  });

const cells = (e: EntryInfo) => e.lines.map((l) => [l.accountCode, l.vatCode, l.debit, l.credit]);

describe('BuiltinLedger credit notes', () => {
  let db: TestDatabase;
  let ledger: BuiltinLedger;
  let org: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ledger = new BuiltinLedger(db.orm);
    org = await createTestLedger(db.orm);
  });
  afterAll(() => db.close());

  it('books the mirror of an invoice: accounts payable debited, expense and VAT credited', async () => {
    const entry = await ledger.postInvoice(org, creditNote());
    expect(entry).toMatchObject({ kind: 'CREDIT_NOTE', total: '62.75', journal: 'ITEM_INVOICES' });
    expect(cells(entry)).toEqual([
      ['4000', 'FI25.5', '0.00', '50.00'],
      ['1763', 'FI25.5', '0.00', '12.75'],
      ['2871', null, '62.75', '0.00'],
    ]);
    const invoice = await ledger.postInvoice(
      org,
      invoiceRequest({
        grossAmount: '62.75',
        lines: [line({ netAmount: '50.00', vatAmount: '12.75' })],
      }),
    );
    // The same lines with debit and credit swapped: one rule, two signs.
    expect(cells(invoice)).toEqual(
      cells(entry).map(([account, vat, debit, credit]) => [account, vat, credit, debit]),
    );
  });

  it('books a line of the other sign inside a credit note on the other side', async () => {
    const entry = await ledger.postInvoice(
      org,
      creditNote({
        grossAmount: '-50.20',
        lines: [
          line({ accountCode: '4000', netAmount: '-50.00', vatAmount: '-12.75' }),
          line({ accountCode: '7600', netAmount: '10.00', vatAmount: '2.55' }),
        ],
      }),
    );
    expect(cells(entry)).toEqual([
      ['4000', 'FI25.5', '0.00', '50.00'],
      ['7600', 'FI25.5', '10.00', '0.00'],
      ['1763', 'FI25.5', '0.00', '10.20'],
      ['2871', null, '50.20', '0.00'],
    ]);
  });

  it('keeps references unique per kind: an invoice and a credit note share a number, two credit notes do not', async () => {
    const reference = 'SHARED-1';
    const inv = await ledger.postInvoice(org, invoiceRequest({ reference }));
    const cn = await ledger.postInvoice(org, creditNote({ reference }));
    expect([inv.kind, cn.kind]).toEqual(['INVOICE', 'CREDIT_NOTE']);
    const problems = await rejection(ledger.postInvoice(org, creditNote({ reference })));
    expect(problems.map((p) => p.code)).toEqual(['DUPLICATE_REFERENCE']);
    expect(problems[0].message).toMatch(/live credit note entry/);
    expect((await ledger.findByReference(org, 'ACME', reference, 'CREDIT_NOTE'))?.id).toBe(cn.id);
    expect((await ledger.findByReference(org, 'ACME', reference, 'INVOICE'))?.id).toBe(inv.id);
  });

  it('refuses a request whose gross sign contradicts its kind', async () => {
    const positive = await rejection(
      ledger.postInvoice(org, creditNote({ grossAmount: '125.50', lines: [line()] })),
    );
    expect(positive).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: ['grossAmount'] }),
    ]);
    const negative = await rejection(
      ledger.postInvoice(
        org,
        invoiceRequest({
          grossAmount: '-62.75',
          lines: [line({ netAmount: '-50.00', vatAmount: '-12.75' })],
        }),
      ),
    );
    expect(negative).toEqual([
      expect.objectContaining({
        code: 'VALIDATION',
        message: expect.stringMatching(/CREDIT_NOTE/),
      }),
    ]);
    const unknown = await rejection(
      ledger.postInvoice(org, invoiceRequest({ documentKind: 'RECEIPT' as never })),
    );
    expect(unknown.map((p) => p.field)).toEqual([['documentKind']]);
  });

  it('books credit notes within a batch with their own kind, next to the invoices', async () => {
    const requests = [invoiceRequest(), creditNote(), invoiceRequest(), creditNote()];
    const outcomes = await ledger.postInvoices(org, requests);
    const entries = outcomes.map((o) => ('entry' in o ? o.entry : null));
    expect(entries.map((e) => e?.kind)).toEqual([
      'INVOICE',
      'CREDIT_NOTE',
      'INVOICE',
      'CREDIT_NOTE',
    ]);
    expect(entries.map((e) => e?.idempotencyKey)).toEqual(requests.map((r) => r.idempotencyKey));
    // Idempotent by key, kind and all.
    const again = await ledger.postInvoices(org, requests);
    expect(again.map((o) => ('entry' in o ? o.entry.id : null))).toEqual(entries.map((e) => e!.id));
  });

  it('reverses a credit note with its mirror, which frees its reference', async () => {
    const req = creditNote();
    const entry = await ledger.postInvoice(org, req);
    const reversal = await ledger.reverse(org, {
      idempotencyKey: `${req.idempotencyKey}:rev`,
      entryId: entry.id,
      documentDate: '2026-03-20',
      closedPeriodPolicy: req.closedPeriodPolicy,
      description: null,
    });
    expect(reversal.kind).toBe('REVERSAL');
    expect(cells(reversal)).toEqual(
      cells(entry).map(([account, vat, debit, credit]) => [account, vat, credit, debit]),
    );
    expect(await ledger.findByReference(org, 'ACME', req.reference, 'CREDIT_NOTE')).toBeNull();
    const repost = await ledger.postInvoice(org, creditNote({ reference: req.reference }));
    expect(repost.kind).toBe('CREDIT_NOTE');
  });
});
