/** Registers the domain's enums with GraphQL, in one place. */
import { registerEnumType } from 'type-graphql';
import { EntryKind, Journal, PeriodStatus } from '../accounting/ledger/ledger.entities.js';
import {
  BankEntryDirection,
  BankEntryMatchState,
  BankStatementKind,
} from '../modules/bank-statements/bank-statement.entity.js';
import { ApiScope } from '../modules/api-clients/api-client.entity.js';
import { InvoiceStatus } from '../modules/invoices/invoice.entity.js';
import { Role } from '../modules/organizations/organization.entity.js';
import { PaymentSource } from '../modules/payments/payment.entity.js';
import {
  BatchStatus,
  ClosedPeriodPolicy,
  DocumentType,
  ExportMode,
  TransferKind,
  TransferStatus,
  TransferTrigger,
} from '../modules/transfers/transfer.enums.js';

registerEnumType(Role, { name: 'Role' });
registerEnumType(ApiScope, {
  name: 'ApiScope',
  valuesConfig: {
    READ: { description: 'read everything of the organization' },
    WRITE: { description: 'create invoices, posting, circulation, payments' },
    EXPORT: { description: 'transfer to accounting' },
    ADMIN: { description: 'settings, approval processes, periods, tokens' },
  },
});
registerEnumType(InvoiceStatus, { name: 'InvoiceStatus' });
registerEnumType(PaymentSource, { name: 'PaymentSource' });
registerEnumType(TransferStatus, { name: 'TransferStatus' });
registerEnumType(TransferKind, { name: 'TransferKind' });
registerEnumType(TransferTrigger, { name: 'TransferTrigger' });
registerEnumType(DocumentType, { name: 'DocumentType' });
registerEnumType(ExportMode, { name: 'ExportMode' });
registerEnumType(ClosedPeriodPolicy, { name: 'ClosedPeriodPolicy' });
registerEnumType(BatchStatus, { name: 'TransferBatchStatus' });
registerEnumType(Journal, { name: 'Journal' });
registerEnumType(EntryKind, { name: 'LedgerEntryKind' });
registerEnumType(PeriodStatus, { name: 'PeriodStatus' });
registerEnumType(BankStatementKind, { name: 'BankStatementKind' });
registerEnumType(BankEntryMatchState, { name: 'BankEntryMatchState' });
registerEnumType(BankEntryDirection, { name: 'BankEntryDirection' });
