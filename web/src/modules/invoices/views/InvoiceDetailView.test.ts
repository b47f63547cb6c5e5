import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  InvoiceDetailDocument,
  InvoiceHistoryDocument,
  MasterDataDocument,
  UpdatePostingDocument,
} from '@/gql/graphql';
import { createTestClient } from '@/test/apollo';
import { connection, invoiceDetail, ledgerEntry, masterData } from '@/test/fixtures';
import { mountView } from '@/test/mount';
import InvoiceDetailView from './InvoiceDetailView.vue';

const vatWarning = {
  __typename: 'Warning',
  code: 'VAT_CODE_INVALID',
  message:
    'VAT code FI14 (14.00 %) is not valid on the bill date 2026-11-02: valid until 2025-12-31',
  field: ['lines', '0', 'vatCode'],
};

function clientFor(invoice = invoiceDetail()) {
  const client = createTestClient();
  client.setRequestHandler(InvoiceDetailDocument, async () => ({ data: { invoice } }));
  client.setRequestHandler(MasterDataDocument, async () => ({ data: { masterData } }));
  client.setRequestHandler(InvoiceHistoryDocument, async () => ({
    data: {
      invoice: {
        __typename: 'PurchaseInvoice',
        id: invoice.id,
        history: { __typename: 'AuditEventConnection', ...connection([]) },
      },
    },
  }));
  return client;
}

async function mountDetail(
  options: { invoice?: ReturnType<typeof invoiceDetail>; role?: 'VIEWER' | 'ACCOUNTANT' } = {},
) {
  const client = clientFor(options.invoice);
  const mounted = await mountView(InvoiceDetailView, {
    client,
    path: '/invoices/invoice-1',
    props: { id: 'invoice-1' },
    role: options.role,
  });
  await flushPromises();
  return { ...mounted, client };
}

describe('InvoiceDetailView', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('shows the posting warnings at the field they concern', async () => {
    const { wrapper } = await mountDetail({
      invoice: invoiceDetail({ postingWarnings: [vatWarning] }),
    });

    expect(wrapper.get('[data-testid="posting-line-0"] .code--warn').text()).toContain('FI14');
    const messages = wrapper.get('[data-testid="posting-line-0-messages"]');
    expect(messages.get('[data-testid="vatCode-warning"]').text()).toContain(
      'VAT code: VAT code FI14 (14.00 %) is not valid',
    );
    expect(wrapper.get('h1').text()).toBe('Supplier 1 Oy · INV-1');
  });

  it('saves the posting with the version read and shows the returned warnings at the fields', async () => {
    const { wrapper, client } = await mountDetail();
    const saved = invoiceDetail({ version: 4, postingVersion: 2, postingWarnings: [vatWarning] });
    const handler = vi.fn().mockResolvedValue({
      data: {
        updatePosting: {
          __typename: 'UpdatePostingPayload',
          invoice: saved,
          warnings: [vatWarning],
          userErrors: [],
        },
      },
    });
    client.setRequestHandler(UpdatePostingDocument, handler);

    await wrapper.get('[data-testid="edit-posting"] button').trigger('click');
    await wrapper.get('[data-testid="line-0-net"]').setValue('100,00');
    await wrapper.get('[data-testid="save-posting"]').trigger('click');
    await flushPromises();

    expect(handler).toHaveBeenCalledWith({
      input: {
        invoiceId: 'invoice-1',
        version: 3,
        lines: [
          {
            accountCode: '4000',
            costUnitCode: '500',
            vatCode: 'FI14',
            netAmount: '100.00',
            vatAmount: '25.50',
            description: 'Cloud servers',
          },
        ],
      },
    });
    expect(wrapper.find('[data-testid="save-posting"]').exists()).toBe(false);
    expect(
      wrapper.get('[data-testid="posting-line-0-messages"] [data-testid="vatCode-warning"]').text(),
    ).toContain('not valid on the bill date');
  });

  it('edits a line in place: the totals follow what is typed, and the save sends it', async () => {
    const { wrapper, client } = await mountDetail();
    const handler = vi.fn().mockResolvedValue({
      data: {
        updatePosting: {
          __typename: 'UpdatePostingPayload',
          invoice: null,
          warnings: [],
          userErrors: [],
        },
      },
    });
    client.setRequestHandler(UpdatePostingDocument, handler);

    await wrapper.get('[data-testid="edit-posting"] button').trigger('click');
    await wrapper.get('[data-testid="line-0-net"]').setValue('80,5');
    await wrapper.get('[aria-label="Description, line 1"]').setValue('Edited');
    expect(wrapper.get('[data-testid="posting"] [role="status"]').text()).toContain(
      'net differs by',
    );
    await wrapper.get('[data-testid="save-posting"]').trigger('click');
    await flushPromises();

    expect(handler.mock.calls[0][0].input.lines).toEqual([
      expect.objectContaining({ netAmount: '80.5', description: 'Edited' }),
    ]);
  });

  it('keeps editing and shows userErrors when the save is refused', async () => {
    const { wrapper, client } = await mountDetail();
    client.setRequestHandler(UpdatePostingDocument, async () => ({
      data: {
        updatePosting: {
          __typename: 'UpdatePostingPayload',
          invoice: null,
          warnings: [],
          userErrors: [
            {
              __typename: 'UserError',
              code: 'VALIDATION',
              message: 'Net amount must be positive',
              field: ['lines', '0', 'netAmount'],
            },
          ],
        },
      },
    }));

    await wrapper.get('[data-testid="edit-posting"] button').trigger('click');
    await wrapper.get('[data-testid="line-0-net"]').setValue('-5');
    await wrapper.get('[data-testid="save-posting"]').trigger('click');
    await flushPromises();

    expect(wrapper.get('[data-testid="posting-edit-line-0-messages"]').text()).toContain(
      'Net amount must be positive',
    );
  });

  it('does not let a viewer edit the posting, and says why', async () => {
    const { wrapper } = await mountDetail({ role: 'VIEWER' });
    const edit = wrapper.get('[data-testid="edit-posting"]');
    expect(edit.get('button').attributes('disabled')).toBeDefined();
    expect(edit.text()).toContain('Changing invoices needs the Accountant or Admin role');
  });

  it('spells out the keep / also-remove choice for an invoice in the ledger', async () => {
    const { wrapper } = await mountDetail({
      invoice: invoiceDetail({ transferStatus: 'TRANSFERRED', ledgerEntry: ledgerEntry('INV-1') }),
    });
    await wrapper.get('[data-testid="remove"] button').trigger('click');
    await flushPromises();

    const dialog = document.querySelector('[data-testid="remove-dialog"]')!;
    expect(dialog.textContent).toContain('Keep it in accounting');
    expect(dialog.textContent).toContain('Also remove it from accounting');
    const confirm = dialog.querySelector<HTMLButtonElement>('[data-testid="confirm-remove"]')!;
    expect(confirm.disabled).toBe(true);
  });
});
