import { describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { flushPromises } from '@vue/test-utils';
import ConfirmDialog from 'primevue/confirmdialog';
import {
  AccountingPeriodsDocument,
  ClosePeriodDocument,
  LedgerEntriesDocument,
  LedgerEntryDocument,
  LockDateDocument,
  MasterDataDocument,
  SetLockDateDocument,
} from '@/gql/graphql';
import { period, relay, userError } from '@/test/admin-fixtures';
import { createTestClient } from '@/test/apollo';
import { ledgerEntry, ORG_ID } from '@/test/fixtures';
import { mountView } from '@/test/mount';
import JournalsView from './JournalsView.vue';
import LedgerEntryView from './LedgerEntryView.vue';
import PeriodsView from './PeriodsView.vue';

const year = new Date().getFullYear();
const withConfirm = (view: object) =>
  defineComponent({ render: () => [h(ConfirmDialog), h(view)] });

function periodsClient(lockDate: string | null = null) {
  const client = createTestClient();
  client.setRequestHandler(AccountingPeriodsDocument, async () => ({
    data: {
      accountingPeriods: [
        period(`${year - 1}-12`, 'CLOSED'),
        period(`${year}-01`, 'CLOSED'),
        period(`${year}-02`),
        period(`${year}-03`),
      ],
    },
  }));
  client.setRequestHandler(LockDateDocument, async () => ({ data: { lockDate } }));
  return client;
}

describe('accounting periods and lock date', () => {
  it('shows the periods of this fiscal year and closes one after confirmation', async () => {
    const client = periodsClient(`${year}-01-31`);
    const close = vi.fn().mockResolvedValue({
      data: {
        closePeriod: {
          __typename: 'ClosePeriodPayload',
          period: period(`${year}-02`, 'CLOSED'),
          userErrors: [],
        },
      },
    });
    client.setRequestHandler(ClosePeriodDocument, close);
    const { wrapper } = await mountView(withConfirm(PeriodsView), {
      client,
      role: 'ADMIN',
      path: '/accounting/periods',
    });
    await flushPromises();

    const rows = wrapper.findAll('[data-testid="periods-table"] tbody tr');
    expect(rows.map((r) => r.find('td').text())).toEqual([
      `${year}-01`,
      `${year}-02`,
      `${year}-03`,
    ]);
    expect(rows[0].text()).toContain('locked by the lock date');
    expect(wrapper.find('[data-testid="lock-date-current"]').text()).toContain('Locked up to');

    await wrapper.find(`button[aria-label="Close ${year}-02"]`).trigger('click');
    await flushPromises();
    const accept = [...document.body.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === 'Close period',
    );
    expect(document.body.textContent).toContain(`Close ${year}-02?`);
    accept!.click();
    await flushPromises();

    expect(close).toHaveBeenCalledWith({
      input: { organizationId: ORG_ID, periodId: `period-${year}-02` },
    });
    expect(wrapper.find(`[data-testid="period-status-${year}-02"]`).text()).toBe('Closed');
    wrapper.unmount();
  });

  it('shows why the lock date was refused, at the field', async () => {
    const client = periodsClient(null);
    client.setRequestHandler(SetLockDateDocument, async () => ({
      data: {
        setLockDate: {
          __typename: 'SetLockDatePayload',
          lockDate: null,
          userErrors: [
            userError('VALIDATION', 'The lock date cannot be in the future', ['lockDate']),
          ],
        },
      },
    }));
    const { wrapper } = await mountView(PeriodsView, {
      client,
      role: 'ADMIN',
      path: '/accounting/periods',
    });
    await flushPromises();
    await wrapper.find('#lock-date').setValue('2099-01-01');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('#lock-date-error').text()).toBe('The lock date cannot be in the future');
    expect(wrapper.find('#lock-date').attributes('aria-describedby')).toBe('lock-date-error');
    wrapper.unmount();
  });

  it('lets a viewer read but not change periods or the lock date', async () => {
    const { wrapper } = await mountView(PeriodsView, {
      client: periodsClient(null),
      role: 'VIEWER',
      path: '/accounting/periods',
    });
    await flushPromises();
    expect(wrapper.find('#lock-date').exists()).toBe(false);
    expect(wrapper.text()).toContain('Only an Admin may change the lock date.');
    const button = wrapper.find(`button[aria-label="Close ${year}-02"]`);
    expect(button.attributes('disabled')).toBeDefined();
    expect(wrapper.text()).toContain('Only an Admin may change this.');
    wrapper.unmount();
  });
});

describe('journals', () => {
  it('finds an entry by Reference within a journal, from the address bar and the search box', async () => {
    const client = createTestClient();
    const handler = vi.fn(async () => ({
      data: {
        ledgerEntries: relay('LedgerEntry', [
          {
            ...ledgerEntry('INV-77', {
              shifted: true,
              documentDate: '2026-06-30',
              postingDate: '2026-10-01',
            }),
            description: null,
            createdAt: '2026-11-20T10:00:00.000Z',
          },
        ]),
      },
    }));
    client.setRequestHandler(LedgerEntriesDocument, handler);
    const { wrapper, router } = await mountView(JournalsView, {
      client,
      path: '/accounting?journal=item-invoices',
    });
    await flushPromises();
    expect(handler).toHaveBeenLastCalledWith({
      organizationId: ORG_ID,
      journal: 'ITEM_INVOICES',
      reference: null,
      first: 25,
    });
    const row = wrapper.find('[data-testid="ledger-table"] tbody tr');
    expect(row.text()).toContain('INV-77');
    expect(row.text()).toContain('Purchases › Item invoices');
    expect(row.text()).toContain('from');
    expect(row.find('a').attributes('href')).toBe('/accounting/entries/entry-INV-77');

    await wrapper.find('#ledger-reference').setValue('INV-7');
    await new Promise((r) => setTimeout(r, 350));
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ journal: 'item-invoices', ref: 'INV-7' });
    expect(handler).toHaveBeenLastCalledWith(expect.objectContaining({ reference: 'INV-7' }));
    wrapper.unmount();
  });

  it('explains an empty search', async () => {
    const client = createTestClient();
    client.setRequestHandler(LedgerEntriesDocument, async () => ({
      data: { ledgerEntries: relay('LedgerEntry', []) },
    }));
    const { wrapper } = await mountView(JournalsView, { client, path: '/accounting?ref=NOPE' });
    await flushPromises();
    expect(wrapper.text()).toContain('No entry with a Reference containing “NOPE”');
    wrapper.unmount();
  });

  it('shows an entry with its lines, account names and balanced totals', async () => {
    const client = createTestClient();
    const line = (lineNo: number, accountCode: string, debit: string, credit: string) => ({
      __typename: 'LedgerEntryLine',
      lineNo,
      accountCode,
      costUnitCode: lineNo === 1 ? 'ADM' : null,
      vatCode: lineNo === 1 ? 'VAT255' : null,
      debit,
      credit,
      description: null,
    });
    client.setRequestHandler(LedgerEntryDocument, async ({ id }) => ({
      data: {
        node: {
          ...ledgerEntry('INV-77', { id }),
          description: 'Invoice INV-77',
          createdAt: '2026-11-20T10:00:00.000Z',
          lines: [
            line(1, '4010', '100.00', '0.00'),
            line(2, '2939', '25.50', '0.00'),
            line(3, '2871', '0.00', '125.50'),
          ],
        },
      },
    }));
    client.setRequestHandler(MasterDataDocument, async () => ({
      data: {
        masterData: {
          __typename: 'MasterData',
          accounts: [
            {
              __typename: 'LedgerAccount',
              code: '4010',
              name: 'Materials',
              type: 'EXPENSE',
              postable: true,
              active: true,
            },
          ],
          costUnits: [
            { __typename: 'CostUnit', code: 'ADM', name: 'Administration', active: true },
          ],
          vatCodes: [],
        },
      },
    }));
    const { wrapper } = await mountView(LedgerEntryView, {
      client,
      path: '/accounting/entries/entry-1',
      props: { id: 'entry-1' },
    });
    await flushPromises();
    expect(wrapper.find('[data-testid="entry-reference"]').text()).toBe('INV-77');
    const table = wrapper.find('[data-testid="entry-lines"]');
    expect(table.findAll('tbody tr')).toHaveLength(3);
    expect(table.text()).toContain('Materials');
    expect(table.text()).toContain('Administration');
    expect(
      table
        .find('tfoot')
        .text()
        .match(/125\.50/g),
    ).toHaveLength(2);
    expect(wrapper.find('a[href="/invoices?tab=all&q=INV-77"]').exists()).toBe(true);
    wrapper.unmount();
  });
});
