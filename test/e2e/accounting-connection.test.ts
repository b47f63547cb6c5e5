/**
 * Settings → Accounting connection in real Chromium against a real Ledgerlink process with the
 * demo data and a local accountsIQ service: Borealis AB's admin connects to accountsIQ, tests
 * the credentials (the secret shown only masked), refreshes master data and runs a drift check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import {
  startLocalAccountsIq,
  type LocalAccountsIq,
} from '../../server/src/accounting/accountsiq/index.js';
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

const SECRET = 'e2e-SECRET-4d1f8a-7b2c';
const ENTITY = 'E2E-BOREALIS';
const MASTER = `query($o: ID!) {
  masterData(organizationId: $o) { accounts { code name postable active } costUnits { code name active }
    vatCodes { code name rate } supplierAccounts { accountName name active } }
  accountingPeriods(organizationId: $o) { name startDate endDate status } }`;

interface Master {
  masterData: {
    accounts: { code: string; name: string; postable: boolean; active: boolean }[];
    costUnits: { code: string; name: string; active: boolean }[];
    vatCodes: { code: string; name: string; rate: string }[];
    supplierAccounts: { accountName: string; name: string; active: boolean }[];
  };
  accountingPeriods: { name: string; startDate: string; endDate: string; status: string }[];
}

/** An accountsIQ company with the organization's master data, as its accountant would have it. */
async function seedCompany(page: Page, base: string, aiq: LocalAccountsIq, orgId: string) {
  const m = await gql<Master>(page, base, MASTER, { o: orgId });
  aiq.addCompany({
    entity: ENTITY,
    clientId: 'e2e-client',
    clientSecret: SECRET,
    companyName: 'Borealis AB i accountsIQ',
    currencies: ['SEK'],
    glAccounts: m.masterData.accounts.map((a) => ({ ...a, type: 'EXPENSE' })),
    taxCodes: m.masterData.vatCodes.map((v) => ({
      code: v.code,
      description: v.name,
      rate: v.rate,
    })),
    departments: m.masterData.costUnits,
    suppliers: m.masterData.supplierAccounts.map((s) => ({
      code: s.accountName,
      name: s.name,
      active: s.active,
    })),
    periods: m.accountingPeriods.map((p) => ({
      name: p.name,
      start: p.startDate,
      end: p.endDate,
      open: p.status === 'OPEN',
    })),
  });
  return m.accountingPeriods.filter((p) => p.status === 'OPEN').length;
}

describe('Settings → Accounting connection in Chromium', () => {
  let db: TestDatabase;
  let server: DemoServer;
  let aiq: LocalAccountsIq;
  let context: BrowserContext;

  beforeAll(async () => {
    buildWebIfStale();
    db = await createTestDatabase();
    server = await startDemoServer(db.url);
    aiq = await startLocalAccountsIq();
    context = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await server?.stop();
    await aiq?.close();
    await db?.close();
  });

  it('an admin connects accountsIQ, tests it, refreshes master data and checks drift', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    const base = server.base;
    try {
      await signIn(page, base, 'admin@borealis.example');
      const orgs = await gql<{ viewer: { organizations: { id: string; slug: string }[] } }>(
        page,
        base,
        '{ viewer { organizations { id slug } } }',
      );
      const orgId = orgs.viewer.organizations.find((o) => o.slug === 'borealis')!.id;
      const openPeriods = await seedCompany(page, base, aiq, orgId);

      await page.goto(`${base}/settings/accounting-connection`);
      await page.getByRole('heading', { name: 'System and credentials' }).waitFor();
      await page.locator('label[for="system-accountsiq"]').click();
      await page.getByTestId('conn-endpoint').fill(aiq.url);
      await page.getByTestId('conn-entity').fill(ENTITY);
      await page.getByTestId('conn-clientId').fill('e2e-client');
      await page.getByTestId('conn-clientSecret').fill(SECRET);
      await page.getByTestId('save-accounting-connection').click();

      await expect
        .poll(() => page.getByTestId('connection-status').innerText())
        .toContain('Not tested yet');
      expect(await page.getByTestId('secret-hint').innerText()).toContain('••••••7b2c');
      expect(await page.getByTestId('conn-clientSecret').inputValue()).toBe('');

      await page.getByTestId('test-accounting-connection').click();
      await expect
        .poll(() => page.getByTestId('test-outcome').innerText())
        .toContain(`Connected to Borealis AB i accountsIQ (${openPeriods} open periods)`);
      await expect
        .poll(() => page.getByTestId('connection-status').innerText())
        .toContain('Connected');

      await page.getByTestId('refresh-master-data').click();
      await expect
        .poll(() => page.getByTestId('master-data-refreshed').innerText())
        .toContain('last refreshed');

      await page.getByTestId('run-drift-check').click();
      await expect
        .poll(() => page.getByTestId('drift-summary').innerText())
        .toContain('no differences');
      await screenshot(page, 'accounting-connection', { fullPage: true });
      expect(await axeViolations(page)).toEqual([]);

      // The secret went to accountsIQ (it signed in with it) and nowhere into the page.
      expect(aiq.tokensIssued(ENTITY)).toBeGreaterThan(0);
      expect(await page.content()).not.toContain(SECRET);
      await page.reload();
      await page.getByTestId('secret-hint').waitFor();
      expect(await page.content()).not.toContain(SECRET);
    } catch (error) {
      await screenshot(page, 'accounting-connection-failed', { fullPage: true }).catch(() => {});
      console.error(server.tail());
      throw error;
    }
  }, 180_000);
});
