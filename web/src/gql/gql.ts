/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "fragment AccountingPeriodRow on AccountingPeriod {\n  id\n  name\n  fiscalYear\n  startDate\n  endDate\n  status\n}": typeof types.AccountingPeriodRowFragmentDoc,
    "query AccountingPeriods($organizationId: ID!) {\n  accountingPeriods(organizationId: $organizationId) {\n    ...AccountingPeriodRow\n  }\n}": typeof types.AccountingPeriodsDocument,
    "mutation ClosePeriod($input: PeriodInput!) {\n  closePeriod(input: $input) {\n    period {\n      ...AccountingPeriodRow\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": typeof types.ClosePeriodDocument,
    "query LedgerEntries($organizationId: ID!, $journal: Journal, $reference: String, $first: Int, $after: String) {\n  ledgerEntries(\n    organizationId: $organizationId\n    journal: $journal\n    reference: $reference\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...LedgerEntrySummary\n        description\n        createdAt\n      }\n    }\n  }\n}": typeof types.LedgerEntriesDocument,
    "query LedgerEntry($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on LedgerEntry {\n      ...LedgerEntrySummary\n      description\n      createdAt\n      lines {\n        lineNo\n        accountCode\n        costUnitCode\n        vatCode\n        debit\n        credit\n        description\n      }\n    }\n  }\n}": typeof types.LedgerEntryDocument,
    "query LockDate($organizationId: ID!) {\n  lockDate(organizationId: $organizationId)\n}": typeof types.LockDateDocument,
    "mutation ReopenPeriod($input: PeriodInput!) {\n  reopenPeriod(input: $input) {\n    period {\n      ...AccountingPeriodRow\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": typeof types.ReopenPeriodDocument,
    "mutation SetLockDate($input: SetLockDateInput!) {\n  setLockDate(input: $input) {\n    lockDate\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": typeof types.SetLockDateDocument,
    "fragment ApprovalProcessDetail on ApprovalProcess {\n  ...ApprovalProcessSummary\n  stages {\n    id\n    approvers {\n      id\n      name\n      email\n    }\n  }\n}": typeof types.ApprovalProcessDetailFragmentDoc,
    "fragment ApprovalProcessSummary on ApprovalProcess {\n  id\n  name\n  isDefault\n  version\n  stages {\n    id\n    name\n    position\n    approverRole\n    transferFromThisStep\n  }\n}": typeof types.ApprovalProcessSummaryFragmentDoc,
    "query ApprovalProcess($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on ApprovalProcess {\n      ...ApprovalProcessDetail\n    }\n  }\n}": typeof types.ApprovalProcessDocument,
    "query ApprovalProcesses($organizationId: ID!) {\n  approvalProcesses(organizationId: $organizationId) {\n    ...ApprovalProcessSummary\n  }\n}": typeof types.ApprovalProcessesDocument,
    "mutation CreateApprovalProcess($input: CreateApprovalProcessInput!) {\n  createApprovalProcess(input: $input) {\n    approvalProcess {\n      ...ApprovalProcessDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": typeof types.CreateApprovalProcessDocument,
    "mutation DeleteApprovalProcess($input: DeleteApprovalProcessInput!) {\n  deleteApprovalProcess(input: $input) {\n    deletedApprovalProcessId\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": typeof types.DeleteApprovalProcessDocument,
    "query Members($organizationId: ID!, $search: String, $role: [Role!], $first: Int) {\n  members(\n    organizationId: $organizationId\n    search: $search\n    role: $role\n    first: $first\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      role\n      active\n      user {\n        id\n        name\n        email\n      }\n    }\n  }\n}": typeof types.MembersDocument,
    "mutation UpdateApprovalProcess($input: UpdateApprovalProcessInput!) {\n  updateApprovalProcess(input: $input) {\n    approvalProcess {\n      ...ApprovalProcessDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": typeof types.UpdateApprovalProcessDocument,
    "fragment ActorFields on Actor {\n  __typename\n  ... on User {\n    id\n    name\n    email\n  }\n  ... on ApiClient {\n    id\n    name\n  }\n  ... on SystemActor {\n    name\n    onBehalfOf {\n      id\n      name\n    }\n  }\n}": typeof types.ActorFieldsFragmentDoc,
    "fragment AuditEventFields on AuditEvent {\n  id\n  at\n  action\n  details\n  actor {\n    ...ActorFields\n  }\n}": typeof types.AuditEventFieldsFragmentDoc,
    "mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    user {\n      id\n      email\n      name\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": typeof types.LoginDocument,
    "mutation Logout {\n  logout(input: {}) {\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": typeof types.LogoutDocument,
    "query Viewer {\n  viewer {\n    user {\n      id\n      email\n      name\n    }\n    organizations {\n      id\n      slug\n      name\n      role\n      currency\n    }\n  }\n}": typeof types.ViewerDocument,
    "mutation ApproveInvoice($input: ApproveInvoiceInput!) {\n  approveInvoice(input: $input) {\n    invoice {\n      ...InvoiceDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": typeof types.ApproveInvoiceDocument,
    "mutation ExportInvoices($input: ExportInvoicesInput!) {\n  exportInvoices(input: $input) {\n    batch {\n      ...TransferBatchProgress\n    }\n    transfers {\n      ...TransferLive\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": typeof types.ExportInvoicesDocument,
    "fragment InvoiceDetail on PurchaseInvoice {\n  ...InvoiceRow\n  fiscalYear\n  postingVersion\n  paidAmount\n  openAmount\n  createdAt\n  updatedAt\n  supplier {\n    id\n    name\n    accountName\n    businessId\n    country\n    iban\n  }\n  approvalProcess {\n    id\n    name\n    stages {\n      id\n      name\n      position\n      approverRole\n      transferFromThisStep\n    }\n  }\n  lines {\n    id\n    position\n    accountCode\n    costUnitCode\n    vatCode\n    netAmount\n    vatAmount\n    description\n  }\n  postingWarnings {\n    code\n    message\n    field\n  }\n  ledgerEntry {\n    ...LedgerEntrySummary\n  }\n  transfers {\n    ...TransferDetail\n  }\n  payments {\n    id\n    amount\n    paymentDate\n    documentNumber\n    source\n    bankReference\n    transferStatus\n    ledgerEntry {\n      ...LedgerEntrySummary\n    }\n  }\n}": typeof types.InvoiceDetailFragmentDoc,
    "query InvoiceDetail($id: ID!) {\n  invoice(id: $id) {\n    ...InvoiceDetail\n  }\n}": typeof types.InvoiceDetailDocument,
    "query InvoiceHistory($id: ID!, $first: Int, $after: String) {\n  invoice(id: $id) {\n    id\n    history(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        cursor\n        node {\n          ...AuditEventFields\n        }\n      }\n    }\n  }\n}": typeof types.InvoiceHistoryDocument,
    "query InvoiceList($organizationId: ID!, $tab: InvoiceTab!, $filter: InvoiceFilter, $orderBy: InvoiceOrder, $first: Int, $after: String) {\n  invoices(\n    organizationId: $organizationId\n    tab: $tab\n    filter: $filter\n    orderBy: $orderBy\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...InvoiceRow\n      }\n    }\n  }\n}": typeof types.InvoiceListDocument,
    "fragment InvoiceRow on PurchaseInvoice {\n  id\n  version\n  invoiceNumber\n  documentNumber\n  billDate\n  dueDate\n  currency\n  netAmount\n  vatAmount\n  grossAmount\n  status\n  posted\n  transferStatus\n  ledgerOutOfDate\n  supplier {\n    id\n    name\n    accountName\n  }\n  currentStage {\n    id\n    name\n    transferFromThisStep\n  }\n  lastTransferErrors {\n    code\n    message\n    field\n  }\n  transferBlockers {\n    code\n    message\n    field\n  }\n  ledgerEntry {\n    id\n    journal\n    reference\n    postingDate\n    shifted\n    period {\n      id\n      name\n    }\n  }\n}": typeof types.InvoiceRowFragmentDoc,
    "query InvoiceTabCounts($organizationId: ID!) {\n  invoiceTabCounts(organizationId: $organizationId) {\n    tab\n    count\n  }\n}": typeof types.InvoiceTabCountsDocument,
    "query MasterData($organizationId: ID!) {\n  masterData(organizationId: $organizationId) {\n    accounts {\n      code\n      name\n      type\n      postable\n      active\n    }\n    costUnits {\n      code\n      name\n      active\n    }\n    vatCodes {\n      code\n      name\n      rate\n      reverseCharge\n      validFrom\n      validTo\n    }\n  }\n}": typeof types.MasterDataDocument,
    "mutation RejectInvoice($input: RejectInvoiceInput!) {\n  rejectInvoice(input: $input) {\n    invoice {\n      ...InvoiceDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": typeof types.RejectInvoiceDocument,
    "mutation RemoveInvoice($input: RemoveInvoiceInput!) {\n  removeInvoice(input: $input) {\n    invoice {\n      ...InvoiceDetail\n    }\n    transfer {\n      ...TransferDetail\n    }\n    warnings {\n      code\n      message\n      field\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": typeof types.RemoveInvoiceDocument,
    "query SupplierOptions($organizationId: ID!, $search: String, $first: Int) {\n  suppliers(organizationId: $organizationId, search: $search, first: $first) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        id\n        name\n        accountName\n      }\n    }\n  }\n}": typeof types.SupplierOptionsDocument,
    "mutation UpdatePosting($input: UpdatePostingInput!) {\n  updatePosting(input: $input) {\n    invoice {\n      ...InvoiceDetail\n    }\n    warnings {\n      code\n      message\n      field\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": typeof types.UpdatePostingDocument,
    "subscription MonitorTransferStatus($organizationId: ID!) {\n  transferStatusChanged(organizationId: $organizationId) {\n    status\n    final\n    occurredAt\n    resync\n    errors {\n      code\n      message\n      field\n    }\n    transfer {\n      ...MonitorTransfer\n    }\n  }\n}": typeof types.MonitorTransferStatusDocument,
    "fragment MonitorTransfer on Transfer {\n  ...TransferLive\n  createdAt\n  finishedAt\n  payment {\n    id\n    documentNumber\n    invoice {\n      id\n      invoiceNumber\n      supplier {\n        id\n        name\n      }\n    }\n  }\n}": typeof types.MonitorTransferFragmentDoc,
    "query MonitorTransfers($organizationId: ID!, $status: [TransferStatus!], $first: Int) {\n  transfers(organizationId: $organizationId, status: $status, first: $first) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...MonitorTransfer\n      }\n    }\n  }\n}": typeof types.MonitorTransfersDocument,
    "fragment TransferReportRow on TransferReport {\n  id\n  createdAt\n  trigger\n  total\n  notTransferred\n  batch {\n    id\n    documentType\n  }\n}": typeof types.TransferReportRowFragmentDoc,
    "query TransferReport($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on TransferReport {\n      ...TransferReportRow\n      items {\n        invoice {\n          id\n          invoiceNumber\n          documentNumber\n          billDate\n          grossAmount\n          currency\n          transferStatus\n          supplier {\n            id\n            name\n            accountName\n          }\n        }\n        payment {\n          id\n          documentNumber\n          paymentDate\n          amount\n          invoice {\n            id\n            invoiceNumber\n            currency\n            supplier {\n              id\n              name\n              accountName\n            }\n          }\n        }\n        errors {\n          code\n          message\n          field\n        }\n      }\n    }\n  }\n}": typeof types.TransferReportDocument,
    "query TransferReports($organizationId: ID!, $first: Int, $after: String) {\n  transferReports(organizationId: $organizationId, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...TransferReportRow\n      }\n    }\n  }\n}": typeof types.TransferReportsDocument,
    "fragment ApiTokenRow on ApiClient {\n  id\n  name\n  scopes\n  tokenPrefix\n  createdAt\n  lastUsedAt\n  revokedAt\n}": typeof types.ApiTokenRowFragmentDoc,
    "query ApiTokens($organizationId: ID!, $first: Int) {\n  apiTokens(organizationId: $organizationId, first: $first, includeRevoked: true) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...ApiTokenRow\n      }\n    }\n  }\n}": typeof types.ApiTokensDocument,
    "mutation CreateApiToken($input: CreateApiTokenInput!) {\n  createApiToken(input: $input) {\n    apiToken {\n      ...ApiTokenRow\n    }\n    token\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": typeof types.CreateApiTokenDocument,
    "mutation RevokeApiToken($input: RevokeApiTokenInput!) {\n  revokeApiToken(input: $input) {\n    apiToken {\n      ...ApiTokenRow\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": typeof types.RevokeApiTokenDocument,
    "fragment TransferSettingsFields on TransferSettings {\n  autoTransferInvoices\n  autoTransferPayments\n  exportMode\n  closedPeriodPolicy\n}": typeof types.TransferSettingsFieldsFragmentDoc,
    "query TransferSettings($organizationId: ID!) {\n  transferSettings(organizationId: $organizationId) {\n    ...TransferSettingsFields\n  }\n}": typeof types.TransferSettingsDocument,
    "mutation UpdateTransferSettings($input: UpdateTransferSettingsInput!) {\n  updateTransferSettings(input: $input) {\n    transferSettings {\n      ...TransferSettingsFields\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": typeof types.UpdateTransferSettingsDocument,
    "fragment LedgerEntrySummary on LedgerEntry {\n  id\n  kind\n  journal\n  reference\n  accountName\n  documentDate\n  postingDate\n  shifted\n  reversed\n  total\n  currency\n  period {\n    id\n    name\n    status\n  }\n}": typeof types.LedgerEntrySummaryFragmentDoc,
    "query RecentTransfers($organizationId: ID!, $status: [TransferStatus!], $first: Int, $after: String) {\n  transfers(\n    organizationId: $organizationId\n    status: $status\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...TransferLive\n      }\n    }\n  }\n}": typeof types.RecentTransfersDocument,
    "mutation RetryTransfer($input: RetryTransferInput!) {\n  retryTransfer(input: $input) {\n    transfer {\n      ...TransferDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": typeof types.RetryTransferDocument,
    "fragment TransferBatchProgress on TransferBatch {\n  id\n  documentType\n  trigger\n  status\n  total\n  queued\n  sending\n  transferred\n  failed\n  inDoubt\n  createdAt\n  finishedAt\n}": typeof types.TransferBatchProgressFragmentDoc,
    "subscription TransferBatchProgressLive($batchId: ID!) {\n  transferBatchProgress(batchId: $batchId) {\n    ...TransferBatchProgress\n  }\n}": typeof types.TransferBatchProgressLiveDocument,
    "query TransferBatch($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on TransferBatch {\n      ...TransferBatchProgress\n    }\n  }\n}": typeof types.TransferBatchDocument,
    "fragment TransferDetail on Transfer {\n  ...TransferLive\n  documentVersion\n  createdAt\n  finishedAt\n  requestedBy {\n    ...ActorFields\n  }\n  performer {\n    ...ActorFields\n  }\n}": typeof types.TransferDetailFragmentDoc,
    "fragment TransferLive on Transfer {\n  id\n  kind\n  status\n  trigger\n  attempts\n  documentType\n  originalDate\n  postingDate\n  nextAttemptAt\n  updatedAt\n  errors {\n    code\n    message\n    field\n  }\n  batch {\n    id\n  }\n  invoice {\n    id\n    invoiceNumber\n    supplier {\n      id\n      name\n    }\n  }\n  ledgerEntry {\n    ...LedgerEntrySummary\n  }\n}": typeof types.TransferLiveFragmentDoc,
    "subscription TransferStatusChangedLive($organizationId: ID!) {\n  transferStatusChanged(organizationId: $organizationId) {\n    status\n    final\n    batchId\n    invoiceId\n    occurredAt\n    resync\n    transfer {\n      ...TransferLive\n    }\n  }\n}": typeof types.TransferStatusChangedLiveDocument,
};
const documents: Documents = {
    "fragment AccountingPeriodRow on AccountingPeriod {\n  id\n  name\n  fiscalYear\n  startDate\n  endDate\n  status\n}": types.AccountingPeriodRowFragmentDoc,
    "query AccountingPeriods($organizationId: ID!) {\n  accountingPeriods(organizationId: $organizationId) {\n    ...AccountingPeriodRow\n  }\n}": types.AccountingPeriodsDocument,
    "mutation ClosePeriod($input: PeriodInput!) {\n  closePeriod(input: $input) {\n    period {\n      ...AccountingPeriodRow\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": types.ClosePeriodDocument,
    "query LedgerEntries($organizationId: ID!, $journal: Journal, $reference: String, $first: Int, $after: String) {\n  ledgerEntries(\n    organizationId: $organizationId\n    journal: $journal\n    reference: $reference\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...LedgerEntrySummary\n        description\n        createdAt\n      }\n    }\n  }\n}": types.LedgerEntriesDocument,
    "query LedgerEntry($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on LedgerEntry {\n      ...LedgerEntrySummary\n      description\n      createdAt\n      lines {\n        lineNo\n        accountCode\n        costUnitCode\n        vatCode\n        debit\n        credit\n        description\n      }\n    }\n  }\n}": types.LedgerEntryDocument,
    "query LockDate($organizationId: ID!) {\n  lockDate(organizationId: $organizationId)\n}": types.LockDateDocument,
    "mutation ReopenPeriod($input: PeriodInput!) {\n  reopenPeriod(input: $input) {\n    period {\n      ...AccountingPeriodRow\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": types.ReopenPeriodDocument,
    "mutation SetLockDate($input: SetLockDateInput!) {\n  setLockDate(input: $input) {\n    lockDate\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": types.SetLockDateDocument,
    "fragment ApprovalProcessDetail on ApprovalProcess {\n  ...ApprovalProcessSummary\n  stages {\n    id\n    approvers {\n      id\n      name\n      email\n    }\n  }\n}": types.ApprovalProcessDetailFragmentDoc,
    "fragment ApprovalProcessSummary on ApprovalProcess {\n  id\n  name\n  isDefault\n  version\n  stages {\n    id\n    name\n    position\n    approverRole\n    transferFromThisStep\n  }\n}": types.ApprovalProcessSummaryFragmentDoc,
    "query ApprovalProcess($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on ApprovalProcess {\n      ...ApprovalProcessDetail\n    }\n  }\n}": types.ApprovalProcessDocument,
    "query ApprovalProcesses($organizationId: ID!) {\n  approvalProcesses(organizationId: $organizationId) {\n    ...ApprovalProcessSummary\n  }\n}": types.ApprovalProcessesDocument,
    "mutation CreateApprovalProcess($input: CreateApprovalProcessInput!) {\n  createApprovalProcess(input: $input) {\n    approvalProcess {\n      ...ApprovalProcessDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": types.CreateApprovalProcessDocument,
    "mutation DeleteApprovalProcess($input: DeleteApprovalProcessInput!) {\n  deleteApprovalProcess(input: $input) {\n    deletedApprovalProcessId\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": types.DeleteApprovalProcessDocument,
    "query Members($organizationId: ID!, $search: String, $role: [Role!], $first: Int) {\n  members(\n    organizationId: $organizationId\n    search: $search\n    role: $role\n    first: $first\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      role\n      active\n      user {\n        id\n        name\n        email\n      }\n    }\n  }\n}": types.MembersDocument,
    "mutation UpdateApprovalProcess($input: UpdateApprovalProcessInput!) {\n  updateApprovalProcess(input: $input) {\n    approvalProcess {\n      ...ApprovalProcessDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": types.UpdateApprovalProcessDocument,
    "fragment ActorFields on Actor {\n  __typename\n  ... on User {\n    id\n    name\n    email\n  }\n  ... on ApiClient {\n    id\n    name\n  }\n  ... on SystemActor {\n    name\n    onBehalfOf {\n      id\n      name\n    }\n  }\n}": types.ActorFieldsFragmentDoc,
    "fragment AuditEventFields on AuditEvent {\n  id\n  at\n  action\n  details\n  actor {\n    ...ActorFields\n  }\n}": types.AuditEventFieldsFragmentDoc,
    "mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    user {\n      id\n      email\n      name\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": types.LoginDocument,
    "mutation Logout {\n  logout(input: {}) {\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": types.LogoutDocument,
    "query Viewer {\n  viewer {\n    user {\n      id\n      email\n      name\n    }\n    organizations {\n      id\n      slug\n      name\n      role\n      currency\n    }\n  }\n}": types.ViewerDocument,
    "mutation ApproveInvoice($input: ApproveInvoiceInput!) {\n  approveInvoice(input: $input) {\n    invoice {\n      ...InvoiceDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": types.ApproveInvoiceDocument,
    "mutation ExportInvoices($input: ExportInvoicesInput!) {\n  exportInvoices(input: $input) {\n    batch {\n      ...TransferBatchProgress\n    }\n    transfers {\n      ...TransferLive\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": types.ExportInvoicesDocument,
    "fragment InvoiceDetail on PurchaseInvoice {\n  ...InvoiceRow\n  fiscalYear\n  postingVersion\n  paidAmount\n  openAmount\n  createdAt\n  updatedAt\n  supplier {\n    id\n    name\n    accountName\n    businessId\n    country\n    iban\n  }\n  approvalProcess {\n    id\n    name\n    stages {\n      id\n      name\n      position\n      approverRole\n      transferFromThisStep\n    }\n  }\n  lines {\n    id\n    position\n    accountCode\n    costUnitCode\n    vatCode\n    netAmount\n    vatAmount\n    description\n  }\n  postingWarnings {\n    code\n    message\n    field\n  }\n  ledgerEntry {\n    ...LedgerEntrySummary\n  }\n  transfers {\n    ...TransferDetail\n  }\n  payments {\n    id\n    amount\n    paymentDate\n    documentNumber\n    source\n    bankReference\n    transferStatus\n    ledgerEntry {\n      ...LedgerEntrySummary\n    }\n  }\n}": types.InvoiceDetailFragmentDoc,
    "query InvoiceDetail($id: ID!) {\n  invoice(id: $id) {\n    ...InvoiceDetail\n  }\n}": types.InvoiceDetailDocument,
    "query InvoiceHistory($id: ID!, $first: Int, $after: String) {\n  invoice(id: $id) {\n    id\n    history(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        cursor\n        node {\n          ...AuditEventFields\n        }\n      }\n    }\n  }\n}": types.InvoiceHistoryDocument,
    "query InvoiceList($organizationId: ID!, $tab: InvoiceTab!, $filter: InvoiceFilter, $orderBy: InvoiceOrder, $first: Int, $after: String) {\n  invoices(\n    organizationId: $organizationId\n    tab: $tab\n    filter: $filter\n    orderBy: $orderBy\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...InvoiceRow\n      }\n    }\n  }\n}": types.InvoiceListDocument,
    "fragment InvoiceRow on PurchaseInvoice {\n  id\n  version\n  invoiceNumber\n  documentNumber\n  billDate\n  dueDate\n  currency\n  netAmount\n  vatAmount\n  grossAmount\n  status\n  posted\n  transferStatus\n  ledgerOutOfDate\n  supplier {\n    id\n    name\n    accountName\n  }\n  currentStage {\n    id\n    name\n    transferFromThisStep\n  }\n  lastTransferErrors {\n    code\n    message\n    field\n  }\n  transferBlockers {\n    code\n    message\n    field\n  }\n  ledgerEntry {\n    id\n    journal\n    reference\n    postingDate\n    shifted\n    period {\n      id\n      name\n    }\n  }\n}": types.InvoiceRowFragmentDoc,
    "query InvoiceTabCounts($organizationId: ID!) {\n  invoiceTabCounts(organizationId: $organizationId) {\n    tab\n    count\n  }\n}": types.InvoiceTabCountsDocument,
    "query MasterData($organizationId: ID!) {\n  masterData(organizationId: $organizationId) {\n    accounts {\n      code\n      name\n      type\n      postable\n      active\n    }\n    costUnits {\n      code\n      name\n      active\n    }\n    vatCodes {\n      code\n      name\n      rate\n      reverseCharge\n      validFrom\n      validTo\n    }\n  }\n}": types.MasterDataDocument,
    "mutation RejectInvoice($input: RejectInvoiceInput!) {\n  rejectInvoice(input: $input) {\n    invoice {\n      ...InvoiceDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": types.RejectInvoiceDocument,
    "mutation RemoveInvoice($input: RemoveInvoiceInput!) {\n  removeInvoice(input: $input) {\n    invoice {\n      ...InvoiceDetail\n    }\n    transfer {\n      ...TransferDetail\n    }\n    warnings {\n      code\n      message\n      field\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": types.RemoveInvoiceDocument,
    "query SupplierOptions($organizationId: ID!, $search: String, $first: Int) {\n  suppliers(organizationId: $organizationId, search: $search, first: $first) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        id\n        name\n        accountName\n      }\n    }\n  }\n}": types.SupplierOptionsDocument,
    "mutation UpdatePosting($input: UpdatePostingInput!) {\n  updatePosting(input: $input) {\n    invoice {\n      ...InvoiceDetail\n    }\n    warnings {\n      code\n      message\n      field\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": types.UpdatePostingDocument,
    "subscription MonitorTransferStatus($organizationId: ID!) {\n  transferStatusChanged(organizationId: $organizationId) {\n    status\n    final\n    occurredAt\n    resync\n    errors {\n      code\n      message\n      field\n    }\n    transfer {\n      ...MonitorTransfer\n    }\n  }\n}": types.MonitorTransferStatusDocument,
    "fragment MonitorTransfer on Transfer {\n  ...TransferLive\n  createdAt\n  finishedAt\n  payment {\n    id\n    documentNumber\n    invoice {\n      id\n      invoiceNumber\n      supplier {\n        id\n        name\n      }\n    }\n  }\n}": types.MonitorTransferFragmentDoc,
    "query MonitorTransfers($organizationId: ID!, $status: [TransferStatus!], $first: Int) {\n  transfers(organizationId: $organizationId, status: $status, first: $first) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...MonitorTransfer\n      }\n    }\n  }\n}": types.MonitorTransfersDocument,
    "fragment TransferReportRow on TransferReport {\n  id\n  createdAt\n  trigger\n  total\n  notTransferred\n  batch {\n    id\n    documentType\n  }\n}": types.TransferReportRowFragmentDoc,
    "query TransferReport($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on TransferReport {\n      ...TransferReportRow\n      items {\n        invoice {\n          id\n          invoiceNumber\n          documentNumber\n          billDate\n          grossAmount\n          currency\n          transferStatus\n          supplier {\n            id\n            name\n            accountName\n          }\n        }\n        payment {\n          id\n          documentNumber\n          paymentDate\n          amount\n          invoice {\n            id\n            invoiceNumber\n            currency\n            supplier {\n              id\n              name\n              accountName\n            }\n          }\n        }\n        errors {\n          code\n          message\n          field\n        }\n      }\n    }\n  }\n}": types.TransferReportDocument,
    "query TransferReports($organizationId: ID!, $first: Int, $after: String) {\n  transferReports(organizationId: $organizationId, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...TransferReportRow\n      }\n    }\n  }\n}": types.TransferReportsDocument,
    "fragment ApiTokenRow on ApiClient {\n  id\n  name\n  scopes\n  tokenPrefix\n  createdAt\n  lastUsedAt\n  revokedAt\n}": types.ApiTokenRowFragmentDoc,
    "query ApiTokens($organizationId: ID!, $first: Int) {\n  apiTokens(organizationId: $organizationId, first: $first, includeRevoked: true) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...ApiTokenRow\n      }\n    }\n  }\n}": types.ApiTokensDocument,
    "mutation CreateApiToken($input: CreateApiTokenInput!) {\n  createApiToken(input: $input) {\n    apiToken {\n      ...ApiTokenRow\n    }\n    token\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": types.CreateApiTokenDocument,
    "mutation RevokeApiToken($input: RevokeApiTokenInput!) {\n  revokeApiToken(input: $input) {\n    apiToken {\n      ...ApiTokenRow\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": types.RevokeApiTokenDocument,
    "fragment TransferSettingsFields on TransferSettings {\n  autoTransferInvoices\n  autoTransferPayments\n  exportMode\n  closedPeriodPolicy\n}": types.TransferSettingsFieldsFragmentDoc,
    "query TransferSettings($organizationId: ID!) {\n  transferSettings(organizationId: $organizationId) {\n    ...TransferSettingsFields\n  }\n}": types.TransferSettingsDocument,
    "mutation UpdateTransferSettings($input: UpdateTransferSettingsInput!) {\n  updateTransferSettings(input: $input) {\n    transferSettings {\n      ...TransferSettingsFields\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": types.UpdateTransferSettingsDocument,
    "fragment LedgerEntrySummary on LedgerEntry {\n  id\n  kind\n  journal\n  reference\n  accountName\n  documentDate\n  postingDate\n  shifted\n  reversed\n  total\n  currency\n  period {\n    id\n    name\n    status\n  }\n}": types.LedgerEntrySummaryFragmentDoc,
    "query RecentTransfers($organizationId: ID!, $status: [TransferStatus!], $first: Int, $after: String) {\n  transfers(\n    organizationId: $organizationId\n    status: $status\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...TransferLive\n      }\n    }\n  }\n}": types.RecentTransfersDocument,
    "mutation RetryTransfer($input: RetryTransferInput!) {\n  retryTransfer(input: $input) {\n    transfer {\n      ...TransferDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}": types.RetryTransferDocument,
    "fragment TransferBatchProgress on TransferBatch {\n  id\n  documentType\n  trigger\n  status\n  total\n  queued\n  sending\n  transferred\n  failed\n  inDoubt\n  createdAt\n  finishedAt\n}": types.TransferBatchProgressFragmentDoc,
    "subscription TransferBatchProgressLive($batchId: ID!) {\n  transferBatchProgress(batchId: $batchId) {\n    ...TransferBatchProgress\n  }\n}": types.TransferBatchProgressLiveDocument,
    "query TransferBatch($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on TransferBatch {\n      ...TransferBatchProgress\n    }\n  }\n}": types.TransferBatchDocument,
    "fragment TransferDetail on Transfer {\n  ...TransferLive\n  documentVersion\n  createdAt\n  finishedAt\n  requestedBy {\n    ...ActorFields\n  }\n  performer {\n    ...ActorFields\n  }\n}": types.TransferDetailFragmentDoc,
    "fragment TransferLive on Transfer {\n  id\n  kind\n  status\n  trigger\n  attempts\n  documentType\n  originalDate\n  postingDate\n  nextAttemptAt\n  updatedAt\n  errors {\n    code\n    message\n    field\n  }\n  batch {\n    id\n  }\n  invoice {\n    id\n    invoiceNumber\n    supplier {\n      id\n      name\n    }\n  }\n  ledgerEntry {\n    ...LedgerEntrySummary\n  }\n}": types.TransferLiveFragmentDoc,
    "subscription TransferStatusChangedLive($organizationId: ID!) {\n  transferStatusChanged(organizationId: $organizationId) {\n    status\n    final\n    batchId\n    invoiceId\n    occurredAt\n    resync\n    transfer {\n      ...TransferLive\n    }\n  }\n}": types.TransferStatusChangedLiveDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment AccountingPeriodRow on AccountingPeriod {\n  id\n  name\n  fiscalYear\n  startDate\n  endDate\n  status\n}"): (typeof documents)["fragment AccountingPeriodRow on AccountingPeriod {\n  id\n  name\n  fiscalYear\n  startDate\n  endDate\n  status\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AccountingPeriods($organizationId: ID!) {\n  accountingPeriods(organizationId: $organizationId) {\n    ...AccountingPeriodRow\n  }\n}"): (typeof documents)["query AccountingPeriods($organizationId: ID!) {\n  accountingPeriods(organizationId: $organizationId) {\n    ...AccountingPeriodRow\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ClosePeriod($input: PeriodInput!) {\n  closePeriod(input: $input) {\n    period {\n      ...AccountingPeriodRow\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"): (typeof documents)["mutation ClosePeriod($input: PeriodInput!) {\n  closePeriod(input: $input) {\n    period {\n      ...AccountingPeriodRow\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query LedgerEntries($organizationId: ID!, $journal: Journal, $reference: String, $first: Int, $after: String) {\n  ledgerEntries(\n    organizationId: $organizationId\n    journal: $journal\n    reference: $reference\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...LedgerEntrySummary\n        description\n        createdAt\n      }\n    }\n  }\n}"): (typeof documents)["query LedgerEntries($organizationId: ID!, $journal: Journal, $reference: String, $first: Int, $after: String) {\n  ledgerEntries(\n    organizationId: $organizationId\n    journal: $journal\n    reference: $reference\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...LedgerEntrySummary\n        description\n        createdAt\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query LedgerEntry($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on LedgerEntry {\n      ...LedgerEntrySummary\n      description\n      createdAt\n      lines {\n        lineNo\n        accountCode\n        costUnitCode\n        vatCode\n        debit\n        credit\n        description\n      }\n    }\n  }\n}"): (typeof documents)["query LedgerEntry($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on LedgerEntry {\n      ...LedgerEntrySummary\n      description\n      createdAt\n      lines {\n        lineNo\n        accountCode\n        costUnitCode\n        vatCode\n        debit\n        credit\n        description\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query LockDate($organizationId: ID!) {\n  lockDate(organizationId: $organizationId)\n}"): (typeof documents)["query LockDate($organizationId: ID!) {\n  lockDate(organizationId: $organizationId)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ReopenPeriod($input: PeriodInput!) {\n  reopenPeriod(input: $input) {\n    period {\n      ...AccountingPeriodRow\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"): (typeof documents)["mutation ReopenPeriod($input: PeriodInput!) {\n  reopenPeriod(input: $input) {\n    period {\n      ...AccountingPeriodRow\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SetLockDate($input: SetLockDateInput!) {\n  setLockDate(input: $input) {\n    lockDate\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"): (typeof documents)["mutation SetLockDate($input: SetLockDateInput!) {\n  setLockDate(input: $input) {\n    lockDate\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment ApprovalProcessDetail on ApprovalProcess {\n  ...ApprovalProcessSummary\n  stages {\n    id\n    approvers {\n      id\n      name\n      email\n    }\n  }\n}"): (typeof documents)["fragment ApprovalProcessDetail on ApprovalProcess {\n  ...ApprovalProcessSummary\n  stages {\n    id\n    approvers {\n      id\n      name\n      email\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment ApprovalProcessSummary on ApprovalProcess {\n  id\n  name\n  isDefault\n  version\n  stages {\n    id\n    name\n    position\n    approverRole\n    transferFromThisStep\n  }\n}"): (typeof documents)["fragment ApprovalProcessSummary on ApprovalProcess {\n  id\n  name\n  isDefault\n  version\n  stages {\n    id\n    name\n    position\n    approverRole\n    transferFromThisStep\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ApprovalProcess($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on ApprovalProcess {\n      ...ApprovalProcessDetail\n    }\n  }\n}"): (typeof documents)["query ApprovalProcess($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on ApprovalProcess {\n      ...ApprovalProcessDetail\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ApprovalProcesses($organizationId: ID!) {\n  approvalProcesses(organizationId: $organizationId) {\n    ...ApprovalProcessSummary\n  }\n}"): (typeof documents)["query ApprovalProcesses($organizationId: ID!) {\n  approvalProcesses(organizationId: $organizationId) {\n    ...ApprovalProcessSummary\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateApprovalProcess($input: CreateApprovalProcessInput!) {\n  createApprovalProcess(input: $input) {\n    approvalProcess {\n      ...ApprovalProcessDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"): (typeof documents)["mutation CreateApprovalProcess($input: CreateApprovalProcessInput!) {\n  createApprovalProcess(input: $input) {\n    approvalProcess {\n      ...ApprovalProcessDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteApprovalProcess($input: DeleteApprovalProcessInput!) {\n  deleteApprovalProcess(input: $input) {\n    deletedApprovalProcessId\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"): (typeof documents)["mutation DeleteApprovalProcess($input: DeleteApprovalProcessInput!) {\n  deleteApprovalProcess(input: $input) {\n    deletedApprovalProcessId\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Members($organizationId: ID!, $search: String, $role: [Role!], $first: Int) {\n  members(\n    organizationId: $organizationId\n    search: $search\n    role: $role\n    first: $first\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      role\n      active\n      user {\n        id\n        name\n        email\n      }\n    }\n  }\n}"): (typeof documents)["query Members($organizationId: ID!, $search: String, $role: [Role!], $first: Int) {\n  members(\n    organizationId: $organizationId\n    search: $search\n    role: $role\n    first: $first\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      role\n      active\n      user {\n        id\n        name\n        email\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UpdateApprovalProcess($input: UpdateApprovalProcessInput!) {\n  updateApprovalProcess(input: $input) {\n    approvalProcess {\n      ...ApprovalProcessDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"): (typeof documents)["mutation UpdateApprovalProcess($input: UpdateApprovalProcessInput!) {\n  updateApprovalProcess(input: $input) {\n    approvalProcess {\n      ...ApprovalProcessDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment ActorFields on Actor {\n  __typename\n  ... on User {\n    id\n    name\n    email\n  }\n  ... on ApiClient {\n    id\n    name\n  }\n  ... on SystemActor {\n    name\n    onBehalfOf {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["fragment ActorFields on Actor {\n  __typename\n  ... on User {\n    id\n    name\n    email\n  }\n  ... on ApiClient {\n    id\n    name\n  }\n  ... on SystemActor {\n    name\n    onBehalfOf {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment AuditEventFields on AuditEvent {\n  id\n  at\n  action\n  details\n  actor {\n    ...ActorFields\n  }\n}"): (typeof documents)["fragment AuditEventFields on AuditEvent {\n  id\n  at\n  action\n  details\n  actor {\n    ...ActorFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    user {\n      id\n      email\n      name\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"): (typeof documents)["mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    user {\n      id\n      email\n      name\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Logout {\n  logout(input: {}) {\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"): (typeof documents)["mutation Logout {\n  logout(input: {}) {\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Viewer {\n  viewer {\n    user {\n      id\n      email\n      name\n    }\n    organizations {\n      id\n      slug\n      name\n      role\n      currency\n    }\n  }\n}"): (typeof documents)["query Viewer {\n  viewer {\n    user {\n      id\n      email\n      name\n    }\n    organizations {\n      id\n      slug\n      name\n      role\n      currency\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ApproveInvoice($input: ApproveInvoiceInput!) {\n  approveInvoice(input: $input) {\n    invoice {\n      ...InvoiceDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"): (typeof documents)["mutation ApproveInvoice($input: ApproveInvoiceInput!) {\n  approveInvoice(input: $input) {\n    invoice {\n      ...InvoiceDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ExportInvoices($input: ExportInvoicesInput!) {\n  exportInvoices(input: $input) {\n    batch {\n      ...TransferBatchProgress\n    }\n    transfers {\n      ...TransferLive\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"): (typeof documents)["mutation ExportInvoices($input: ExportInvoicesInput!) {\n  exportInvoices(input: $input) {\n    batch {\n      ...TransferBatchProgress\n    }\n    transfers {\n      ...TransferLive\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment InvoiceDetail on PurchaseInvoice {\n  ...InvoiceRow\n  fiscalYear\n  postingVersion\n  paidAmount\n  openAmount\n  createdAt\n  updatedAt\n  supplier {\n    id\n    name\n    accountName\n    businessId\n    country\n    iban\n  }\n  approvalProcess {\n    id\n    name\n    stages {\n      id\n      name\n      position\n      approverRole\n      transferFromThisStep\n    }\n  }\n  lines {\n    id\n    position\n    accountCode\n    costUnitCode\n    vatCode\n    netAmount\n    vatAmount\n    description\n  }\n  postingWarnings {\n    code\n    message\n    field\n  }\n  ledgerEntry {\n    ...LedgerEntrySummary\n  }\n  transfers {\n    ...TransferDetail\n  }\n  payments {\n    id\n    amount\n    paymentDate\n    documentNumber\n    source\n    bankReference\n    transferStatus\n    ledgerEntry {\n      ...LedgerEntrySummary\n    }\n  }\n}"): (typeof documents)["fragment InvoiceDetail on PurchaseInvoice {\n  ...InvoiceRow\n  fiscalYear\n  postingVersion\n  paidAmount\n  openAmount\n  createdAt\n  updatedAt\n  supplier {\n    id\n    name\n    accountName\n    businessId\n    country\n    iban\n  }\n  approvalProcess {\n    id\n    name\n    stages {\n      id\n      name\n      position\n      approverRole\n      transferFromThisStep\n    }\n  }\n  lines {\n    id\n    position\n    accountCode\n    costUnitCode\n    vatCode\n    netAmount\n    vatAmount\n    description\n  }\n  postingWarnings {\n    code\n    message\n    field\n  }\n  ledgerEntry {\n    ...LedgerEntrySummary\n  }\n  transfers {\n    ...TransferDetail\n  }\n  payments {\n    id\n    amount\n    paymentDate\n    documentNumber\n    source\n    bankReference\n    transferStatus\n    ledgerEntry {\n      ...LedgerEntrySummary\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query InvoiceDetail($id: ID!) {\n  invoice(id: $id) {\n    ...InvoiceDetail\n  }\n}"): (typeof documents)["query InvoiceDetail($id: ID!) {\n  invoice(id: $id) {\n    ...InvoiceDetail\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query InvoiceHistory($id: ID!, $first: Int, $after: String) {\n  invoice(id: $id) {\n    id\n    history(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        cursor\n        node {\n          ...AuditEventFields\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query InvoiceHistory($id: ID!, $first: Int, $after: String) {\n  invoice(id: $id) {\n    id\n    history(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        cursor\n        node {\n          ...AuditEventFields\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query InvoiceList($organizationId: ID!, $tab: InvoiceTab!, $filter: InvoiceFilter, $orderBy: InvoiceOrder, $first: Int, $after: String) {\n  invoices(\n    organizationId: $organizationId\n    tab: $tab\n    filter: $filter\n    orderBy: $orderBy\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...InvoiceRow\n      }\n    }\n  }\n}"): (typeof documents)["query InvoiceList($organizationId: ID!, $tab: InvoiceTab!, $filter: InvoiceFilter, $orderBy: InvoiceOrder, $first: Int, $after: String) {\n  invoices(\n    organizationId: $organizationId\n    tab: $tab\n    filter: $filter\n    orderBy: $orderBy\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...InvoiceRow\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment InvoiceRow on PurchaseInvoice {\n  id\n  version\n  invoiceNumber\n  documentNumber\n  billDate\n  dueDate\n  currency\n  netAmount\n  vatAmount\n  grossAmount\n  status\n  posted\n  transferStatus\n  ledgerOutOfDate\n  supplier {\n    id\n    name\n    accountName\n  }\n  currentStage {\n    id\n    name\n    transferFromThisStep\n  }\n  lastTransferErrors {\n    code\n    message\n    field\n  }\n  transferBlockers {\n    code\n    message\n    field\n  }\n  ledgerEntry {\n    id\n    journal\n    reference\n    postingDate\n    shifted\n    period {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["fragment InvoiceRow on PurchaseInvoice {\n  id\n  version\n  invoiceNumber\n  documentNumber\n  billDate\n  dueDate\n  currency\n  netAmount\n  vatAmount\n  grossAmount\n  status\n  posted\n  transferStatus\n  ledgerOutOfDate\n  supplier {\n    id\n    name\n    accountName\n  }\n  currentStage {\n    id\n    name\n    transferFromThisStep\n  }\n  lastTransferErrors {\n    code\n    message\n    field\n  }\n  transferBlockers {\n    code\n    message\n    field\n  }\n  ledgerEntry {\n    id\n    journal\n    reference\n    postingDate\n    shifted\n    period {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query InvoiceTabCounts($organizationId: ID!) {\n  invoiceTabCounts(organizationId: $organizationId) {\n    tab\n    count\n  }\n}"): (typeof documents)["query InvoiceTabCounts($organizationId: ID!) {\n  invoiceTabCounts(organizationId: $organizationId) {\n    tab\n    count\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MasterData($organizationId: ID!) {\n  masterData(organizationId: $organizationId) {\n    accounts {\n      code\n      name\n      type\n      postable\n      active\n    }\n    costUnits {\n      code\n      name\n      active\n    }\n    vatCodes {\n      code\n      name\n      rate\n      reverseCharge\n      validFrom\n      validTo\n    }\n  }\n}"): (typeof documents)["query MasterData($organizationId: ID!) {\n  masterData(organizationId: $organizationId) {\n    accounts {\n      code\n      name\n      type\n      postable\n      active\n    }\n    costUnits {\n      code\n      name\n      active\n    }\n    vatCodes {\n      code\n      name\n      rate\n      reverseCharge\n      validFrom\n      validTo\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RejectInvoice($input: RejectInvoiceInput!) {\n  rejectInvoice(input: $input) {\n    invoice {\n      ...InvoiceDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"): (typeof documents)["mutation RejectInvoice($input: RejectInvoiceInput!) {\n  rejectInvoice(input: $input) {\n    invoice {\n      ...InvoiceDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RemoveInvoice($input: RemoveInvoiceInput!) {\n  removeInvoice(input: $input) {\n    invoice {\n      ...InvoiceDetail\n    }\n    transfer {\n      ...TransferDetail\n    }\n    warnings {\n      code\n      message\n      field\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"): (typeof documents)["mutation RemoveInvoice($input: RemoveInvoiceInput!) {\n  removeInvoice(input: $input) {\n    invoice {\n      ...InvoiceDetail\n    }\n    transfer {\n      ...TransferDetail\n    }\n    warnings {\n      code\n      message\n      field\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SupplierOptions($organizationId: ID!, $search: String, $first: Int) {\n  suppliers(organizationId: $organizationId, search: $search, first: $first) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        id\n        name\n        accountName\n      }\n    }\n  }\n}"): (typeof documents)["query SupplierOptions($organizationId: ID!, $search: String, $first: Int) {\n  suppliers(organizationId: $organizationId, search: $search, first: $first) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        id\n        name\n        accountName\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UpdatePosting($input: UpdatePostingInput!) {\n  updatePosting(input: $input) {\n    invoice {\n      ...InvoiceDetail\n    }\n    warnings {\n      code\n      message\n      field\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"): (typeof documents)["mutation UpdatePosting($input: UpdatePostingInput!) {\n  updatePosting(input: $input) {\n    invoice {\n      ...InvoiceDetail\n    }\n    warnings {\n      code\n      message\n      field\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription MonitorTransferStatus($organizationId: ID!) {\n  transferStatusChanged(organizationId: $organizationId) {\n    status\n    final\n    occurredAt\n    resync\n    errors {\n      code\n      message\n      field\n    }\n    transfer {\n      ...MonitorTransfer\n    }\n  }\n}"): (typeof documents)["subscription MonitorTransferStatus($organizationId: ID!) {\n  transferStatusChanged(organizationId: $organizationId) {\n    status\n    final\n    occurredAt\n    resync\n    errors {\n      code\n      message\n      field\n    }\n    transfer {\n      ...MonitorTransfer\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment MonitorTransfer on Transfer {\n  ...TransferLive\n  createdAt\n  finishedAt\n  payment {\n    id\n    documentNumber\n    invoice {\n      id\n      invoiceNumber\n      supplier {\n        id\n        name\n      }\n    }\n  }\n}"): (typeof documents)["fragment MonitorTransfer on Transfer {\n  ...TransferLive\n  createdAt\n  finishedAt\n  payment {\n    id\n    documentNumber\n    invoice {\n      id\n      invoiceNumber\n      supplier {\n        id\n        name\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MonitorTransfers($organizationId: ID!, $status: [TransferStatus!], $first: Int) {\n  transfers(organizationId: $organizationId, status: $status, first: $first) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...MonitorTransfer\n      }\n    }\n  }\n}"): (typeof documents)["query MonitorTransfers($organizationId: ID!, $status: [TransferStatus!], $first: Int) {\n  transfers(organizationId: $organizationId, status: $status, first: $first) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...MonitorTransfer\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment TransferReportRow on TransferReport {\n  id\n  createdAt\n  trigger\n  total\n  notTransferred\n  batch {\n    id\n    documentType\n  }\n}"): (typeof documents)["fragment TransferReportRow on TransferReport {\n  id\n  createdAt\n  trigger\n  total\n  notTransferred\n  batch {\n    id\n    documentType\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TransferReport($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on TransferReport {\n      ...TransferReportRow\n      items {\n        invoice {\n          id\n          invoiceNumber\n          documentNumber\n          billDate\n          grossAmount\n          currency\n          transferStatus\n          supplier {\n            id\n            name\n            accountName\n          }\n        }\n        payment {\n          id\n          documentNumber\n          paymentDate\n          amount\n          invoice {\n            id\n            invoiceNumber\n            currency\n            supplier {\n              id\n              name\n              accountName\n            }\n          }\n        }\n        errors {\n          code\n          message\n          field\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query TransferReport($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on TransferReport {\n      ...TransferReportRow\n      items {\n        invoice {\n          id\n          invoiceNumber\n          documentNumber\n          billDate\n          grossAmount\n          currency\n          transferStatus\n          supplier {\n            id\n            name\n            accountName\n          }\n        }\n        payment {\n          id\n          documentNumber\n          paymentDate\n          amount\n          invoice {\n            id\n            invoiceNumber\n            currency\n            supplier {\n              id\n              name\n              accountName\n            }\n          }\n        }\n        errors {\n          code\n          message\n          field\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TransferReports($organizationId: ID!, $first: Int, $after: String) {\n  transferReports(organizationId: $organizationId, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...TransferReportRow\n      }\n    }\n  }\n}"): (typeof documents)["query TransferReports($organizationId: ID!, $first: Int, $after: String) {\n  transferReports(organizationId: $organizationId, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...TransferReportRow\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment ApiTokenRow on ApiClient {\n  id\n  name\n  scopes\n  tokenPrefix\n  createdAt\n  lastUsedAt\n  revokedAt\n}"): (typeof documents)["fragment ApiTokenRow on ApiClient {\n  id\n  name\n  scopes\n  tokenPrefix\n  createdAt\n  lastUsedAt\n  revokedAt\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ApiTokens($organizationId: ID!, $first: Int) {\n  apiTokens(organizationId: $organizationId, first: $first, includeRevoked: true) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...ApiTokenRow\n      }\n    }\n  }\n}"): (typeof documents)["query ApiTokens($organizationId: ID!, $first: Int) {\n  apiTokens(organizationId: $organizationId, first: $first, includeRevoked: true) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...ApiTokenRow\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateApiToken($input: CreateApiTokenInput!) {\n  createApiToken(input: $input) {\n    apiToken {\n      ...ApiTokenRow\n    }\n    token\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"): (typeof documents)["mutation CreateApiToken($input: CreateApiTokenInput!) {\n  createApiToken(input: $input) {\n    apiToken {\n      ...ApiTokenRow\n    }\n    token\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RevokeApiToken($input: RevokeApiTokenInput!) {\n  revokeApiToken(input: $input) {\n    apiToken {\n      ...ApiTokenRow\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"): (typeof documents)["mutation RevokeApiToken($input: RevokeApiTokenInput!) {\n  revokeApiToken(input: $input) {\n    apiToken {\n      ...ApiTokenRow\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment TransferSettingsFields on TransferSettings {\n  autoTransferInvoices\n  autoTransferPayments\n  exportMode\n  closedPeriodPolicy\n}"): (typeof documents)["fragment TransferSettingsFields on TransferSettings {\n  autoTransferInvoices\n  autoTransferPayments\n  exportMode\n  closedPeriodPolicy\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TransferSettings($organizationId: ID!) {\n  transferSettings(organizationId: $organizationId) {\n    ...TransferSettingsFields\n  }\n}"): (typeof documents)["query TransferSettings($organizationId: ID!) {\n  transferSettings(organizationId: $organizationId) {\n    ...TransferSettingsFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UpdateTransferSettings($input: UpdateTransferSettingsInput!) {\n  updateTransferSettings(input: $input) {\n    transferSettings {\n      ...TransferSettingsFields\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"): (typeof documents)["mutation UpdateTransferSettings($input: UpdateTransferSettingsInput!) {\n  updateTransferSettings(input: $input) {\n    transferSettings {\n      ...TransferSettingsFields\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment LedgerEntrySummary on LedgerEntry {\n  id\n  kind\n  journal\n  reference\n  accountName\n  documentDate\n  postingDate\n  shifted\n  reversed\n  total\n  currency\n  period {\n    id\n    name\n    status\n  }\n}"): (typeof documents)["fragment LedgerEntrySummary on LedgerEntry {\n  id\n  kind\n  journal\n  reference\n  accountName\n  documentDate\n  postingDate\n  shifted\n  reversed\n  total\n  currency\n  period {\n    id\n    name\n    status\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query RecentTransfers($organizationId: ID!, $status: [TransferStatus!], $first: Int, $after: String) {\n  transfers(\n    organizationId: $organizationId\n    status: $status\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...TransferLive\n      }\n    }\n  }\n}"): (typeof documents)["query RecentTransfers($organizationId: ID!, $status: [TransferStatus!], $first: Int, $after: String) {\n  transfers(\n    organizationId: $organizationId\n    status: $status\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      cursor\n      node {\n        ...TransferLive\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RetryTransfer($input: RetryTransferInput!) {\n  retryTransfer(input: $input) {\n    transfer {\n      ...TransferDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"): (typeof documents)["mutation RetryTransfer($input: RetryTransferInput!) {\n  retryTransfer(input: $input) {\n    transfer {\n      ...TransferDetail\n    }\n    userErrors {\n      code\n      message\n      field\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment TransferBatchProgress on TransferBatch {\n  id\n  documentType\n  trigger\n  status\n  total\n  queued\n  sending\n  transferred\n  failed\n  inDoubt\n  createdAt\n  finishedAt\n}"): (typeof documents)["fragment TransferBatchProgress on TransferBatch {\n  id\n  documentType\n  trigger\n  status\n  total\n  queued\n  sending\n  transferred\n  failed\n  inDoubt\n  createdAt\n  finishedAt\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription TransferBatchProgressLive($batchId: ID!) {\n  transferBatchProgress(batchId: $batchId) {\n    ...TransferBatchProgress\n  }\n}"): (typeof documents)["subscription TransferBatchProgressLive($batchId: ID!) {\n  transferBatchProgress(batchId: $batchId) {\n    ...TransferBatchProgress\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TransferBatch($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on TransferBatch {\n      ...TransferBatchProgress\n    }\n  }\n}"): (typeof documents)["query TransferBatch($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on TransferBatch {\n      ...TransferBatchProgress\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment TransferDetail on Transfer {\n  ...TransferLive\n  documentVersion\n  createdAt\n  finishedAt\n  requestedBy {\n    ...ActorFields\n  }\n  performer {\n    ...ActorFields\n  }\n}"): (typeof documents)["fragment TransferDetail on Transfer {\n  ...TransferLive\n  documentVersion\n  createdAt\n  finishedAt\n  requestedBy {\n    ...ActorFields\n  }\n  performer {\n    ...ActorFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment TransferLive on Transfer {\n  id\n  kind\n  status\n  trigger\n  attempts\n  documentType\n  originalDate\n  postingDate\n  nextAttemptAt\n  updatedAt\n  errors {\n    code\n    message\n    field\n  }\n  batch {\n    id\n  }\n  invoice {\n    id\n    invoiceNumber\n    supplier {\n      id\n      name\n    }\n  }\n  ledgerEntry {\n    ...LedgerEntrySummary\n  }\n}"): (typeof documents)["fragment TransferLive on Transfer {\n  id\n  kind\n  status\n  trigger\n  attempts\n  documentType\n  originalDate\n  postingDate\n  nextAttemptAt\n  updatedAt\n  errors {\n    code\n    message\n    field\n  }\n  batch {\n    id\n  }\n  invoice {\n    id\n    invoiceNumber\n    supplier {\n      id\n      name\n    }\n  }\n  ledgerEntry {\n    ...LedgerEntrySummary\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription TransferStatusChangedLive($organizationId: ID!) {\n  transferStatusChanged(organizationId: $organizationId) {\n    status\n    final\n    batchId\n    invoiceId\n    occurredAt\n    resync\n    transfer {\n      ...TransferLive\n    }\n  }\n}"): (typeof documents)["subscription TransferStatusChangedLive($organizationId: ID!) {\n  transferStatusChanged(organizationId: $organizationId) {\n    status\n    final\n    batchId\n    invoiceId\n    occurredAt\n    resync\n    transfer {\n      ...TransferLive\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;