import { registerEnumType } from 'type-graphql';
import type { ApiModule } from '../../common/api-module.js';
import { registerTenantEntity } from '../../common/tenant-objects.js';
import { Payment, PaymentSource } from './payment.entity.js';
import { PaymentFieldsResolver, PaymentResolver } from './payment.resolver.js';

registerEnumType(PaymentSource, { name: 'PaymentSource' });

registerTenantEntity('Payment', Payment);

export const paymentsModule: ApiModule = {
  name: 'payments',
  resolvers: [PaymentResolver, PaymentFieldsResolver],
};
