import { Field, ID, InputType } from 'type-graphql';
import { DecimalScalar } from '../../common/scalars.js';

@InputType('ImportBankStatementInput')
export class ImportBankStatementInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => String, {
    description:
      'The camt.053 or camt.054 XML (versions .001.02 to .001.13), at most 10 MiB; no DOCTYPE or entities.',
  })
  document!: string;

  @Field(() => String, {
    description:
      'Same key and same document → the same result; same key, other document → IDEMPOTENCY_KEY_REUSED.',
  })
  idempotencyKey!: string;
}

@InputType('ConfirmBankEntryMatchInput')
export class ConfirmBankEntryMatchInput {
  @Field(() => ID)
  entryId!: string;

  @Field(() => [ID], {
    nullable: true,
    description:
      'The suggested invoices to accept (default: every suggestion); they must add up to the entry.',
  })
  invoiceIds?: string[] | null;
}

@InputType('BankEntryAllocationInput')
export class BankEntryAllocationInput {
  @Field(() => ID)
  invoiceId!: string;

  @Field(() => DecimalScalar)
  amount!: string;
}

@InputType('AssignBankEntryInput')
export class AssignBankEntryInput {
  @Field(() => ID)
  entryId!: string;

  @Field(() => [BankEntryAllocationInput], {
    description:
      'The invoices the entry pays and how much of it each; they must add up to the entry.',
  })
  allocations!: BankEntryAllocationInput[];
}

@InputType('IgnoreBankEntryInput')
export class IgnoreBankEntryInput {
  @Field(() => ID)
  entryId!: string;

  @Field(() => String, { nullable: true })
  reason?: string | null;
}

@InputType('AddBankAccountInput')
export class AddBankAccountInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => String, {
    description: 'The IBAN, spaces and case as you like (e.g. "FI21 1234 5600 0007 85").',
  })
  iban!: string;

  @Field(() => String, { description: 'ISO 4217 code of the account, e.g. EUR.' })
  currency!: string;

  @Field(() => String, { description: 'A name people recognize, e.g. "Nordea main account".' })
  name!: string;
}
