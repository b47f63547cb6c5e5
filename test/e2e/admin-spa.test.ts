/**
 * The admin SPA end to end, in real Chromium against a real Ledgerlink process with the demo data:
 * an accountant exports and fixes a failed posting, an admin configures a transfer stage and
 * automatic transfer and watches it happen, an admin creates, uses and revokes an API token, a
 * viewer cannot export. Screenshots of the main views go to test/artifacts/screenshots/; the
 * README's are rewritten in docs/screenshots/ only with LEDGERLINK_UPDATE_DOCS_SCREENSHOTS=1, so
 * a plain test run leaves the working tree clean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../../server/src/testing/db.js';
import {
  axeViolations,
  buildWebIfStale,
  gql,
  gqlWithToken,
  launchBrowser,
  screenshot,
  signIn,
  startDemoServer,
  type DemoServer,
} from './support.js';

const TRANSFER_WAIT = 45_000;

interface InvoiceNode {
  id: string;
  invoiceNumber: string;
  status: string;
  transferStatus: string | null;
  transferBlockers: { code: string }[];
  lastTransferErrors: { code: string; message: string }[];
  currentStage: { name: string } | null;
  posted: boolean;
  documentNumber: number | null;
}

const INVOICES = `query($o: ID!, $tab: InvoiceTab!) { invoices(organizationId: $o, tab: $tab, first: 50) {
  nodes { id invoiceNumber status transferStatus posted documentNumber currentStage { name }
    transferBlockers { code } lastTransferErrors { code message } } } }`;

async function organizationId(page: Page, base: string): Promise<string> {
  const data = await gql<{ viewer: { organizations: { id: string; slug: string }[] } }>(
    page,
    base,
    '{ viewer { organizations { id slug } } }',
  );
  return data.viewer.organizations.find((o) => o.slug === 'aurora')!.id;
}

async function invoices(page: Page, base: string, tab: string): Promise<InvoiceNode[]> {
  const org = await organizationId(page, base);
  const data = await gql<{ invoices: { nodes: InvoiceNode[] } }>(page, base, INVOICES, {
    o: org,
    tab,
  });
  return data.invoices.nodes;
}

/** A button rendered by GuardedButton (the wrapper carries the test id too). */
const guarded = (page: Page, testId: string) => page.locator(`button[data-testid="${testId}"]`);

async function textOf(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

describe('the admin SPA in Chromium', () => {
  let db: TestDatabase;
  let server: DemoServer;
  let base: string;
  const contexts: BrowserContext[] = [];
  const axe: Record<string, string[]> = {};
  /** GraphQL errors the pages received (throttling, masked server errors), for the post-mortem. */
  const graphqlErrors: string[] = [];

  async function open(email: string): Promise<Page> {
    const context = await launchBrowser();
    contexts.push(context);
    const page = context.pages()[0] ?? (await context.newPage());
    context.on('response', (response) => {
      if (!response.url().endsWith('/graphql')) return;
      void response
        .json()
        .then((body: { errors?: { message: string }[] }) => {
          for (const e of body.errors ?? []) graphqlErrors.push(`${email}: ${e.message}`);
        })
        .catch(() => {});
    });
    await signIn(page, base, email);
    return page;
  }

  /** Runs a scenario; when it fails, every open page is saved as failed-<n>.png for the post-mortem. */
  function scenario(name: string, body: () => Promise<void>, timeout = 120_000) {
    it(
      name,
      async () => {
        try {
          await body();
        } catch (error) {
          const pages = contexts.flatMap((c) => c.pages());
          for (const [i, p] of pages.entries()) {
            await screenshot(p, `failed-${i + 1}`, { fullPage: true }).catch(() => {});
          }
          console.error(
            `GraphQL errors seen: ${JSON.stringify(graphqlErrors.slice(-10))}\nserver: ${server.tail()}`,
          );
          throw error;
        }
      },
      timeout,
    );
  }

  async function checkAxe(page: Page, view: string) {
    axe[view] = await axeViolations(page);
  }

  beforeAll(async () => {
    buildWebIfStale();
    db = await createTestDatabase();
    server = await startDemoServer(db.url);
    base = server.base;
  }, 240_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await server?.stop();
    await db?.close();
  });

  scenario(
    'the accountant exports three selected invoices and watches each reach Transferred with its reference',
    async () => {
      const page = await open('accountant@aurora.example');
      const picks = (await invoices(page, base, 'TRANSFERABLE'))
        .filter((i) => i.status === 'APPROVED' && !i.transferStatus && !i.transferBlockers.length)
        .slice(0, 3);
      expect(picks).toHaveLength(3);

      await page.goto(`${base}/invoices?tab=to-be-transferred`);
      const table = page.getByTestId('invoice-table');
      for (const invoice of picks) {
        const row = table.locator('tbody tr', {
          has: page.getByTestId(`invoice-link-${invoice.invoiceNumber}`),
        });
        await row.getByRole('checkbox').check();
      }
      expect(await textOf(page.getByTestId('selection-count'))).toBe('3 selected');
      await screenshot(page, 'invoices-to-be-transferred', { docs: true });

      await guarded(page, 'export-button').click();
      for (const invoice of picks) {
        const row = page.getByTestId(`export-row-${invoice.invoiceNumber}`);
        await row.locator('[data-status="TRANSFERRED"]').waitFor({ timeout: TRANSFER_WAIT });
        // The ledger Reference is the supplier's invoice number.
        expect(await textOf(row)).toContain(`${invoice.invoiceNumber} ·`);
      }
      await screenshot(page, 'export-progress', { docs: true });

      // Where it landed: the journal, searched by Reference, and the entry with its lines.
      const reference = picks[0].invoiceNumber;
      await page.goto(`${base}/accounting`);
      await page.getByLabel('Reference').fill(reference);
      await Promise.all([
        page.waitForURL(/\/accounting\/entries\//),
        page.getByTestId(`entry-link-${reference}`).click(),
      ]);
      expect(await textOf(page.getByTestId('entry-reference'))).toBe(reference);
      await page.getByTestId('entry-lines').waitFor();
      await screenshot(page, 'ledger-entry', { docs: true });
      await checkAxe(page, 'ledger entry');

      await page.goto(`${base}/accounting?ref=${encodeURIComponent(reference)}`);
      await page.getByTestId(`entry-link-${reference}`).waitFor();
      await checkAxe(page, 'journals');
    },
  );

  scenario(
    'a failed posting shows the failure icon with its reason, is fixed in the detail view and retried',
    async () => {
      const page = contexts[0].pages()[0];
      const failed = (await invoices(page, base, 'TRANSFERABLE')).find(
        (i) =>
          i.transferStatus === 'FAILED' &&
          i.lastTransferErrors.some((e) => e.code === 'ACCOUNT_NOT_POSTABLE'),
      );
      expect(
        failed,
        'the demo data has an invoice that failed on an inactive account',
      ).toBeDefined();
      const reason = failed!.lastTransferErrors[0].message;

      await page.goto(`${base}/invoices?tab=to-be-transferred`);
      const row = page.getByTestId('invoice-table').locator('tbody tr', {
        has: page.getByTestId(`invoice-link-${failed!.invoiceNumber}`),
      });
      const icon = row.getByTestId('transfer-failed');
      expect(await icon.getAttribute('aria-label')).toContain(reason);
      await icon.hover();
      await page.locator('.p-tooltip', { hasText: reason }).waitFor();
      await screenshot(page, 'invoice-failure-reason', { docs: true });

      await page.getByTestId(`invoice-link-${failed!.invoiceNumber}`).click();
      const alert = page.getByTestId('failure-alert');
      expect(await textOf(alert)).toContain(reason);
      await screenshot(page, 'invoice-detail-failed', { docs: true, fullPage: true });

      // The fix: line 1 goes to the active account 7600.
      await guarded(page, 'edit-posting').click();
      await page.getByTestId('line-0-account').click();
      await page.getByRole('option', { name: /^7600/ }).first().click();
      await page.getByTestId('save-posting').click();
      await guarded(page, 'edit-posting').waitFor();

      await guarded(page, 'retry-failed').click();
      await page
        .locator('[data-testid="invoice-transfer-status"][data-status="TRANSFERRED"]')
        .waitFor({ timeout: TRANSFER_WAIT });
      await screenshot(page, 'invoice-detail-transferred', { fullPage: true });

      // Every run with a failure has a report, downloadable as CSV.
      await page.goto(`${base}/reports`);
      await checkAxe(page, 'transfer reports');
      await page.getByTestId('report-link').first().click();
      await page.getByTestId('report-items').waitFor();
      await screenshot(page, 'transfer-report', { docs: true });
      await checkAxe(page, 'transfer report');
      const href = await page.getByTestId('report-csv').getAttribute('href');
      const csv = await page.request.get(`${base}${href}`);
      expect(csv.status()).toBe(200);
      expect(await csv.text()).toContain('Document type,Invoice number,Supplier');
    },
  );

  scenario(
    'an admin turns on automatic transfer, adds a stage "transferred from this step", approves an invoice through it and sees it transferred automatically',
    async () => {
      const page = await open('admin@aurora.example');
      const org = await organizationId(page, base);
      // Start from an organization without automatic transfer, so the setting is what turns it on.
      await gql(
        page,
        base,
        `mutation($i: UpdateTransferSettingsInput!) { updateTransferSettings(input: $i) { userErrors { code } } }`,
        { i: { organizationId: org, autoTransferInvoices: false } },
      );

      await page.goto(`${base}/settings`);
      const toggle = page.getByRole('switch', { name: 'Automatic transfer of invoices' });
      expect(await toggle.isChecked()).toBe(false);
      await toggle.check();
      await page.getByTestId('save-transfer-settings').click();
      await page.locator('.p-toast-message', { hasText: 'Transfer settings saved' }).waitFor();
      expect(await toggle.isChecked()).toBe(true);

      // An API token for a partner: its secret is shown once, and it works as a bearer token.
      await page.getByTestId('create-token').click();
      await page.locator('#token-name').fill('Accounting firm X, nightly sync');
      await page.locator('#scope-EXPORT').check();
      await page.getByTestId('submit-token').click();
      const secret = await page.locator('#token-secret').inputValue();
      const viewer = await gqlWithToken<{ viewer: { apiClient: unknown } }>(
        base,
        secret,
        '{ viewer { apiClient { name scopes } } }',
      );
      expect(viewer.data?.viewer.apiClient).toEqual({
        name: 'Accounting firm X, nightly sync',
        scopes: ['READ', 'EXPORT'],
      });
      await page.getByRole('button', { name: 'Done' }).click();
      expect(await page.locator('#token-secret').count()).toBe(0);
      for (const close of await page.locator('.p-toast-close-button').all()) await close.click();
      await screenshot(page, 'settings', { docs: true, fullPage: true });
      await checkAxe(page, 'settings');

      await page.goto(`${base}/approval-processes`);
      await page.getByTestId('process-card').first().waitFor();
      await checkAxe(page, 'approval processes');
      await page.getByRole('link', { name: 'Edit Default approval' }).click();
      await page.getByTestId('add-stage').click();
      const added = page.getByTestId('stage-3');
      await added.getByTestId('stage-name').fill('Controller review');
      await added.getByTestId('stage-role').click();
      await page.getByRole('option', { name: 'Admins' }).click();
      await added
        .getByRole('switch', { name: 'Invoice will be transferred from this step' })
        .check();
      await added.getByRole('button', { name: 'Move Controller review up' }).click();
      await page.getByRole('button', { name: 'Move Controller review up' }).click();
      expect(await page.getByTestId('stage-1').getByTestId('stage-name').inputValue()).toBe(
        'Controller review',
      );
      await screenshot(page, 'approval-process-editor', { docs: true, fullPage: true });
      await checkAxe(page, 'approval process editor');
      await page.getByTestId('save-process').click();
      await page.locator('.p-toast-message', { hasText: 'saved' }).waitFor();
      const card = page.getByTestId('process-card').first();
      expect(await card.locator('.stage-name').allInnerTexts()).toEqual([
        'Inspection',
        'Controller review',
        'Approval',
        'Accounting check',
      ]);
      await screenshot(page, 'approval-processes', { docs: true });

      // The live monitor, in a second tab, sees what happens next.
      const monitor = await page.context().newPage();
      await monitor.goto(`${base}/monitor`);
      await monitor.getByTestId('monitor-current').waitFor();

      const invoice = (await invoices(page, base, 'IN_PROCESS')).find(
        (i) => i.currentStage?.name === 'Inspection' && i.posted && i.documentNumber != null,
      );
      expect(invoice, 'the demo data has a posted invoice waiting at Inspection').toBeDefined();
      await page.goto(`${base}/invoices/${invoice!.id}`);
      const approve = guarded(page, 'approve');
      expect(await textOf(approve)).toBe('Approve “Inspection”');
      await approve.click();
      await page
        .locator('button[data-testid="approve"]', { hasText: 'Controller review' })
        .waitFor();
      await approve.click();
      await page
        .locator('[data-testid="invoice-transfer-status"][data-status="TRANSFERRED"]')
        .waitFor({ timeout: TRANSFER_WAIT });
      // Transferred from the flagged stage: still in circulation, at the next stage.
      expect(await textOf(approve)).toBe('Approve “Approval”');

      const event = monitor
        .getByTestId('monitor-events')
        .locator('[data-testid="monitor-event"][data-status="TRANSFERRED"]', {
          hasText: invoice!.invoiceNumber,
        });
      await event.waitFor({ timeout: TRANSFER_WAIT });
      expect(await textOf(event)).toContain('Automatic');
      await screenshot(monitor, 'transfer-monitor', { docs: true });
      await checkAxe(monitor, 'transfer monitor');

      await page.goto(`${base}/accounting/periods`);
      await page.getByTestId('periods-table').waitFor();
      await screenshot(page, 'accounting-periods');
      await checkAxe(page, 'periods');
    },
  );

  scenario(
    'an admin creates an API token, sees its secret once, calls the API with it over HTTP and revokes it',
    async () => {
      const page = await open('admin@aurora.example');
      const org = await organizationId(page, base);
      const asPartner = (secret: string) =>
        gqlWithToken<{
          viewer: {
            apiClient: { name: string; scopes: string[] };
            organizations: { id: string }[];
          };
        }>(base, secret, '{ viewer { apiClient { name scopes } organizations { id name } } }');

      await page.goto(`${base}/settings`);
      const section = page.getByRole('region', { name: 'API tokens' });
      await section.getByRole('button', { name: 'Create token' }).click();
      await section.getByRole('textbox', { name: 'Name', exact: true }).fill('ERP sync');
      // Read is ticked already; the scope checkboxes are named by their label and its hint.
      expect(await section.getByRole('checkbox', { name: /^Read/ }).isChecked()).toBe(true);
      await section.getByRole('checkbox', { name: /^Write/ }).check();
      await section.getByRole('button', { name: 'Create token' }).click();

      const secretBox = section.getByRole('textbox', { name: 'New API token' });
      const secret = await secretBox.inputValue();
      expect(secret).toMatch(/^llk_\S{20,}$/);
      expect(await textOf(section)).toContain('It is shown only this once');
      await screenshot(page, 'settings-api-token-created');
      await checkAxe(page, 'settings, new API token');

      const allowed = await asPartner(secret);
      expect(allowed.errors).toBeUndefined();
      expect(allowed.data?.viewer).toEqual({
        apiClient: { name: 'ERP sync', scopes: ['READ', 'WRITE'] },
        organizations: [{ id: org, name: expect.any(String) }],
      });

      // After a reload the secret is nowhere in the page (nor kept by it); the token is listed.
      await page.reload();
      const row = section.getByRole('row').filter({ hasText: 'ERP sync' });
      await row.waitFor();
      expect(await secretBox.count()).toBe(0);
      const everythingShown = await page.evaluate(() =>
        [
          document.documentElement.outerHTML,
          document.body.innerText,
          ...[...document.querySelectorAll('input, textarea')].map(
            (e) => (e as HTMLInputElement).value,
          ),
          JSON.stringify(localStorage),
          JSON.stringify(sessionStorage),
        ].join('\n'),
      );
      expect(everythingShown).not.toContain(secret);
      const cells = row.getByRole('cell');
      // Name cell: the name and the prefix that tells tokens apart, never more of the secret.
      expect(await textOf(cells.nth(0))).toBe(`ERP sync ${secret.slice(0, 10)}…`);
      expect(await cells.nth(1).locator('.p-tag-label').allInnerTexts()).toEqual(['Read', 'Write']);
      // The call above counts as a use.
      expect(await textOf(cells.nth(3))).not.toBe('Never');

      await row.getByRole('button', { name: 'Revoke ERP sync' }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Revoke “ERP sync”?' });
      await confirm.waitFor();
      await checkAxe(page, 'settings, revoke API token');
      await confirm.getByRole('button', { name: 'Revoke token' }).click();
      await row.getByText(/^Revoked /).waitFor();
      expect(await row.getByRole('button', { name: 'Revoke ERP sync' }).count()).toBe(0);
      await screenshot(page, 'settings-api-token-revoked');
      await checkAxe(page, 'settings, revoked API token');

      const refused = await asPartner(secret);
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);

      // Revoked for good, not just in this page's cache.
      await page.reload();
      await row.getByText(/^Revoked /).waitFor();
    },
  );

  scenario('a viewer cannot export, and is kept out of the admin pages', async () => {
    const page = await open('viewer@aurora.example');
    await page.goto(`${base}/invoices?tab=to-be-transferred`);
    await page.getByTestId('invoice-table').waitFor();
    const button = guarded(page, 'export-button');
    expect(await button.isDisabled()).toBe(true);
    expect(await page.getByTestId('invoice-table').getByRole('checkbox').count()).toBe(0);
    const describedBy = await button.getAttribute('aria-describedby');
    expect(await textOf(page.locator(`[id="${describedBy}"]`))).toContain('accounting rights');
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(0);

    await page.goto(`${base}/settings`);
    await page.waitForURL(/\/forbidden/);
  });

  it('the admin views have no axe violations (WCAG 2.1 A/AA)', () => {
    expect(Object.keys(axe).sort()).toEqual([
      'approval process editor',
      'approval processes',
      'journals',
      'ledger entry',
      'periods',
      'settings',
      'settings, new API token',
      'settings, revoke API token',
      'settings, revoked API token',
      'transfer monitor',
      'transfer report',
      'transfer reports',
    ]);
    expect(axe).toEqual(Object.fromEntries(Object.keys(axe).map((k) => [k, []])));
  });
});
