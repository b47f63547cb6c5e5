import { Field, ObjectType } from 'type-graphql';
import { UserError } from '../../common/payload.types.js';
import { DateScalar } from '../../common/scalars.js';
import { AccountingPeriodType, LedgerEntryType } from './accounting.types.js';

@ObjectType()
export class AdjustPostingPeriodPayload {
  @Field(() => LedgerEntryType, { nullable: true })
  ledgerEntry!: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class SetLockDatePayload {
  @Field(() => DateScalar, { nullable: true })
  lockDate!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

function periodPayloadType(name: string) {
  @ObjectType(name)
  class PeriodPayload {
    @Field(() => AccountingPeriodType, { nullable: true })
    period!: unknown;

    @Field(() => [UserError])
    userErrors!: UserError[];
  }
  return PeriodPayload;
}

export const ClosePeriodPayload = periodPayloadType('ClosePeriodPayload');
export const ReopenPeriodPayload = periodPayloadType('ReopenPeriodPayload');
