import { Field, ID, InputType, Int } from 'type-graphql';
import { AccountingSystemKind } from './accounting-connection.enums.js';

@InputType()
export class ConnectAccountingInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => AccountingSystemKind, { description: 'An external system (not BUILTIN).' })
  system!: AccountingSystemKind;

  @Field(() => String, {
    description:
      'The integration endpoint, e.g. https://eu1.accountsiq.com/.../integration_2_0.asmx',
  })
  endpoint!: string;

  @Field(() => String, { description: 'The accountsIQ company (entity) id.' })
  entity!: string;

  @Field(() => String)
  clientId!: string;

  @Field(() => String, { description: 'Stored encrypted; never returned.' })
  clientSecret!: string;
}

@InputType()
export class UpdateAccountingConnectionInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => Int, { description: 'The connection version the caller read.' })
  version!: number;

  @Field(() => String, { nullable: true })
  endpoint?: string | null;

  @Field(() => String, { nullable: true })
  entity?: string | null;

  @Field(() => String, { nullable: true })
  clientId?: string | null;

  @Field(() => String, { nullable: true, description: 'Omit to keep the stored secret.' })
  clientSecret?: string | null;
}

@InputType()
export class AccountingConnectionOrganizationInput {
  @Field(() => ID)
  organizationId!: string;
}
