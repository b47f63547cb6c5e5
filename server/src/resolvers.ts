import { AccountingQueryResolver } from './accounting/graphql/accounting.resolver.js';
import { NodeResolver } from './common/node.resolver.js';
import { ApprovalMutationResolver } from './modules/approval/approval.mutations.resolver.js';
import { ApprovalQueryResolver } from './modules/approval/approval.resolver.js';
import { AuditEventResolver } from './modules/audit/audit.resolver.js';
import { InvoiceMutationResolver } from './modules/invoices/invoice.mutations.resolver.js';
import {
  InvoiceLineResolver,
  InvoiceResolver,
  PaymentFieldsResolver,
} from './modules/invoices/invoice.resolver.js';
import {
  InvoicePaymentFieldsResolver,
  PaymentResolver,
} from './modules/payments/payment.resolver.js';
import { SupplierResolver } from './modules/suppliers/supplier.resolver.js';
import {
  TransferBatchResolver,
  TransferReportResolver,
  TransferResolver,
} from './modules/transfers/transfer.resolver.js';
import { TransferMutationsResolver } from './modules/transfers/transfer.mutations.resolver.js';
import { TransferSubscriptionResolver } from './modules/transfers/transfer.subscriptions.resolver.js';
import { AuthResolver } from './modules/users/auth.resolver.js';
import { ApiTokenResolver } from './modules/api-clients/api-client.resolver.js';
import { MemberResolver } from './modules/organizations/member.resolver.js';
import {
  BankAccountResolver,
  BankStatementEntryResolver,
  BankStatementResolver,
} from './modules/bank-statements/bank-statement.resolver.js';
import { BankStatementMutationResolver } from './modules/bank-statements/bank-statement.mutations.resolver.js';
import { RateLimitResolver } from './modules/rate-limits/rate-limit.resolver.js';

/** Every resolver class of the API. Add a module's resolvers here. */
export const RESOLVERS = [
  AuthResolver,
  NodeResolver,
  SupplierResolver,
  InvoiceResolver,
  InvoiceLineResolver,
  PaymentFieldsResolver,
  AuditEventResolver,
  ApprovalQueryResolver,
  InvoiceMutationResolver,
  ApprovalMutationResolver,
  PaymentResolver,
  InvoicePaymentFieldsResolver,
  TransferResolver,
  TransferBatchResolver,
  TransferReportResolver,
  AccountingQueryResolver,
  TransferMutationsResolver,
  TransferSubscriptionResolver,
  ApiTokenResolver,
  MemberResolver,
  RateLimitResolver,
  BankStatementResolver,
  BankStatementEntryResolver,
  BankAccountResolver,
  BankStatementMutationResolver,
] as const;
