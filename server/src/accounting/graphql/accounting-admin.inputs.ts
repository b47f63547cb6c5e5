import { Field, ID, InputType } from 'type-graphql';
import { DateScalar } from '../../common/scalars.js';

@InputType()
export class AdjustPostingPeriodInput {
  @Field(() => ID)
  ledgerEntryId!: string;

  @Field(() => ID, { description: 'An OPEN period after the lock date.' })
  periodId!: string;
}

@InputType()
export class SetLockDateInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'Nothing may be posted on or before it; null clears it.',
  })
  lockDate!: string | null;
}

@InputType()
export class PeriodInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => ID)
  periodId!: string;
}
