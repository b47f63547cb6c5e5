import type {
  InvoiceDetailFragment,
  InvoiceRowFragment,
  Role,
  TransferBatchProgressFragment,
  TransferLiveFragment,
  ViewerQuery,
} from '@/gql/graphql';

/* Objects as the server sends them (with __typename), for the mocked Apollo client. */

export const ORG_ID = 'T3JnYW5pemF0aW9uOmF1cm9yYQ';

export function viewer(role: Role = 'ACCOUNTANT'): ViewerQuery['viewer'] {
  return {
    __typename: 'Viewer',
    user: {
      __typename: 'User',
      id: 'user-1',
      email: 'mikko@aurora.example',
      name: 'Mikko Korhonen',
    },
    organizations: [
      {
        __typename: 'Organization',
        id: ORG_ID,
        slug: 'aurora',
        name: 'Aurora Oy',
        role,
        currency: 'EUR',
      },
    ],
  } as unknown as ViewerQuery['viewer'];
}

export function supplier(n = 1) {
  return {
    __typename: 'Supplier' as const,
    id: `supplier-${n}`,
    name: `Supplier ${n} Oy`,
    accountName: `SUP-${1000 + n} Supplier ${n} Oy`,
  };
}

export function invoiceRow(
  n: number,
  overrides: Partial<InvoiceRowFragment> = {},
): InvoiceRowFragment {
  return {
    __typename: 'PurchaseInvoice',
    id: `invoice-${n}`,
    version: 3,
    kind: 'INVOICE',
    invoiceNumber: `INV-${n}`,
    documentNumber: 100 + n,
    billDate: '2026-11-02',
    dueDate: '2026-11-16',
    currency: 'EUR',
    netAmount: '100.00',
    vatAmount: '25.50',
    grossAmount: '125.50',
    status: 'APPROVED',
    source: 'MANUAL',
    posted: true,
    transferStatus: null,
    ledgerOutOfDate: false,
    supplier: supplier(n),
    currentStage: null,
    lastTransferErrors: [],
    transferBlockers: [],
    ledgerEntry: null,
    ...overrides,
  } as unknown as InvoiceRowFragment;
}

export function ledgerEntry(reference: string, overrides: Record<string, unknown> = {}) {
  return {
    __typename: 'LedgerEntry' as const,
    id: `entry-${reference}`,
    kind: 'INVOICE' as const,
    journal: 'ITEM_INVOICES' as const,
    reference,
    accountName: 'SUP-1001 Supplier 1 Oy',
    documentDate: '2026-11-02',
    postingDate: '2026-11-02',
    shifted: false,
    reversed: false,
    total: '125.50',
    currency: 'EUR',
    externalDocumentId: null,
    period: {
      __typename: 'AccountingPeriod' as const,
      id: 'period-2026-11',
      name: '2026-11',
      status: 'OPEN' as const,
    },
    ...overrides,
  };
}

export function transferLive(
  n: number,
  overrides: Partial<TransferLiveFragment> = {},
): TransferLiveFragment {
  return {
    __typename: 'Transfer',
    id: `transfer-${n}`,
    kind: 'POST',
    status: 'QUEUED',
    trigger: 'MANUAL',
    attempts: 0,
    documentType: 'INVOICE',
    originalDate: '2026-11-02',
    postingDate: null,
    nextAttemptAt: null,
    updatedAt: '2026-11-21T10:00:00.000Z',
    errors: [],
    batch: { __typename: 'TransferBatch', id: 'batch-1' },
    invoice: {
      __typename: 'PurchaseInvoice',
      id: `invoice-${n}`,
      invoiceNumber: `INV-${n}`,
      supplier: supplier(n),
    },
    ledgerEntry: null,
    ...overrides,
  } as unknown as TransferLiveFragment;
}

export function batch(
  overrides: Partial<TransferBatchProgressFragment> = {},
): TransferBatchProgressFragment {
  return {
    __typename: 'TransferBatch',
    id: 'batch-1',
    documentType: 'INVOICE',
    trigger: 'MANUAL',
    status: 'RUNNING',
    total: 1,
    queued: 1,
    sending: 0,
    transferred: 0,
    failed: 0,
    inDoubt: 0,
    createdAt: '2026-11-21T10:00:00.000Z',
    finishedAt: null,
    ...overrides,
  } as unknown as TransferBatchProgressFragment;
}

export function connection<T>(nodes: T[], { hasNextPage = false, totalCount = nodes.length } = {}) {
  return {
    totalCount,
    pageInfo: {
      __typename: 'PageInfo' as const,
      endCursor: nodes.length ? `cursor-${nodes.length}` : null,
      hasNextPage,
    },
    edges: nodes.map((node, i) => ({ cursor: `cursor-${i + 1}`, node })),
  };
}

export type { InvoiceDetailFragment };

export function tabCounts(
  counts: Partial<Record<'IN_PROCESS' | 'TRANSFERABLE' | 'TRANSFERRED' | 'ALL', number>> = {},
) {
  const all = { IN_PROCESS: 23, TRANSFERABLE: 31, TRANSFERRED: 236, ALL: 298, ...counts };
  return Object.entries(all).map(([tab, count]) => ({ __typename: 'InvoiceTabCount', tab, count }));
}

export const masterData = {
  __typename: 'MasterData',
  accounts: [
    {
      __typename: 'LedgerAccount',
      code: '4000',
      name: 'Purchases',
      type: 'EXPENSE',
      postable: true,
      active: true,
    },
    {
      __typename: 'LedgerAccount',
      code: '7690',
      name: 'Software licences (closed 2024)',
      type: 'EXPENSE',
      postable: true,
      active: false,
    },
  ],
  costUnits: [
    { __typename: 'CostUnit', code: '500', name: 'Research and development', active: true },
  ],
  vatCodes: [
    {
      __typename: 'VatCode',
      code: 'FI255',
      name: 'VAT 25.5 %',
      rate: '25.50',
      reverseCharge: false,
      validFrom: '2024-09-01',
      validTo: null,
    },
    {
      __typename: 'VatCode',
      code: 'FI14',
      name: 'VAT 14 % (reduced)',
      rate: '14.00',
      reverseCharge: false,
      validFrom: null,
      validTo: '2025-12-31',
    },
  ],
};

export function invoiceDetail(overrides: Record<string, unknown> = {}): InvoiceDetailFragment {
  return {
    ...invoiceRow(1),
    fiscalYear: 2026,
    postingVersion: 1,
    paidAmount: '0.00',
    offsetAmount: '0.00',
    openAmount: '125.50',
    creditedInvoice: null,
    creditNotes: [],
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-02T10:00:00.000Z',
    supplier: { ...supplier(1), businessId: '1234567-8', country: 'FI', iban: null },
    approvalProcess: {
      __typename: 'ApprovalProcess',
      id: 'process-1',
      name: 'Default approval',
      stages: [
        {
          __typename: 'ApprovalStage',
          id: 'stage-1',
          name: 'Inspection',
          position: 0,
          approverRole: 'APPROVER',
          transferFromThisStep: false,
        },
        {
          __typename: 'ApprovalStage',
          id: 'stage-2',
          name: 'Accounting check',
          position: 1,
          approverRole: 'ACCOUNTANT',
          transferFromThisStep: true,
        },
      ],
    },
    lines: [
      {
        __typename: 'InvoiceLine',
        id: 'line-1',
        position: 0,
        accountCode: '4000',
        costUnitCode: '500',
        vatCode: 'FI14',
        netAmount: '100.00',
        vatAmount: '25.50',
        description: 'Cloud servers',
      },
    ],
    postingWarnings: [],
    ledgerEntry: null,
    transfers: [],
    payments: [],
    ...overrides,
  } as unknown as InvoiceDetailFragment;
}
