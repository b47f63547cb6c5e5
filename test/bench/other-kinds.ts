/**
 * The transfers other than first posts, timed on the bench's exported invoices with the same
 * server: corrections (a new posting version exported in calls of 500: validate, reverse and
 * post in the ledger), payments (recorded one call each, exported in calls of 500) and
 * reversals, both ways: removeFromAccounting (one call per document) and
 * removeInvoicesFromAccounting (calls of 500, one batch each).
 * Each figure is documents per second from the first call to the last TRANSFERRED.
 */
import { randomUUID } from 'node:crypto';
import { toGlobalId } from '../../server/src/common/ids.js';
import { EXPORT_INVOICES, type Gql } from '../helpers/gql.js';
import { today, type Sql } from '../helpers/seed.js';

const EXPORT_PAYMENTS = `mutation($input: ExportPaymentsInput!) { exportPayments(input: $input) {
  transfers { id } userErrors { code message field } } }`;
const RECORD_PAYMENT = `mutation($input: RecordPaymentInput!) { recordPayment(input: $input) {
  payment { id } userErrors { code message } } }`;
const REVERSE_MANY = `mutation($input: RemoveInvoicesFromAccountingInput!) { removeInvoicesFromAccounting(input: $input) {
  transfers { id } userErrors { code message field } } }`;
const REMOVE_FROM_ACCOUNTING = `mutation($input: RemoveFromAccountingInput!) { removeFromAccounting(input: $input) {
  transfer { id } userErrors { code message } } }`;

export interface KindFigure {
  documents: number;
  seconds: number;
  perSecond: number;
}

export interface OtherKinds {
  corrections: KindFigure;
  payments: KindFigure & { recordSeconds: number };
  reversals: KindFigure;
  batchReversals: KindFigure;
}

const BATCH = 500;

async function inParallel<T>(items: T[], clients: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

async function untilTransferred(sql: Sql, kind: string, type: string, n: number, since: Date) {
  for (const started = Date.now(); ;) {
    const [row] = await sql<{ done: string; failed: string }>(
      `select count(*) filter (where status = 'TRANSFERRED') as done, count(*) filter (where status = 'FAILED') as failed
         from transfer where kind = $1 and document_type = $2 and created_at >= $3`,
      [kind, type, since],
    );
    if (Number(row.failed)) throw new Error(`${row.failed} ${kind} transfers FAILED`);
    if (Number(row.done) >= n) return;
    if (Date.now() - started > 10 * 60_000) throw new Error(`${kind}: not done after 10 minutes`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function figure(documents: number, startedAt: number): KindFigure {
  const seconds = (Date.now() - startedAt) / 1000;
  return {
    documents,
    seconds: Number(seconds.toFixed(3)),
    perSecond: Number((documents / seconds).toFixed(1)),
  };
}

export async function measureOtherKinds(opts: {
  sql: Sql;
  exporter: Gql;
  writer: Gql;
  organizationId: string;
  orgGlobalId: string;
  invoiceIds: string[];
  clients: number;
}): Promise<OtherKinds> {
  const { sql, exporter, writer, orgGlobalId, clients } = opts;
  const n = Math.min(opts.invoiceIds.length, 1000);
  const correctIds = opts.invoiceIds.slice(0, n);
  const payIds = opts.invoiceIds.slice(n, 2 * n);
  const reverseIds = opts.invoiceIds.slice(2 * n, 2 * n + Math.min(n, 500));
  const batchReverseIds = opts.invoiceIds.slice(
    2 * n + reverseIds.length,
    3 * n + reverseIds.length,
  );

  // Corrections: a new posting version of each (same lines), exported in calls of 500.
  await sql(
    `update purchase_invoice set posting_version = posting_version + 1, version = version + 1 where id = any($1::uuid[])`,
    [correctIds],
  );
  let since = new Date();
  let at = Date.now();
  const chunks = (ids: string[]) =>
    Array.from({ length: Math.ceil(ids.length / BATCH) }, (_, i) =>
      ids.slice(i * BATCH, (i + 1) * BATCH),
    );
  await inParallel(chunks(correctIds), clients, async (ids) => {
    const res = await exporter.ok(EXPORT_INVOICES, {
      input: {
        organizationId: orgGlobalId,
        invoiceIds: ids.map((id) => toGlobalId('PurchaseInvoice', id)),
        idempotencyKey: randomUUID(),
      },
    });
    if (res.exportInvoices.userErrors.length)
      throw new Error(`correction refused: ${JSON.stringify(res.exportInvoices.userErrors[0])}`);
  });
  await untilTransferred(sql, 'CORRECTION', 'INVOICE', correctIds.length, since);
  const corrections = figure(correctIds.length, at);

  // Payments: recorded one call each (the API's only way), then exported in calls of 500.
  const gross = new Map(
    (
      await sql<{ id: string; gross: string }>(
        `select id, gross_amount::text as gross from purchase_invoice where id = any($1::uuid[])`,
        [payIds],
      )
    ).map((r) => [r.id, r.gross]),
  );
  const paymentIds: string[] = [];
  const recordAt = Date.now();
  await inParallel(payIds, clients, async (invoiceId) => {
    const res = await writer.ok(RECORD_PAYMENT, {
      input: {
        invoiceId: toGlobalId('PurchaseInvoice', invoiceId),
        amount: gross.get(invoiceId),
        paymentDate: today(),
        source: 'MANUAL',
        idempotencyKey: randomUUID(),
      },
    });
    if (!res.recordPayment.payment)
      throw new Error(`payment refused: ${JSON.stringify(res.recordPayment.userErrors[0])}`);
    paymentIds.push(res.recordPayment.payment.id);
  });
  const recordSeconds = Number(((Date.now() - recordAt) / 1000).toFixed(3));
  since = new Date();
  at = Date.now();
  await inParallel(chunks(paymentIds), clients, async (ids) => {
    const res = await exporter.ok(EXPORT_PAYMENTS, {
      input: { organizationId: orgGlobalId, paymentIds: ids, idempotencyKey: randomUUID() },
    });
    if (res.exportPayments.userErrors.length)
      throw new Error(
        `payment export refused: ${JSON.stringify(res.exportPayments.userErrors[0])}`,
      );
  });
  await untilTransferred(sql, 'POST', 'PAYMENT', paymentIds.length, since);
  const payments = { ...figure(paymentIds.length, at), recordSeconds };

  // Reversals: one call per invoice.
  since = new Date();
  at = Date.now();
  await inParallel(reverseIds, clients, async (invoiceId) => {
    const res = await exporter.ok(REMOVE_FROM_ACCOUNTING, {
      input: { invoiceId: toGlobalId('PurchaseInvoice', invoiceId), idempotencyKey: randomUUID() },
    });
    if (!res.removeFromAccounting.transfer)
      throw new Error(
        `reversal refused: ${JSON.stringify(res.removeFromAccounting.userErrors[0])}`,
      );
  });
  await untilTransferred(sql, 'REVERSAL', 'INVOICE', reverseIds.length, since);
  const reversals = figure(reverseIds.length, at);

  // Reversals in calls of 500, one batch each.
  since = new Date();
  at = Date.now();
  await inParallel(chunks(batchReverseIds), clients, async (ids) => {
    const res = await exporter.ok(REVERSE_MANY, {
      input: {
        organizationId: orgGlobalId,
        invoiceIds: ids.map((id) => toGlobalId('PurchaseInvoice', id)),
        idempotencyKey: randomUUID(),
      },
    });
    if (res.removeInvoicesFromAccounting.userErrors.length)
      throw new Error(
        `reversals refused: ${JSON.stringify(res.removeInvoicesFromAccounting.userErrors[0])}`,
      );
  });
  // Both kinds of reversal are REVERSAL transfers; count the one-by-one ones in too.
  await untilTransferred(sql, 'REVERSAL', 'INVOICE', batchReverseIds.length, since);
  const batchReversals = figure(batchReverseIds.length, at);
  return { corrections, payments, reversals, batchReversals };
}
