import { registerEnumType } from 'type-graphql';
import type { ApiModule } from '../../common/api-module.js';
import {
  AccountingSystemKind,
  ConnectionStatus,
  DriftKind,
} from './accounting-connection.enums.js';
import { AccountingConnectionResolver } from './accounting-connection.resolver.js';

registerEnumType(AccountingSystemKind, { name: 'AccountingSystemKind' });
registerEnumType(ConnectionStatus, { name: 'AccountingConnectionStatus' });
registerEnumType(DriftKind, { name: 'DriftKind' });

export const accountingConnectionsModule: ApiModule = {
  name: 'accounting-connections',
  resolvers: [AccountingConnectionResolver],
};
