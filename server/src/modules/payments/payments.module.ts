import { registerEnumType } from 'type-graphql';
import type { ApiModule } from '../../common/api-module.js';
import { registerTenantEntity } from '../../common/tenant-objects.js';
import { CreditOffset } from './credit-offset.entity.js';
import {
  CreditOffsetResolver,
  InvoiceSettlementResolver,
  SupplierBalanceResolver,
} from './credit-offset.resolver.js';
import { Payment, PaymentSource } from './payment.entity.js';
import { PaymentFieldsResolver, PaymentResolver } from './payment.resolver.js';

registerEnumType(PaymentSource, { name: 'PaymentSource' });

registerTenantEntity('Payment', Payment);
registerTenantEntity('CreditOffset', CreditOffset);

export const paymentsModule: ApiModule = {
  name: 'payments',
  resolvers: [
    PaymentResolver,
    PaymentFieldsResolver,
    CreditOffsetResolver,
    InvoiceSettlementResolver,
    SupplierBalanceResolver,
  ],
};
