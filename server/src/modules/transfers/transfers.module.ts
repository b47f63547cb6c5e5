import { registerEnumType } from 'type-graphql';
import type { ApiModule } from '../../common/api-module.js';
import { registerTenantEntity } from '../../common/tenant-objects.js';
import { Transfer, TransferBatch, TransferReport } from './transfer.entity.js';
import {
  BatchStatus,
  ClosedPeriodPolicy,
  DocumentType,
  ExportMode,
  TransferKind,
  TransferStatus,
  TransferTrigger,
} from './transfer.enums.js';
import './transfer.ledger-moves.js';
import { TransferMutationsResolver } from './transfer.mutations.resolver.js';
import {
  TransferBatchResolver,
  TransferReportResolver,
  TransferResolver,
} from './transfer.resolver.js';
import { TransferSubscriptionResolver } from './transfer.subscriptions.resolver.js';

registerEnumType(TransferStatus, { name: 'TransferStatus' });
registerEnumType(TransferKind, { name: 'TransferKind' });
registerEnumType(TransferTrigger, { name: 'TransferTrigger' });
registerEnumType(DocumentType, { name: 'DocumentType' });
registerEnumType(ExportMode, { name: 'ExportMode' });
registerEnumType(ClosedPeriodPolicy, { name: 'ClosedPeriodPolicy' });
registerEnumType(BatchStatus, { name: 'TransferBatchStatus' });

registerTenantEntity('Transfer', Transfer);
registerTenantEntity('TransferBatch', TransferBatch);
registerTenantEntity('TransferReport', TransferReport);

export const transfersModule: ApiModule = {
  name: 'transfers',
  resolvers: [
    TransferResolver,
    TransferBatchResolver,
    TransferReportResolver,
    TransferMutationsResolver,
    TransferSubscriptionResolver,
  ],
};
