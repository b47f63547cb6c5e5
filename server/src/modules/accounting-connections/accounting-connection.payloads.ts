import { Field, ObjectType } from 'type-graphql';
import { UserError } from '../../common/payload.types.js';
import {
  AccountingConnectionType,
  AccountingDriftReportType,
  ConnectionTestResultType,
} from './accounting-connection.types.js';

function connectionPayloadType(name: string) {
  @ObjectType(name)
  class ConnectionPayload {
    @Field(() => AccountingConnectionType, { nullable: true })
    connection!: AccountingConnectionType | null;

    @Field(() => [UserError])
    userErrors!: UserError[];
  }
  return ConnectionPayload;
}

export const ConnectAccountingPayload = connectionPayloadType('ConnectAccountingPayload');
export const UpdateAccountingConnectionPayload = connectionPayloadType(
  'UpdateAccountingConnectionPayload',
);
export const DisconnectAccountingPayload = connectionPayloadType('DisconnectAccountingPayload');
export const RefreshMasterDataPayload = connectionPayloadType('RefreshMasterDataPayload');

@ObjectType()
export class TestAccountingConnectionPayload {
  @Field(() => AccountingConnectionType, { nullable: true })
  connection!: AccountingConnectionType | null;

  @Field(() => ConnectionTestResultType, { nullable: true })
  result!: ConnectionTestResultType | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class RunDriftCheckPayload {
  @Field(() => AccountingDriftReportType, { nullable: true })
  report!: AccountingDriftReportType | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
