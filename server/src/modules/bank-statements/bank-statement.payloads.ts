import { Field, Int, ObjectType } from 'type-graphql';
import { UserError } from '../../common/payload.types.js';
import type { BankStatement, BankStatementEntry } from './bank-statement.entity.js';
import { BankStatementEntryType, BankStatementType } from './bank-statement.types.js';

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

  @Field(() => Int, { description: 'New entries stored.' })
  importedEntries!: number;

  @Field(() => Int, { description: 'Entries already imported (same bank reference): skipped.' })
  duplicateEntries!: number;

  @Field(() => Int, { description: 'Outgoing entries matched and paid.' })
  matchedEntries!: number;

  @Field(() => Int, { description: 'Outgoing entries waiting in the match queue.' })
  queuedEntries!: number;

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
