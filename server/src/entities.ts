import { LEDGER_ENTITIES } from './accounting/ledger/index.js';
import { ACCOUNTING_CONNECTION_ENTITIES } from './modules/accounting-connections/accounting-connection.entity.js';
import { ApiClient } from './modules/api-clients/api-client.entity.js';
import {
  ApprovalProcess,
  ApprovalStage,
  ApprovalStageApprover,
} from './modules/approval/approval-process.entity.js';
import { BANK_STATEMENT_ENTITIES } from './modules/bank-statements/bank-statement.entity.js';
import { EINVOICE_ENTITIES } from './modules/einvoices/einvoice.entity.js';
import { AuditEvent } from './modules/audit/audit-event.entity.js';
import { IdempotencyRecord } from './modules/idempotency/idempotency-record.entity.js';
import { DocumentSequence } from './modules/invoices/document-sequence.entity.js';
import { InvoiceCount } from './modules/invoices/invoice-count.entity.js';
import { InvoiceLine, PurchaseInvoice } from './modules/invoices/invoice.entity.js';
import { Membership, Organization } from './modules/organizations/organization.entity.js';
import { CreditOffset } from './modules/payments/credit-offset.entity.js';
import { Payment } from './modules/payments/payment.entity.js';
import { RateLimitBucket } from './modules/rate-limits/rate-limit-bucket.entity.js';
import { Supplier } from './modules/suppliers/supplier.entity.js';
import {
  Transfer,
  TransferBatch,
  TransferReport,
  TransferSettings,
} from './modules/transfers/transfer.entity.js';
import { User, UserSession } from './modules/users/user.entity.js';

export const ENTITIES = [
  Organization,
  User,
  UserSession,
  Membership,
  ApiClient,
  Supplier,
  ApprovalProcess,
  ApprovalStage,
  ApprovalStageApprover,
  PurchaseInvoice,
  InvoiceLine,
  DocumentSequence,
  InvoiceCount,
  Payment,
  CreditOffset,
  TransferSettings,
  TransferBatch,
  Transfer,
  TransferReport,
  AuditEvent,
  IdempotencyRecord,
  RateLimitBucket,
  ...BANK_STATEMENT_ENTITIES,
  ...ACCOUNTING_CONNECTION_ENTITIES,
  ...EINVOICE_ENTITIES,
  ...LEDGER_ENTITIES,
];
