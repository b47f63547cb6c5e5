import { Field, Int, ObjectType } from 'type-graphql';
import { UserError } from '../../common/payload.types.js';
import type { BankAccount, BankStatement, BankStatementEntry } from './bank-statement.entity.js';
import {
  BankAccountType,
  BankStatementEntryType,
  BankStatementType,
} from './bank-statement.types.js';

@ObjectType('ImportedBankStatement')
export class ImportedBankStatement {
  @Field(() => BankStatementType)
  statement!: BankStatement;

  @Field(() => Boolean, { description: 'Imported before: nothing was added.' })
  duplicate!: boolean;
}

@ObjectType('ImportBankStatementPayload')
export class ImportBankStatementPayload {
  @Field(() => [ImportedBankStatement])
  statements!: ImportedBankStatement[];

  @Field(() => Int, { nullable: true, description: 'New entries stored. Null when refused.' })
  importedEntries!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Entries already imported (same bank reference): skipped. Null when refused.',
  })
  duplicateEntries!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Outgoing entries matched and paid. Null when refused.',
  })
  matchedEntries!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Outgoing entries waiting in the match queue. Null when refused.',
  })
  queuedEntries!: number | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('BankEntryPayload')
export class BankEntryPayload {
  @Field(() => BankStatementEntryType, { nullable: true })
  entry!: BankStatementEntry | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('AddBankAccountPayload')
export class AddBankAccountPayload {
  @Field(() => BankAccountType, { nullable: true })
  bankAccount!: BankAccount | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
