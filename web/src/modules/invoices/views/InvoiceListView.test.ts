import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ExportInvoicesDocument,
  InvoiceListDocument,
  InvoiceTabCountsDocument,
  RecentTransfersDocument,
  SupplierOptionsDocument,
  TransferBatchDocument,
  type InvoiceRowFragment,
  TransferBatchProgressLiveDocument,
  TransferStatusChangedLiveDocument,
} from '@/gql/graphql';
import { createTestClient } from '@/test/apollo';
import { batch, connection, invoiceRow, ORG_ID, tabCounts, transferLive } from '@/test/fixtures';
import { mountView } from '@/test/mount';
import { createMockSubscription } from 'mock-apollo-client';
import InvoiceListView from './InvoiceListView.vue';

const failedRow = invoiceRow(1, {
  transferStatus: 'FAILED',
  lastTransferErrors: [
    {
      __typename: 'TransferError',
      code: 'VAT_CODE_INVALID',
      message: 'VAT code FI14 is valid to 2025-12-31 but the document is dated 2026-11-15',
      field: ['lines', '0', 'vatCode'],
    },
  ],
} as unknown as Partial<InvoiceRowFragment>);
const rows = [failedRow, invoiceRow(2), invoiceRow(3)];

function clientWith(list: InvoiceRowFragment[] = rows) {
  const client = createTestClient();
  const listHandler = vi.fn().mockResolvedValue({
    data: {
      invoices: {
        __typename: 'PurchaseInvoiceConnection',
        ...connection(list, { hasNextPage: true, totalCount: 31 }),
      },
    },
  });
  client.setRequestHandler(InvoiceListDocument, listHandler);
  client.setRequestHandler(InvoiceTabCountsDocument, async () => ({
    data: { invoiceTabCounts: tabCounts() },
  }));
  client.setRequestHandler(SupplierOptionsDocument, async () => ({
    data: { suppliers: { __typename: 'SupplierConnection', ...connection([]) } },
  }));
  client.setRequestHandler(TransferBatchProgressLiveDocument, () => createMockSubscription());
  client.setRequestHandler(TransferStatusChangedLiveDocument, () => createMockSubscription());
  return { client, listHandler };
}

function rowCheckbox(wrapper: VueWrapper, index: number) {
  return wrapper.findAll('tbody tr')[index].find('input[type="checkbox"]');
}

function exportButton(wrapper: VueWrapper) {
  return wrapper.get('[data-testid="export-button"] button');
}

describe('InvoiceListView', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('shows the tabs with their counts and asks for the tab in the URL', async () => {
    const { client, listHandler } = clientWith();
    const { wrapper, router } = await mountView(InvoiceListView, {
      client,
      path: '/invoices?tab=to-be-transferred',
    });
    await flushPromises();

    expect(wrapper.get('[data-testid="tab-count-in-process"]').text()).toBe('23');
    expect(wrapper.get('[data-testid="tab-count-to-be-transferred"]').text()).toBe('31');
    expect(wrapper.get('[data-testid="tab-count-all"]').text()).toBe('298');
    expect(listHandler).toHaveBeenLastCalledWith(
      expect.objectContaining({ organizationId: ORG_ID, tab: 'TRANSFERABLE', first: 50 }),
    );
    expect(wrapper.get('[data-testid="showing-count"]').text()).toMatch(/Showing 3 of 31/);

    await wrapper.get('[data-testid="tab-all"]').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query.tab).toBe('all');
    expect(listHandler).toHaveBeenLastCalledWith(expect.objectContaining({ tab: 'ALL' }));
  });

  it('sorts on the server and loads the next page after the end cursor', async () => {
    const { client, listHandler } = clientWith();
    const { wrapper, router } = await mountView(InvoiceListView, { client, path: '/invoices' });
    await flushPromises();

    const grossHeader = wrapper.findAll('th').find((th) => th.text().includes('Gross'))!;
    await grossHeader.trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query).toMatchObject({ sort: 'grossAmount', dir: 'asc' });
    expect(listHandler).toHaveBeenLastCalledWith(
      expect.objectContaining({ orderBy: { field: 'GROSS_AMOUNT', direction: 'ASC' } }),
    );

    await wrapper.get('[data-testid="load-more"]').trigger('click');
    await flushPromises();
    expect(listHandler).toHaveBeenLastCalledWith(expect.objectContaining({ after: 'cursor-3' }));
  });

  it('gives a failed transfer an icon whose label lists the reasons', async () => {
    const { client } = clientWith();
    const { wrapper } = await mountView(InvoiceListView, { client, path: '/invoices' });
    await flushPromises();

    const icons = wrapper.findAll('[data-testid="transfer-failed"]');
    expect(icons).toHaveLength(1);
    expect(icons[0].attributes('aria-label')).toContain('VAT code invalid');
    expect(icons[0].attributes('aria-label')).toContain('FI14 is valid to 2025-12-31');
    expect(icons[0].attributes('tabindex')).toBe('0');
  });

  it('disables export, with the reason, until something is selected', async () => {
    const { client } = clientWith();
    const { wrapper } = await mountView(InvoiceListView, { client, path: '/invoices' });
    await flushPromises();

    expect(exportButton(wrapper).attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="export-button"]').text()).toContain(
      'Select the invoices to export.',
    );

    await rowCheckbox(wrapper, 1).setValue(true);
    await rowCheckbox(wrapper, 2).setValue(true);
    expect(wrapper.get('[data-testid="selection-count"]').text()).toBe('2 selected');
    expect(exportButton(wrapper).attributes('disabled')).toBeUndefined();
    expect(exportButton(wrapper).text()).toContain('Export 2 to accounting');
  });

  it('hides selection and explains why a viewer cannot export', async () => {
    const { client } = clientWith();
    const { wrapper } = await mountView(InvoiceListView, {
      client,
      path: '/invoices?tab=all',
      role: 'VIEWER',
    });
    await flushPromises();

    expect(wrapper.findAll('tbody input[type="checkbox"]')).toHaveLength(0);
    expect(exportButton(wrapper).attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="export-button"]').text()).toContain(
      'Transferring to accounting needs accounting rights',
    );
  });

  it('exports once per click with a fresh idempotency key and shows each row live', async () => {
    const { client } = clientWith();
    let resolveExport!: (value: { data: unknown }) => void;
    const exportHandler = vi.fn(
      () => new Promise<{ data: unknown }>((resolve) => (resolveExport = resolve)),
    );
    client.setRequestHandler(ExportInvoicesDocument, exportHandler);
    client.setRequestHandler(TransferBatchDocument, async () => ({
      data: { node: batch({ total: 1, queued: 1 }) },
    }));
    client.setRequestHandler(RecentTransfersDocument, async () => ({
      data: { transfers: { __typename: 'TransferConnection', ...connection([]) } },
    }));
    const { wrapper } = await mountView(InvoiceListView, { client, path: '/invoices' });
    await flushPromises();

    await rowCheckbox(wrapper, 1).setValue(true);
    await rowCheckbox(wrapper, 2).setValue(true);
    await exportButton(wrapper).trigger('click');
    await exportButton(wrapper).trigger('click');
    await flushPromises();

    expect(exportHandler).toHaveBeenCalledTimes(1);
    const input = (
      exportHandler.mock.calls[0] as unknown as [{ input: Record<string, unknown> }]
    )[0].input;
    expect(input).toMatchObject({ organizationId: ORG_ID, invoiceIds: ['invoice-2', 'invoice-3'] });
    expect(input.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(exportButton(wrapper).attributes('disabled')).toBeDefined();

    resolveExport({
      data: {
        exportInvoices: {
          __typename: 'ExportInvoicesPayload',
          batch: batch({ total: 1 }),
          transfers: [transferLive(2)],
          userErrors: [
            {
              __typename: 'UserError',
              code: 'TRANSFER_IN_PROGRESS',
              message: 'INV-3 is already being transferred',
              field: ['invoiceIds', '1'],
            },
          ],
        },
      },
    });
    await flushPromises();

    const panel = wrapper.get('[data-testid="export-panel"]');
    expect(panel.get('[data-testid="export-row-INV-2"]').text()).toContain('Queued');
    expect(panel.get('[data-testid="export-row-INV-3"]').text()).toContain(
      'INV-3 is already being transferred',
    );
    expect(panel.get('[data-testid="export-summary"]').text()).toContain('1 not accepted');
    // The exported selection is cleared: the same rows cannot be sent again by a second click.
    expect(wrapper.find('[data-testid="selection-count"]').exists()).toBe(false);
  });

  it('explains ineligible invoices before exporting the others', async () => {
    const blocked = invoiceRow(4, {
      transferBlockers: [
        {
          __typename: 'UserError',
          code: 'NOT_APPROVED',
          message: 'The invoice is not approved yet',
          field: null,
        },
      ],
    } as unknown as Partial<InvoiceRowFragment>);
    const { client } = clientWith([invoiceRow(2), blocked]);
    const exportHandler = vi.fn();
    client.setRequestHandler(ExportInvoicesDocument, exportHandler);
    const { wrapper } = await mountView(InvoiceListView, { client, path: '/invoices' });
    await flushPromises();

    await rowCheckbox(wrapper, 0).setValue(true);
    await rowCheckbox(wrapper, 1).setValue(true);
    expect(wrapper.get('[data-testid="blocked-hint"]').text()).toContain('1 cannot be transferred');
    await exportButton(wrapper).trigger('click');
    await flushPromises();

    const dialog = document.querySelector('[data-testid="export-ineligible-dialog"]');
    expect(dialog?.textContent).toContain('INV-4');
    expect(dialog?.textContent).toContain('The invoice is not approved yet');
    expect(dialog?.querySelector('[data-testid="export-eligible"]')?.textContent).toContain(
      'Export 1 invoice',
    );
    expect(exportHandler).not.toHaveBeenCalled();
  });
});
