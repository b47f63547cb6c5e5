import { ConnectionType } from '../../common/connection.js';
import { PaymentType } from '../invoices/invoice.types.js';

export const PaymentConnection = ConnectionType('Payment', () => PaymentType);
