import { describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { defineComponent, h } from 'vue';
import ConfirmDialog from 'primevue/confirmdialog';
import {
  ApiTokensDocument,
  CreateApiTokenDocument,
  RevokeApiTokenDocument,
  TransferSettingsDocument,
  UpdateTransferSettingsDocument,
} from '@/gql/graphql';
import { relay, userError } from '@/test/admin-fixtures';
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
  client.setRequestHandler(ApiTokensDocument, async () => ({
    data: { apiTokens: relay('ApiClient', []) },
  }));
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

const token = (n: number, overrides: Record<string, unknown> = {}) => ({
  __typename: 'ApiClient' as const,
  id: `token-${n}`,
  name: `Partner ${n}`,
  scopes: ['READ', 'EXPORT'],
  tokenPrefix: `llk_abc${n}`,
  createdAt: '2026-11-01T08:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
  ...overrides,
});

describe('API tokens', () => {
  function tokensClient(initial: ReturnType<typeof token>[]) {
    const client = createTestClient();
    client.setRequestHandler(TransferSettingsDocument, async () => ({
      data: { transferSettings: settings() },
    }));
    let tokens = initial;
    const list = vi.fn(async () => ({ data: { apiTokens: relay('ApiClient', tokens) } }));
    client.setRequestHandler(ApiTokensDocument, list);
    return { client, list, setTokens: (t: typeof initial) => (tokens = t) };
  }

  it('creates a token and shows its secret once, with a copy button', async () => {
    const { client, setTokens } = tokensClient([
      token(1, { lastUsedAt: '2026-11-20T12:00:00.000Z' }),
    ]);
    const create = vi.fn(async () => {
      setTokens([token(2, { name: 'Nightly sync', scopes: ['READ'] }), token(1)]);
      return {
        data: {
          createApiToken: {
            __typename: 'CreateApiTokenPayload',
            apiToken: token(2, { name: 'Nightly sync', scopes: ['READ'] }),
            token: 'llk_secret-value',
            userErrors: [],
          },
        },
      };
    });
    client.setRequestHandler(CreateApiTokenDocument, create);
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { wrapper } = await mountView(SettingsView, { client, role: 'ADMIN', path: '/settings' });
    await flushPromises();

    const rows = () => wrapper.findAll('[data-testid="api-token-table"] tbody tr');
    expect(rows()).toHaveLength(1);
    expect(rows()[0].text()).toContain('Partner 1');
    expect(rows()[0].text()).toContain('llk_abc1…');
    expect(rows()[0].text()).toContain('Export');

    await wrapper.find('[data-testid="create-token"]').trigger('click');
    await wrapper.find('#token-name').setValue('  Nightly sync ');
    await wrapper.find('form.token-form').trigger('submit');
    await flushPromises();
    expect(create).toHaveBeenCalledWith({
      input: { organizationId: ORG_ID, name: 'Nightly sync', scopes: ['READ'] },
    });
    const secret = wrapper.find('#token-secret');
    expect((secret.element as HTMLInputElement).value).toBe('llk_secret-value');
    expect(wrapper.text()).toContain('It is shown only this once');
    await wrapper.find('[data-testid="copy-token"]').trigger('click');
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith('llk_secret-value');
    expect(wrapper.find('[data-testid="copy-token"]').text()).toBe('Copied');
    expect(rows()).toHaveLength(2);

    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Done')!
      .trigger('click');
    expect(wrapper.find('#token-secret').exists()).toBe(false);
    wrapper.unmount();
  });

  it('shows why a token was refused at the field', async () => {
    const { client } = tokensClient([]);
    client.setRequestHandler(CreateApiTokenDocument, async () => ({
      data: {
        createApiToken: {
          __typename: 'CreateApiTokenPayload',
          apiToken: null,
          token: null,
          userErrors: [userError('VALIDATION', 'Choose at least one scope', ['scopes'])],
        },
      },
    }));
    const { wrapper } = await mountView(SettingsView, { client, role: 'ADMIN', path: '/settings' });
    await flushPromises();
    expect(wrapper.text()).toContain('No API tokens');
    await wrapper.find('[data-testid="create-token"]').trigger('click');
    await wrapper.find('#token-name').setValue('Partner');
    await wrapper.find('#scope-READ').setValue(false);
    await wrapper.find('form.token-form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('#token-scopes-error').text()).toBe('Choose at least one scope');
    expect(wrapper.find('#token-secret').exists()).toBe(false);
    wrapper.unmount();
  });

  it('revokes a token after confirmation', async () => {
    const { client } = tokensClient([token(1)]);
    const revoke = vi.fn(async () => ({
      data: {
        revokeApiToken: {
          __typename: 'RevokeApiTokenPayload',
          apiToken: token(1, { revokedAt: '2026-11-21T10:00:00.000Z' }),
          userErrors: [],
        },
      },
    }));
    client.setRequestHandler(RevokeApiTokenDocument, revoke);
    const { wrapper } = await mountView(
      defineComponent({ render: () => [h(ConfirmDialog), h(SettingsView)] }),
      { client, role: 'ADMIN', path: '/settings' },
    );
    await flushPromises();
    await wrapper.find('button[aria-label="Revoke Partner 1"]').trigger('click');
    await flushPromises();
    [...document.body.querySelectorAll('button')]
      .find((b) => b.textContent?.trim() === 'Revoke token')!
      .click();
    await flushPromises();
    expect(revoke).toHaveBeenCalledWith({ input: { apiTokenId: 'token-1' } });
    const row = wrapper.find('[data-testid="api-token-table"] tbody tr');
    expect(row.text()).toContain('Revoked');
    expect(row.find('button[aria-label="Revoke Partner 1"]').exists()).toBe(false);
    wrapper.unmount();
  });
});
