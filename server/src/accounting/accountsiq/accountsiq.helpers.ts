/** A seeded local accountsIQ company and request builders for the contract tests. */
import { randomUUID } from 'node:crypto';
import { ClosedPeriodPolicy, type InvoicePostingRequest } from '../accounting-system.js';
import {
  createAccountsIqAccounting,
  startLocalAccountsIq,
  type AccountsIqAccounting,
  type AccountsIqConnectionConfig,
  type LocalAccountsIq,
} from './index.js';
import type { LocalCompanySeed } from './local-service/company.js';

export const ORG = randomUUID();

export function companySeed(overrides: Partial<LocalCompanySeed> = {}): LocalCompanySeed {
  return {
    entity: 'LIGHTYEAR',
    clientId: 'ledgerlink-client',
    clientSecret: 'cs-very-secret-9f2c1e',
    companyName: 'Lightyear Ltd',
    currencies: ['EUR', 'GBP'],
    glAccounts: [
      { code: '5000', name: 'Purchases', postable: true, active: true, type: 'EXPENSE' },
      { code: '5100', name: 'Office costs', postable: true, active: true, type: 'EXPENSE' },
      { code: '5900', name: 'Old costs', postable: true, active: false, type: 'EXPENSE' },
      { code: '5000H', name: 'Costs (header)', postable: false, active: true, type: 'EXPENSE' },
      {
        code: '2100',
        name: 'Creditors control',
        postable: true,
        active: true,
        type: 'CREDITORS_CONTROL',
      },
      { code: '2200', name: 'VAT', postable: true, active: true, type: 'VAT' },
      { code: '1200', name: 'Bank', postable: true, active: true, type: 'BANK' },
    ],
    taxCodes: [
      { code: 'S', rate: '23.00', description: 'Standard' },
      { code: 'Z', rate: '0.00', description: 'Zero' },
    ],
    departments: [
      { code: 'OPS', name: 'Operations' },
      { code: 'OLD', name: 'Closed department', active: false },
    ],
    suppliers: [
      { code: 'ACME', name: 'Acme Supplies', active: true },
      { code: 'GONE', name: 'Gone Ltd', active: false },
    ],
    periods: [
      { name: '2026/01', start: '2026-01-01', end: '2026-01-31', open: false },
      { name: '2026/02', start: '2026-02-01', end: '2026-02-28', open: false },
      { name: '2026/03', start: '2026-03-01', end: '2026-03-31', open: true },
      { name: '2026/04', start: '2026-04-01', end: '2026-04-30', open: true },
    ],
    ...overrides,
  };
}

export function invoiceRequest(
  overrides: Partial<InvoicePostingRequest> = {},
): InvoicePostingRequest {
  return {
    idempotencyKey: randomUUID(),
    documentKind: 'INVOICE',
    journal: 'BATCH_INVOICES',
    supplierAccountName: 'ACME',
    reference: `INV-${Math.floor(Math.random() * 1e6)}`,
    documentDate: '2026-03-10',
    closedPeriodPolicy: ClosedPeriodPolicy.SHIFT_TO_NEXT_OPEN,
    currency: 'EUR',
    grossAmount: '123.00',
    description: 'Paper',
    lines: [
      {
        accountCode: '5000',
        costUnitCode: 'OPS',
        vatCode: 'S',
        netAmount: '100.00',
        vatAmount: '23.00',
        description: 'A4 paper',
      },
    ],
    ...overrides,
  };
}

export interface AiqFixture {
  aiq: LocalAccountsIq;
  seed: LocalCompanySeed;
  /** A fresh adapter (own session) for the seeded company. */
  adapter(overrides?: Partial<AccountsIqConnectionConfig>): AccountsIqAccounting;
  configOf(overrides?: Partial<AccountsIqConnectionConfig>): AccountsIqConnectionConfig;
  close(): Promise<void>;
}

/** A local accountsIQ service with one seeded company. */
export async function startAiqFixture(
  seedOverrides: Partial<LocalCompanySeed> = {},
  options: { lateAnswerMs?: number } = {},
): Promise<AiqFixture> {
  const aiq = await startLocalAccountsIq(options);
  const seed = companySeed(seedOverrides);
  aiq.addCompany(seed);
  const adapters: AccountsIqAccounting[] = [];
  const configOf = (overrides: Partial<AccountsIqConnectionConfig> = {}) => ({
    endpoint: aiq.url,
    entity: seed.entity,
    clientId: seed.clientId,
    clientSecret: seed.clientSecret,
    timeoutMs: 2000,
    ...overrides,
  });
  return {
    aiq,
    seed,
    configOf,
    adapter(overrides) {
      const a = createAccountsIqAccounting(configOf(overrides));
      adapters.push(a);
      return a;
    },
    async close() {
      await Promise.all(adapters.map((a) => a.close()));
      await aiq.close();
    },
  };
}
