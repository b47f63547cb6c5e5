import type {
  AccountingConnectionStatus,
  ApiScope,
  ClosedPeriodPolicy,
  DriftKind,
  ExportMode,
} from '@/gql/graphql';

/** Each setting in one sentence, as the settings page explains it. */
export const SETTING_HELP = {
  autoTransferInvoices:
    'When someone with accounting rights saves an invoice at a stage marked “Invoice will be transferred from this step”, it is sent to the ledger right away.',
  autoTransferPayments:
    'A recorded payment is sent to the ledger on its own as soon as its invoice is there.',
  exportMode:
    'The ledger journal exported invoices land in, where they are found by their Reference.',
  closedPeriodPolicy:
    'What happens to an invoice dated in a closed period, or on or before the lock date.',
} as const;

export const EXPORT_MODE_OPTIONS: readonly { value: ExportMode; label: string; hint: string }[] = [
  { value: 'ITEM', label: 'Item invoices', hint: 'Purchases › Item invoices' },
  { value: 'BATCH', label: 'Batch invoices', hint: 'Purchases › Batch invoices' },
];

export const CLOSED_PERIOD_OPTIONS: readonly {
  value: ClosedPeriodPolicy;
  label: string;
  hint: string;
}[] = [
  {
    value: 'SHIFT_TO_NEXT_OPEN',
    label: 'Shift to the next open period',
    hint: 'Posted on the first day of the next open period; both dates are kept.',
  },
  {
    value: 'BLOCK',
    label: 'Refuse the transfer',
    hint: 'The transfer fails with “Period locked” until the period is reopened.',
  },
];

export const API_SCOPE_OPTIONS: readonly { value: ApiScope; label: string; hint: string }[] = [
  { value: 'READ', label: 'Read', hint: 'Read everything of the organization.' },
  {
    value: 'WRITE',
    label: 'Write',
    hint: 'Create invoices, change posting, circulate, record payments.',
  },
  { value: 'EXPORT', label: 'Export', hint: 'Transfer invoices and payments to accounting.' },
  { value: 'ADMIN', label: 'Admin', hint: 'Settings, approval processes, periods and tokens.' },
];

/** The on/off settings, in the order the page shows them. */
export const TOGGLE_SETTINGS = [
  {
    key: 'autoTransferInvoices',
    label: 'Automatic transfer of invoices',
    help: SETTING_HELP.autoTransferInvoices,
    testId: 'auto-transfer-invoices',
  },
  {
    key: 'autoTransferPayments',
    label: 'Automatic transfer of payments',
    help: SETTING_HELP.autoTransferPayments,
    testId: 'auto-transfer-payments',
  },
] as const;

/** The one-of-several settings. */
export const CHOICE_SETTINGS = [
  {
    key: 'exportMode',
    label: 'Export mode',
    help: SETTING_HELP.exportMode,
    options: EXPORT_MODE_OPTIONS,
  },
  {
    key: 'closedPeriodPolicy',
    label: 'Closed-period policy',
    help: SETTING_HELP.closedPeriodPolicy,
    options: CLOSED_PERIOD_OPTIONS,
  },
] as const;

export const CONNECTION_STATUS_LABELS: Record<AccountingConnectionStatus, string> = {
  UNTESTED: 'Not tested yet',
  CONNECTED: 'Connected',
  FAILED: 'Connection failed',
};

/** What to do about each failed connection test. */
export const TEST_CODE_HELP: Record<string, string> = {
  AUTH_FAILED: 'Check the company id, client id and secret in accountsIQ.',
  UNREACHABLE: 'Check the endpoint address; accountsIQ did not answer.',
  VALIDATION: 'accountsIQ refused the request; its message is shown above.',
};

export const DRIFT_KIND_LABELS: Record<DriftKind, string> = {
  MISSING_THERE: 'Missing there',
  DUPLICATE_THERE: 'Present twice',
  AMOUNT_DIFFERS: 'Amount differs',
  PERIOD_DIFFERS: 'Period differs',
  UNKNOWN_HERE: 'Unknown here',
};
