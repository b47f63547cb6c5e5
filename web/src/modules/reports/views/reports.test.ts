import { describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { TransferReportDocument, TransferReportsDocument } from '@/gql/graphql';
import { relay, transferError } from '@/test/admin-fixtures';
import { ORG_ID, supplier } from '@/test/fixtures';
import { createTestClient } from '@/test/apollo';
import { mountView } from '@/test/mount';
import ReportDetailView from './ReportDetailView.vue';
import ReportListView from './ReportListView.vue';

function reportRow(n: number, overrides: Record<string, unknown> = {}) {
  return {
    __typename: 'TransferReport' as const,
    id: `report-${n}`,
    createdAt: '2026-11-20T14:54:33.000Z',
    trigger: 'MANUAL' as const,
    total: 6,
    notTransferred: 2,
    batch: {
      __typename: 'TransferBatch' as const,
      id: `batch-${n}`,
      documentType: 'INVOICE' as const,
    },
    ...overrides,
  };
}

const invoice = (n: number, transferStatus: string | null = 'FAILED') => ({
  __typename: 'PurchaseInvoice' as const,
  id: `invoice-${n}`,
  invoiceNumber: `INV-${n}`,
  documentNumber: 40 + n,
  billDate: '2026-11-02',
  grossAmount: '1255.00',
  currency: 'EUR',
  transferStatus,
  supplier: supplier(n),
});

describe('transfer reports', () => {
  it('lists the runs with failures, how many were not transferred, and a CSV link each', async () => {
    const client = createTestClient();
    const handler = vi.fn().mockResolvedValue({
      data: {
        transferReports: relay('TransferReport', [
          reportRow(1),
          reportRow(2, { trigger: 'AUTOMATIC', total: 1, notTransferred: 1 }),
        ]),
      },
    });
    client.setRequestHandler(TransferReportsDocument, handler);
    const { wrapper } = await mountView(ReportListView, {
      client,
      role: 'VIEWER',
      path: '/reports',
    });
    await flushPromises();

    expect(handler).toHaveBeenCalledWith({ organizationId: ORG_ID, first: 25 });
    const rows = wrapper.findAll('[data-testid="report-table"] tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[0].text()).toContain('Manual export');
    expect(rows[0].text()).toContain('6 invoices');
    expect(rows[0].find('[data-testid="not-transferred"]').text()).toBe('2');
    expect(rows[1].text()).toContain('Automatic transfer');
    expect(rows[1].text()).toContain('1 invoice');
    const csv = rows[0].find('a[download]');
    expect(csv.attributes('href')).toBe('/api/transfer-reports/report-1.csv');
    expect(csv.attributes('aria-label')).toMatch(/^Download the report of .+ as CSV$/);
    expect(rows[0].find('[data-testid="report-link"]').attributes('href')).toBe(
      '/reports/report-1',
    );
    wrapper.unmount();
  });

  it('says so when no run has failed', async () => {
    const client = createTestClient();
    client.setRequestHandler(TransferReportsDocument, async () => ({
      data: { transferReports: relay('TransferReport', []) },
    }));
    const { wrapper } = await mountView(ReportListView, { client, path: '/reports' });
    await flushPromises();
    expect(wrapper.text()).toContain('No failed transfers');
    wrapper.unmount();
  });

  it('offers a retry when the list cannot be loaded', async () => {
    const client = createTestClient();
    const handler = vi
      .fn()
      .mockRejectedValueOnce(new Error('boom'))
      .mockResolvedValue({ data: { transferReports: relay('TransferReport', [reportRow(1)]) } });
    client.setRequestHandler(TransferReportsDocument, handler);
    const { wrapper } = await mountView(ReportListView, { client, path: '/reports' });
    await flushPromises();
    expect(wrapper.find('[role="alert"]').text()).toContain('could not be loaded');
    await wrapper.find('[role="alert"] button').trigger('click');
    await flushPromises();
    expect(wrapper.findAll('[data-testid="report-table"] tbody tr')).toHaveLength(1);
    wrapper.unmount();
  });

  it('shows each document with every reason, a summary of the reasons, and its status now', async () => {
    const client = createTestClient();
    client.setRequestHandler(TransferReportDocument, async ({ id }) => ({
      data: {
        node: {
          ...reportRow(1, { id }),
          items: [
            {
              __typename: 'TransferReportItem',
              invoice: invoice(1),
              payment: null,
              errors: [
                transferError('VAT_CODE_INVALID', 'VAT code FI14 is valid to 2025-12-31', [
                  'lines',
                  '0',
                  'vatCode',
                ]),
                transferError('COST_UNIT_INVALID', 'cost unit 900 is inactive', [
                  'lines',
                  '1',
                  'costUnitCode',
                ]),
              ],
            },
            {
              __typename: 'TransferReportItem',
              invoice: invoice(2, 'TRANSFERRED'),
              payment: null,
              errors: [transferError('VAT_CODE_INVALID', 'VAT code FI14 is valid to 2025-12-31')],
            },
          ],
        },
      },
    }));
    const { wrapper } = await mountView(ReportDetailView, {
      client,
      path: '/reports/report-7',
      props: { id: 'report-7' },
    });
    await flushPromises();

    expect(wrapper.find('[data-testid="report-not-transferred"]').text()).toBe('2');
    expect(wrapper.text()).toContain('6 invoices');
    expect(wrapper.text()).toContain('VAT code invalid × 2');
    expect(wrapper.text()).toContain('Cost unit invalid × 1');
    const rows = wrapper.findAll('[data-testid="report-items"] tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[0].text()).toContain('INV-1');
    expect(rows[0].text()).toContain('Supplier 1 Oy');
    expect(rows[0].text()).toContain('cost unit 900 is inactive');
    expect(rows[0].find('[data-status="FAILED"]').exists()).toBe(true);
    expect(rows[1].find('[data-status="TRANSFERRED"]').exists()).toBe(true);
    expect(rows[0].find('a').attributes('href')).toBe('/invoices/invoice-1');
    expect(wrapper.find('[data-testid="report-csv"]').attributes('href')).toBe(
      '/api/transfer-reports/report-7.csv',
    );
    wrapper.unmount();
  });

  it('treats a missing or foreign report as not found', async () => {
    const client = createTestClient();
    client.setRequestHandler(TransferReportDocument, async () => ({ data: { node: null } }));
    const { wrapper } = await mountView(ReportDetailView, {
      client,
      path: '/reports/nope',
      props: { id: 'nope' },
    });
    await flushPromises();
    expect(wrapper.text()).toContain('Report not found');
    expect(wrapper.find('[data-testid="report-csv"]').exists()).toBe(false);
    wrapper.unmount();
  });
});
