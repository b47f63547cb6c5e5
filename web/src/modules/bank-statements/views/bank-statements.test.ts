import { describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import {
  AssignBankEntryDocument,
  BankEntryQueueDocument,
  BankStatementDocument,
  BankStatementsDocument,
  ConfirmBankEntryMatchDocument,
  IgnoreBankEntryDocument,
  ImportBankStatementDocument,
} from '@/gql/graphql';
import { relay } from '@/test/admin-fixtures';
import { ORG_ID, supplier } from '@/test/fixtures';
import { createTestClient } from '@/test/apollo';
import { mountView } from '@/test/mount';
import BankStatementsView from './BankStatementsView.vue';
import BankStatementView from './BankStatementView.vue';
import MatchQueueView from './MatchQueueView.vue';

const account = {
  __typename: 'BankAccount' as const,
  id: 'acct-1',
  identifier: 'FI2112345600000785',
  name: 'Operating account',
};
const user = { __typename: 'User' as const, id: 'user-1', name: 'Anna Accountant' };

function statementRow(n: number, overrides: Record<string, unknown> = {}) {
  return {
    __typename: 'BankStatement' as const,
    id: `stmt-${n}`,
    kind: 'STATEMENT' as const,
    camtVersion: 'camt.053.001.02',
    statementId: `S-${n}`,
    currency: 'EUR',
    fromDate: '2026-11-30',
    toDate: '2026-11-30',
    openingBalance: '1000.00',
    closingBalance: '874.50',
    entriesTotal: '-125.50',
    balanceWarning: null,
    createdAt: '2026-12-01T06:00:00.000Z',
    account,
    importedBy: user,
    importedVia: null,
    entryCounts: [
      { __typename: 'BankEntryStateCount' as const, state: 'MATCHED' as const, count: 3 },
      { __typename: 'BankEntryStateCount' as const, state: 'QUEUED' as const, count: 2 },
      { __typename: 'BankEntryStateCount' as const, state: 'IGNORED' as const, count: 0 },
      { __typename: 'BankEntryStateCount' as const, state: 'NOT_APPLICABLE' as const, count: 1 },
    ],
    ...overrides,
  };
}

const invoice = (n: number) => ({
  __typename: 'PurchaseInvoice' as const,
  id: `invoice-${n}`,
  invoiceNumber: `INV-${n}`,
  grossAmount: '125.50',
  openAmount: '125.50',
  supplier: supplier(n),
});

function entry(n: number, overrides: Record<string, unknown> = {}) {
  return {
    __typename: 'BankStatementEntry' as const,
    id: `entry-${n}`,
    position: n,
    accountServicerReference: `AR-${n}`,
    bookingDate: '2026-11-30',
    valueDate: '2026-11-30',
    amount: '-125.50',
    currency: 'EUR',
    direction: 'DEBIT' as const,
    counterpartyName: `Supplier ${n} Oy`,
    counterpartyIban: 'FI5810171000000122',
    reference: '1245',
    remittanceText: null,
    matchState: 'QUEUED' as const,
    reason: null,
    resolvedAt: null,
    resolvedVia: null,
    resolvedBy: null,
    payments: [] as unknown[],
    ...overrides,
  };
}

const queued = (n: number, overrides: Record<string, unknown> = {}) => ({
  ...entry(n, {
    reason: 'reference 1245: pays 50.00 of the 125.50 still open (partial payment)',
    amount: '-50.00',
  }),
  statement: { __typename: 'BankStatement' as const, id: 'stmt-1', statementId: 'S-1' },
  suggestions: [
    {
      __typename: 'BankEntrySuggestion' as const,
      amount: '50.00',
      reason: 'reference 1245; partial payment',
      invoice: invoice(n),
    },
  ],
  ...overrides,
});

describe('bank statements', () => {
  it('lists statements by account with balances, the balance warning and match counts', async () => {
    const client = createTestClient();
    const handler = vi.fn().mockResolvedValue({
      data: {
        bankStatements: relay('BankStatement', [
          statementRow(1),
          statementRow(2, {
            balanceWarning:
              'Opening balance 100.00 + entries 5.00 = 105.00, but the closing balance is 106.00',
          }),
        ]),
      },
    });
    client.setRequestHandler(BankStatementsDocument, handler);
    const { wrapper } = await mountView(BankStatementsView, {
      client,
      role: 'VIEWER',
      path: '/bank',
    });
    await flushPromises();

    expect(handler).toHaveBeenCalledWith({ organizationId: ORG_ID, first: 25 });
    expect(wrapper.text()).toContain('Operating account');
    expect(wrapper.text()).toContain('FI2112345600000785');
    const links = wrapper.findAll('[data-testid="statement-link"]');
    expect(links).toHaveLength(2);
    expect(links[0].attributes('href')).toBe('/bank/statements/stmt-1');
    expect(wrapper.findAll('[data-testid="balance-warning"]')).toHaveLength(1);
    expect(wrapper.find('[data-testid="balance-warning"]').attributes('aria-label')).toContain(
      'closing balance is 106.00',
    );
    expect(wrapper.find('[data-testid="statement-counts"]').text()).toBe('3 matched · 2 queued');
    // A viewer may look but not import.
    expect(
      wrapper.find('[data-testid="import-statements"] button').attributes('disabled'),
    ).toBeDefined();
    wrapper.unmount();
  });

  it('imports each chosen file and shows one result per file', async () => {
    const client = createTestClient();
    client.setRequestHandler(BankStatementsDocument, async () => ({
      data: { bankStatements: relay('BankStatement', []) },
    }));
    const importHandler = vi
      .fn()
      .mockResolvedValueOnce({
        data: {
          importBankStatement: {
            __typename: 'ImportBankStatementPayload',
            statements: [
              {
                __typename: 'ImportedBankStatement',
                duplicate: false,
                statement: {
                  __typename: 'BankStatement',
                  id: 'stmt-9',
                  statementId: 'S-9',
                  balanceWarning: null,
                },
              },
            ],
            importedEntries: 6,
            duplicateEntries: 0,
            matchedEntries: 4,
            queuedEntries: 1,
            userErrors: [],
          },
        },
      })
      .mockResolvedValueOnce({
        data: {
          importBankStatement: {
            __typename: 'ImportBankStatementPayload',
            statements: [],
            importedEntries: null,
            duplicateEntries: null,
            matchedEntries: null,
            queuedEntries: null,
            userErrors: [
              {
                __typename: 'UserError',
                code: 'XML_FORBIDDEN',
                message:
                  'The document declares a DOCTYPE or entities, which bank statements never need: refused',
                field: ['document'],
              },
            ],
          },
        },
      });
    client.setRequestHandler(ImportBankStatementDocument, importHandler);
    const { wrapper } = await mountView(BankStatementsView, {
      client,
      role: 'ACCOUNTANT',
      path: '/bank',
    });
    await flushPromises();

    const input = wrapper.find('[data-testid="statement-files"]');
    const files = [
      new File(['<Document>good</Document>'], 'nordea.xml', { type: 'text/xml' }),
      new File(['<!DOCTYPE x><x/>'], 'evil.xml', { type: 'text/xml' }),
    ];
    Object.defineProperty(input.element, 'files', { value: files, configurable: true });
    await input.trigger('change');
    await flushPromises();
    await flushPromises();

    expect(importHandler).toHaveBeenCalledTimes(2);
    expect(importHandler.mock.calls[0][0].input).toMatchObject({
      organizationId: ORG_ID,
      document: '<Document>good</Document>',
    });
    expect(importHandler.mock.calls[0][0].input.idempotencyKey).not.toBe(
      importHandler.mock.calls[1][0].input.idempotencyKey,
    );
    const results = wrapper.findAll('[data-testid="import-result"]');
    expect(results).toHaveLength(2);
    expect(results[0].text()).toContain('nordea.xml');
    expect(results[0].text()).toContain('Imported');
    expect(results[0].text()).toContain('4 matched and paid, 1 waiting in the match queue');
    expect(results[1].text()).toContain('Error XML_FORBIDDEN');
    expect(results[1].text()).toContain('DOCTYPE');
    wrapper.unmount();
  });

  it('shows each entry with its match state: the invoice paid, why it waits, who ignored it', async () => {
    const client = createTestClient();
    const handler = vi.fn().mockResolvedValue({
      data: {
        bankStatement: {
          ...statementRow(1, {
            balanceWarning:
              'Opening balance 1.00 + entries 2.00 = 3.00, but the closing balance is 4.00',
          }),
          entries: relay('BankStatementEntry', [
            entry(1, {
              matchState: 'MATCHED',
              reason: 'reference 1245',
              payments: [{ __typename: 'BankEntryPayment', amount: '125.50', invoice: invoice(1) }],
            }),
            entry(2, {
              matchState: 'QUEUED',
              reason: 'No match: no supplier has the IBAN FI5810171000000122',
            }),
            entry(3, {
              matchState: 'IGNORED',
              reason: 'Bank fee',
              resolvedBy: user,
              resolvedAt: '2026-12-01T08:00:00.000Z',
            }),
            entry(4, {
              matchState: 'NOT_APPLICABLE',
              direction: 'CREDIT',
              amount: '10.00',
              reason: 'Incoming money: not a payment of a purchase invoice',
            }),
          ]),
        },
      },
    });
    client.setRequestHandler(BankStatementDocument, handler);
    const { wrapper } = await mountView(BankStatementView, {
      client,
      role: 'VIEWER',
      path: '/bank/statements/stmt-1',
      props: { id: 'stmt-1' },
    });
    await flushPromises();

    expect(handler).toHaveBeenCalledWith({ id: 'stmt-1', first: 50 });
    expect(wrapper.find('[data-testid="balance-warning"]').text()).toContain(
      'closing balance is 4.00',
    );
    const rows = wrapper.findAll('[data-testid="entry-table"] tbody tr');
    expect(rows).toHaveLength(4);
    expect(rows[0].text()).toContain('Matched');
    expect(rows[0].find('[data-testid="paid-invoice-link"]').attributes('href')).toBe(
      '/invoices/invoice-1',
    );
    expect(rows[1].find('[data-testid="entry-reason"]').text()).toContain(
      'no supplier has the IBAN',
    );
    expect(rows[2].find('[data-testid="ignored-by"]').text()).toContain('by Anna Accountant');
    expect(rows[3].text()).toContain('Not a payment');
    wrapper.unmount();
  });

  it('the match queue shows suggestions with reasons; confirm, split and ignore call their mutations', async () => {
    const client = createTestClient();
    client.setRequestHandler(BankEntryQueueDocument, async () => ({
      data: {
        bankEntryQueue: relay('BankStatementEntry', [
          queued(1),
          queued(2, {
            amount: '-99.16',
            reason: '2 open invoices of the supplier with IBAN FI5810171000000122 are of 99.16',
            suggestions: [
              {
                __typename: 'BankEntrySuggestion',
                amount: '99.16',
                reason: 'supplier IBAN and amount (one of 2)',
                invoice: invoice(2),
              },
              {
                __typename: 'BankEntrySuggestion',
                amount: '99.16',
                reason: 'supplier IBAN and amount (one of 2)',
                invoice: invoice(3),
              },
            ],
          }),
        ]),
      },
    }));
    const payload = (name: string, e: unknown) => ({
      data: { [name]: { __typename: 'BankEntryPayload', entry: e, userErrors: [] } },
    });
    const confirm = vi
      .fn()
      .mockResolvedValue(payload('confirmBankEntryMatch', entry(1, { matchState: 'MATCHED' })));
    const assign = vi
      .fn()
      .mockResolvedValue(payload('assignBankEntry', entry(2, { matchState: 'MATCHED' })));
    const ignore = vi
      .fn()
      .mockResolvedValue(payload('ignoreBankEntry', entry(1, { matchState: 'IGNORED' })));
    client.setRequestHandler(ConfirmBankEntryMatchDocument, confirm);
    client.setRequestHandler(AssignBankEntryDocument, assign);
    client.setRequestHandler(IgnoreBankEntryDocument, ignore);
    const { wrapper } = await mountView(MatchQueueView, {
      client,
      role: 'ACCOUNTANT',
      path: '/match-queue',
    });
    await flushPromises();

    const cards = wrapper.findAll('[data-testid="queue-entry"]');
    expect(cards).toHaveLength(2);
    expect(cards[0].find('[data-testid="queue-reason"]').text()).toContain('partial payment');
    expect(cards[0].find('[data-testid="suggestion"]').text()).toContain('Supplier 1 Oy INV-1');
    expect(cards[0].find('[data-testid="suggestion"]').text()).toContain(
      'reference 1245; partial payment',
    );
    // Two suggestions of 99.16 each do not add up to one entry of 99.16: confirm is not offered.
    expect(
      cards[1].find('[data-testid="confirm-entry"] button').attributes('disabled'),
    ).toBeDefined();

    await cards[0].find('[data-testid="confirm-entry"] button').trigger('click');
    await flushPromises();
    expect(confirm).toHaveBeenCalledWith({ input: { entryId: 'entry-1' } });

    // The queue is fetched again after each decision: find the cards anew.
    const fresh = () => wrapper.findAll('[data-testid="queue-entry"]');
    await vi.waitFor(() => expect(fresh()).toHaveLength(2));
    await fresh()[0].find('[data-testid="ignore-entry"] button').trigger('click');
    await flushPromises();
    expect(ignore).toHaveBeenCalledWith({ input: { entryId: 'entry-1', reason: null } });

    await vi.waitFor(() => expect(fresh()).toHaveLength(2));
    await fresh()[1].find('[data-testid="assign-entry"] button').trigger('click');
    await flushPromises();
    const amounts = document.querySelectorAll<HTMLInputElement>(
      '[data-testid="allocation-amount"]',
    );
    expect(amounts).toHaveLength(2);
    amounts[0].value = '49.58';
    amounts[0].dispatchEvent(new Event('input'));
    amounts[1].value = '49.58';
    amounts[1].dispatchEvent(new Event('input'));
    await flushPromises();
    expect(document.querySelector('[data-testid="allocation-sum"]')!.textContent).toContain(
      '99.16',
    );
    (document.querySelector('[data-testid="confirm-assign"]') as HTMLButtonElement).click();
    await flushPromises();
    expect(assign).toHaveBeenCalledWith({
      input: {
        entryId: 'entry-2',
        allocations: [
          { invoiceId: 'invoice-2', amount: '49.58' },
          { invoiceId: 'invoice-3', amount: '49.58' },
        ],
      },
    });
    wrapper.unmount();
  });
});
