import { Field, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../common/connection.js';
import { Node } from '../../common/node.js';

@ObjectType('Supplier', { implements: Node })
export class SupplierType extends Node {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'The supplier account in the ledger ("Account Name").' })
  accountName!: string;

  @Field(() => String, { nullable: true })
  businessId!: string | null;

  @Field(() => String, { nullable: true, description: 'VAT identifier, e.g. FI12345678.' })
  vatNumber!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Peppol participant id as scheme:id, e.g. 0037:003712345678; e-invoices are matched by it.',
  })
  peppolEndpoint!: string | null;

  @Field(() => String, { nullable: true })
  iban!: string | null;

  @Field(() => String)
  country!: string;
}

export const SupplierConnection = ConnectionType('Supplier', () => SupplierType);
