import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../common/scalars.js';
import {
  AccountingSystemKind,
  ConnectionStatus,
  DriftKind,
} from './accounting-connection.enums.js';

@ObjectType({
  description:
    'Where an organization transfers to: the built-in ledger (no connection) or an external system. The secret is never returned, only its hint.',
})
export class AccountingConnectionType {
  @Field(() => ID, { description: 'One per organization: stable across connect and disconnect.' })
  id!: string;

  @Field(() => AccountingSystemKind)
  system!: AccountingSystemKind;

  @Field(() => String, { description: 'The name to show for the system, e.g. "accountsIQ".' })
  systemName!: string;

  @Field(() => Boolean, { description: 'False: the built-in ledger.' })
  connected!: boolean;

  @Field(() => String, { nullable: true })
  endpoint!: string | null;

  @Field(() => String, { nullable: true, description: 'The company (entity) id.' })
  entity!: string | null;

  @Field(() => String, { nullable: true })
  clientId!: string | null;

  @Field(() => String, { nullable: true, description: 'The secret masked, e.g. ••••••3f9a.' })
  secretHint!: string | null;

  @Field(() => ConnectionStatus, { nullable: true })
  status!: ConnectionStatus | null;

  @Field(() => DateTimeScalar, { nullable: true })
  lastTestedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'AUTH_FAILED, UNREACHABLE or VALIDATION.' })
  lastTestCode!: string | null;

  @Field(() => String, { nullable: true })
  lastTestMessage!: string | null;

  @Field(() => String, { nullable: true })
  companyName!: string | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When master data was last fetched from the connected system.',
  })
  masterDataRefreshedAt!: Date | null;

  @Field(() => Int, { nullable: true, description: 'Send it back with an update.' })
  version!: number | null;
}

@ObjectType()
export class ConnectionTestResultType {
  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => String, { nullable: true })
  code!: string | null;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => String, { nullable: true })
  companyName!: string | null;

  @Field(() => Int, { nullable: true })
  openPeriods!: number | null;
}

@ObjectType()
export class DriftItemType {
  @Field(() => DriftKind)
  kind!: DriftKind;

  @Field(() => String)
  externalReference!: string;

  @Field(() => ID, { nullable: true })
  transferId!: string | null;

  @Field(() => String, { nullable: true })
  expected!: string | null;

  @Field(() => String, { nullable: true })
  actual!: string | null;

  @Field(() => String)
  message!: string;
}

@ObjectType({ description: 'One run of the drift check. Nothing was changed by it.' })
export class AccountingDriftReportType {
  @Field(() => ID)
  id!: string;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => AccountingSystemKind)
  system!: AccountingSystemKind;

  @Field(() => Int, { description: 'External references compared.' })
  checked!: number;

  @Field(() => [DriftItemType])
  items!: DriftItemType[];
}

@ObjectType({ description: 'The accounting system an organization transfers into.' })
export class AccountingSystemInfoType {
  @Field(() => ID)
  id!: string;

  @Field(() => AccountingSystemKind)
  system!: AccountingSystemKind;

  @Field(() => String, { description: 'e.g. "Built-in ledger" or "accountsIQ".' })
  systemName!: string;
}
