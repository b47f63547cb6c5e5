import { describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { TransferSettingsDocument, UpdateTransferSettingsDocument } from '@/gql/graphql';
import { userError } from '@/test/admin-fixtures';
import { createTestClient } from '@/test/apollo';
import { ORG_ID } from '@/test/fixtures';
import { mountView } from '@/test/mount';
import type { RequestHandler } from 'mock-apollo-client';
import SettingsView from './SettingsView.vue';

const settings = (overrides: Record<string, unknown> = {}) => ({
  __typename: 'TransferSettings' as const,
  autoTransferInvoices: false,
  autoTransferPayments: false,
  exportMode: 'ITEM' as const,
  closedPeriodPolicy: 'SHIFT_TO_NEXT_OPEN' as const,
  ...overrides,
});

async function mountSettings(update: RequestHandler) {
  const client = createTestClient();
  client.setRequestHandler(TransferSettingsDocument, async () => ({
    data: { transferSettings: settings() },
  }));
  client.setRequestHandler(UpdateTransferSettingsDocument, update);
  const mounted = await mountView(SettingsView, { client, role: 'ADMIN', path: '/settings' });
  await flushPromises();
  return mounted;
}

describe('transfer settings', () => {
  it('explains each setting in a sentence and saves only what changed', async () => {
    const update = vi.fn(async ({ input }) => ({
      data: {
        updateTransferSettings: {
          __typename: 'UpdateTransferSettingsPayload',
          transferSettings: settings({ ...input, organizationId: undefined }),
          userErrors: [],
        },
      },
    }));
    const { wrapper } = await mountSettings(update);
    expect(wrapper.text()).toContain('Automatic transfer of invoices');
    expect(wrapper.text()).toContain('it is sent to the ledger right away');
    expect(wrapper.text()).toContain('What happens to an invoice dated in a closed period');

    const save = wrapper.find('[data-testid="save-transfer-settings"]');
    expect(save.attributes('disabled')).toBeDefined();

    await wrapper.find('[data-testid="auto-transfer-invoices"] input').setValue(true);
    await wrapper.find('input[value="BATCH"]').setValue(true);
    expect(wrapper.text()).toContain('Unsaved changes');
    await wrapper.find('form').trigger('submit');
    await flushPromises();

    expect(update).toHaveBeenCalledWith({
      input: { organizationId: ORG_ID, autoTransferInvoices: true, exportMode: 'BATCH' },
    });
    expect(wrapper.text()).not.toContain('Unsaved changes');
    expect(
      (wrapper.find('[data-testid="auto-transfer-invoices"] input').element as HTMLInputElement)
        .checked,
    ).toBe(true);
    wrapper.unmount();
  });

  it('shows a refusal next to the setting it is about', async () => {
    const update = vi.fn(async () => ({
      data: {
        updateTransferSettings: {
          __typename: 'UpdateTransferSettingsPayload',
          transferSettings: null,
          userErrors: [
            userError('VALIDATION', 'Payments need automatic invoice transfer', [
              'autoTransferPayments',
            ]),
          ],
        },
      },
    }));
    const { wrapper } = await mountSettings(update);
    await wrapper.find('[data-testid="auto-transfer-payments"] input').setValue(true);
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    const settingRow = wrapper
      .findAll('.setting')
      .find((s) => s.text().includes('Automatic transfer of payments'))!;
    expect(settingRow.find('[role="alert"]').text()).toBe(
      'Payments need automatic invoice transfer',
    );
    expect(wrapper.text()).toContain('Unsaved changes');
    wrapper.unmount();
  });

  it('is for admins only: others are sent to the "not allowed" page', async () => {
    const { router } = await mountView(SettingsView, {
      client: createTestClient(),
      role: 'ACCOUNTANT',
      path: '/settings',
    });
    expect(router.currentRoute.value.name).toBe('forbidden');
  });
});
