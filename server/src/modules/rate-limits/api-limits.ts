/**
 * The numbers of the partner API's limits, in one place. docs/partner-api.md documents them;
 * a test checks that the two agree.
 */

/** Static limits on a GraphQL document, checked before it runs (validation errors, HTTP 400). */
export const DOCUMENT_LIMITS = {
  /** Nesting of fields; fragments count as the fields they contain, introspection's __schema is exempt. */
  maxDepth: 10,
  /** Aliased fields in one operation, e.g. twenty `createPurchaseInvoice` calls in one request. */
  maxAliases: 20,
  /** Directives in one operation. */
  maxDirectives: 20,
  /** Lexical tokens in one document (graphql-js parser's maxTokens). */
  maxTokens: 2_000,
} as const;

/** The cost model: what one field asks of the server. */
export const COST_MODEL = {
  /** Every mutation field, before its payload's selection. */
  mutation: 10,
  /** Every object (a row, or a value object) returned; scalars and enums are free. */
  object: 1,
  /** A connection field itself (the page query). */
  connection: 1,
  /** `totalCount` on a connection (a count query). */
  totalCount: 1,
  /** Page size assumed when `first` is not given (the API's default). */
  defaultPageSize: 20,
  /** Items assumed for a list that has no `first` argument, when LIST_ESTIMATES says nothing. */
  listEstimate: 5,
  /** `__schema` / `__type`: a flat price, whatever is selected below them. */
  introspection: 10,
} as const;

/** Value objects built in memory, not rows: free, like scalars. */
export const FREE_OBJECT_TYPES = new Set([
  'UserError',
  'Warning',
  'PageInfo',
  'TransferError',
  'InvoiceTabCount',
  'BankEntryTransaction',
  'BankEntryStateCount',
]);

/** Item estimates for plain (non-connection) lists, by `Type.field`; others: COST_MODEL.listEstimate. */
export const LIST_ESTIMATES: Record<string, number> = {
  'Query.approvalProcesses': 5,
  'Query.accountingPeriods': 12,
  'Viewer.organizations': 3,
  'ApprovalProcess.stages': 5,
  'ApprovalStage.approvers': 3,
  'PurchaseInvoice.lines': 5,
  'PurchaseInvoice.transfers': 3,
  'PurchaseInvoice.payments': 2,
  'ImportBankStatementPayload.statements': 1,
  'BankStatementEntry.suggestions': 3,
  'BankStatementEntry.payments': 2,
  'BankStatementEntry.transactions': 2,
  'Query.bankAccounts': 3,
  'LedgerEntry.lines': 3,
  'TransferReport.items': 10,
  'MasterData.accounts': 50,
  'MasterData.costUnits': 20,
  'MasterData.vatCodes': 10,
  'MasterData.supplierAccounts': 50,
  'ApproveInvoicesPayload.results': 20,
  'ExportInvoicesPayload.transfers': 20,
  'ExportPaymentsPayload.transfers': 20,
};

export interface ApiLimits {
  /** Largest requested cost of one query (HTTP 400, MAX_COST_EXCEEDED, above it). */
  maxQueryCost: number;
  /** Points in a full bucket: per API token, and per address for anonymous calls. */
  bucketSize: number;
  /** Points per second the bucket regains. */
  restoreRate: number;
  /**
   * The bucket of a signed-in user (all their sessions): the SPA loads several lists per view
   * (an invoice page of 50 costs ~250), so a person clicking through tabs needs more room than a
   * partner's steady sync; the same per-query maximum still applies.
   */
  sessionBucketSize: number;
  sessionRestoreRate: number;
  /** Failed sign-ins one account takes before it is slowed down, and the seconds per attempt regained. */
  loginAccountBurst: number;
  loginAccountRefillSeconds: number;
  /** Failed sign-ins one client address takes before it is slowed down, and the seconds per attempt regained. */
  loginAddressBurst: number;
  loginAddressRefillSeconds: number;
}

export const DEFAULT_API_LIMITS: ApiLimits = {
  maxQueryCost: 1_000,
  bucketSize: 1_000,
  restoreRate: 50,
  sessionBucketSize: 10_000,
  sessionRestoreRate: 500,
  loginAccountBurst: 10,
  loginAccountRefillSeconds: 60,
  loginAddressBurst: 30,
  loginAddressRefillSeconds: 10,
};

const ENV: Record<keyof ApiLimits, string> = {
  maxQueryCost: 'LEDGERLINK_MAX_QUERY_COST',
  bucketSize: 'LEDGERLINK_COST_BUCKET_SIZE',
  restoreRate: 'LEDGERLINK_COST_RESTORE_RATE',
  sessionBucketSize: 'LEDGERLINK_SESSION_COST_BUCKET_SIZE',
  sessionRestoreRate: 'LEDGERLINK_SESSION_COST_RESTORE_RATE',
  loginAccountBurst: 'LEDGERLINK_LOGIN_ACCOUNT_BURST',
  loginAccountRefillSeconds: 'LEDGERLINK_LOGIN_ACCOUNT_REFILL_SECONDS',
  loginAddressBurst: 'LEDGERLINK_LOGIN_ADDRESS_BURST',
  loginAddressRefillSeconds: 'LEDGERLINK_LOGIN_ADDRESS_REFILL_SECONDS',
};

/** The limits, with environment overrides (whole positive numbers). */
export function loadApiLimits(
  env: NodeJS.ProcessEnv,
  configError: (message: string) => Error = (m) => new Error(m),
): ApiLimits {
  const limits = { ...DEFAULT_API_LIMITS };
  for (const key of Object.keys(ENV) as (keyof ApiLimits)[]) {
    const raw = env[ENV[key]];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 1e12) {
      throw configError(`${ENV[key]} must be a whole number from 1 to 10^12, got "${raw}"`);
    }
    limits[key] = value;
  }
  for (const bucket of ['bucketSize', 'sessionBucketSize'] as const) {
    if (limits.maxQueryCost > limits[bucket]) {
      throw configError(
        `LEDGERLINK_MAX_QUERY_COST (${limits.maxQueryCost}) must not exceed ${ENV[bucket]} (${limits[bucket]}): such a query could never run`,
      );
    }
  }
  return limits;
}
