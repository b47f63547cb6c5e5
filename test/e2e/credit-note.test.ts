/**
 * Credit notes in real Chromium against a real Ledgerlink process with the demo data: a partner's
 * credit note (negative amounts, crediting one of Aurora's invoices) is marked as such in the list
 * and the detail, the kind filter narrows the list to credit notes, and the credit note and the
 * invoice it credits link to each other.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../../server/src/testing/db.js';
import {
  axeViolations,
  buildWebIfStale,
  gql,
  launchBrowser,
  screenshot,
  signIn,
  startDemoServer,
  type DemoServer,
} from './support.js';

const CREATE = `mutation($input: CreatePurchaseInvoiceInput!) { createPurchaseInvoice(input: $input) {
  invoice { id invoiceNumber kind grossAmount } userErrors { code message } } }`;

describe('credit notes in Chromium', () => {
  let db: TestDatabase;
  let server: DemoServer;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    buildWebIfStale();
    db = await createTestDatabase();
    server = await startDemoServer(db.url);
  }, 240_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await server?.stop();
    await db?.close();
  });

  it('marks a credit note, filters by kind, and links the credit note and its invoice', async () => {
    const context = await launchBrowser();
    contexts.push(context);
    const page = context.pages()[0] ?? (await context.newPage());
    await signIn(page, server.base, 'accountant@aurora.example');

    // Setup through the API (the SPA has no create form): a credit note of an existing invoice.
    const [credited] = await db.sql<{ id: string; supplier_id: string; invoice_number: string }>(
      `select i.id, i.supplier_id, i.invoice_number from purchase_invoice i join organization o on o.id = i.organization_id
        where o.slug = 'aurora' and i.kind = 'INVOICE' and i.removed_at is null order by i.bill_date desc limit 1`,
    );
    const [org] = await db.sql<{ id: string }>(`select id from organization where slug = 'aurora'`);
    const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64url');
    const today = new Date().toISOString().slice(0, 10);
    const number = `CN-${randomUUID().slice(0, 6)}`;
    const created = await gql<{
      createPurchaseInvoice: { invoice: { id: string } | null; userErrors: unknown[] };
    }>(page, server.base, CREATE, {
      input: {
        organizationId: gid('Organization', org.id),
        supplierId: gid('Supplier', credited.supplier_id),
        kind: 'CREDIT_NOTE',
        creditedInvoiceId: gid('PurchaseInvoice', credited.id),
        invoiceNumber: number,
        billDate: today,
        dueDate: today,
        currency: 'EUR',
        netAmount: '-40.00',
        vatAmount: '-10.20',
        grossAmount: '-50.20',
        idempotencyKey: randomUUID(),
      },
    });
    expect(created.createPurchaseInvoice.userErrors).toEqual([]);

    await page.goto(`${server.base}/invoices?tab=all&kind=CREDIT_NOTE`);
    const link = page.getByTestId(`invoice-link-${number}`);
    await link.waitFor();
    // Every row of the filtered list is a credit note, and says so.
    const rows = page.locator('tbody tr');
    expect(await page.getByTestId('credit-note-badge').count()).toBe(await rows.count());
    expect(await rows.filter({ hasText: number }).innerText()).toMatch(
      /Credit note[\s\S]*[-−]\D?50[.,]20/,
    );
    const listAxe = await axeViolations(page);
    await screenshot(page, 'credit-note-list');

    await link.click();
    await page.getByTestId('credited-invoice-link').waitFor();
    expect(await page.getByTestId('credit-note-badge').innerText()).toBe('Credit note');
    expect(await page.getByTestId('credited-invoice-link').innerText()).toBe(
      credited.invoice_number,
    );
    expect(await page.getByTestId('open-amount').innerText()).toMatch(/[-−]\D?50[.,]20/);
    const detailAxe = await axeViolations(page);
    await screenshot(page, 'credit-note-detail');

    await page.getByTestId('credited-invoice-link').click();
    await page.getByTestId(`credit-note-link-${number}`).waitFor();
    expect(await page.getByTestId('credit-note-badge').count()).toBe(0);

    expect({ listAxe, detailAxe }).toEqual({ listAxe: [], detailAxe: [] });
  }, 120_000);
});
