/**
 * Bank statements end to end, in real Chromium against a real Ledgerlink process with the demo
 * data: an accountant uploads today's statement for Aurora's account; the payments it matches are
 * recorded and reach the ledger by automatic transfer, the rest wait in the match queue with a
 * suggestion, and the accountant ignores the bank fee there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { sampleStatement } from '../../server/src/modules/bank-statements/bank-statement.sample.js';
import { createTestDatabase, type TestDatabase } from '../../server/src/testing/db.js';
import {
  axeViolations,
  buildWebIfStale,
  launchBrowser,
  screenshot,
  signIn,
  startDemoServer,
  type DemoServer,
} from './support.js';

describe('bank statements in Chromium', () => {
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

  it('an accountant imports a statement: matches are paid and transferred, the rest wait in the queue', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const xml = await sampleStatement(db.orm.em.fork(), 'aurora', today);
    const context = await launchBrowser();
    contexts.push(context);
    const page = context.pages()[0] ?? (await context.newPage());
    await signIn(page, server.base, 'accountant@aurora.example');

    await page.goto(`${server.base}/bank`);
    await page.getByText('No bank statements yet').waitFor();
    await page.setInputFiles('input[data-testid="statement-files"]', {
      name: 'aurora-today.xml',
      mimeType: 'text/xml',
      buffer: Buffer.from(xml, 'utf8'),
    });
    const result = page.getByTestId('import-result');
    await result.getByText('Imported').waitFor({ timeout: 30_000 });
    expect(await result.innerText()).toContain('5 matched and paid, 2 waiting in the match queue');
    await page.getByTestId('statement-link').first().waitFor();
    expect(await page.getByTestId('statement-counts').first().innerText()).toBe(
      '5 matched · 2 queued',
    );
    const statementsAxe = await axeViolations(page);
    await screenshot(page, 'bank-statements');

    await page.getByTestId('statement-link').first().click();
    await page.getByTestId('balance-ok').waitFor();
    expect(await page.getByTestId('paid-invoice-link').count()).toBe(5);
    await screenshot(page, 'bank-statement');

    // The payments reach the ledger by themselves (Aurora transfers payments automatically),
    // except one whose invoice is not in the ledger yet: it waits.
    const deadline = Date.now() + 45_000;
    let rows: { transfer_status: string | null; invoice_in_ledger: boolean }[] = [];
    for (;;) {
      rows = await db.sql(
        `select p.transfer_status, i.ledger_version is not null as invoice_in_ledger from payment p
         join purchase_invoice i on i.id = p.invoice_id where p.bank_reference like $1`,
        [`${today.replaceAll('-', '')}SAMPLE%`],
      );
      const settled = rows.every((r) =>
        r.invoice_in_ledger ? r.transfer_status === 'TRANSFERRED' : r.transfer_status === null,
      );
      if ((rows.length === 5 && settled) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => r.transfer_status === 'TRANSFERRED').length).toBe(
      rows.filter((r) => r.invoice_in_ledger).length,
    );

    await page.goto(`${server.base}/match-queue`);
    const entries = page.getByTestId('queue-entry');
    await entries.first().waitFor();
    expect(await entries.count()).toBe(2);
    const partial = entries.filter({ hasText: 'partial payment' });
    expect(await partial.getByTestId('suggestion').count()).toBe(1);
    const queueAxe = await axeViolations(page);
    await screenshot(page, 'bank-match-queue');
    const fee = entries.filter({ hasText: 'Service fee' });
    await fee.locator('button[data-testid="ignore-entry"]').click();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="queue-entry"]').length === 1,
    );
    expect({ statementsAxe, queueAxe }).toEqual({ statementsAxe: [], queueAxe: [] });
  }, 180_000);
});
