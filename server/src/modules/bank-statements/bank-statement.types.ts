import { Field, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../common/connection.js';
import { Node } from '../../common/node.js';
import { DateScalar, DecimalScalar } from '../../common/scalars.js';
import {
  BankEntryDirection,
  BankEntryMatchState,
  BankStatementKind,
} from './bank-statement.entity.js';

@ObjectType('BankAccount', {
  implements: Node,
  description: 'An account of the organization at a bank.',
})
export class BankAccountType extends Node {
  @Field(() => String, { description: 'IBAN, or the bank’s own account id where there is none.' })
  identifier!: string;

  @Field(() => String)
  currency!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType('BankStatement', {
  implements: Node,
  description: 'An imported camt.053 statement or camt.054 notification.',
})
export class BankStatementType extends Node {
  @Field(() => BankStatementKind)
  kind!: BankStatementKind;

  @Field(() => String, { description: 'e.g. camt.053.001.02' })
  camtVersion!: string;

  @Field(() => String, { nullable: true })
  messageId!: string | null;

  @Field(() => String, { description: "The bank's statement id." })
  statementId!: string;

  @Field(() => String, { nullable: true })
  electronicSequence!: string | null;

  @Field(() => String, { nullable: true })
  legalSequence!: string | null;

  @Field(() => String)
  currency!: string;

  @Field(() => DateScalar, { nullable: true })
  fromDate!: string | null;

  @Field(() => DateScalar, { nullable: true })
  toDate!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Signed; null in notifications.' })
  openingBalance!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  closingBalance!: string | null;

  @Field(() => DecimalScalar, { description: 'Sum of the booked entries of the file (signed).' })
  entriesTotal!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Set when opening balance + entries ≠ closing balance.',
  })
  balanceWarning!: string | null;

  @Field(() => String, { description: 'sha256 of the imported document.' })
  checksum!: string;

  @Field(() => String, { nullable: true, description: 'The API token that imported it, if any.' })
  importedVia!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType('BankEntryTransaction', {
  description: 'One transaction of an entry (a batch has several).',
})
export class BankEntryTransactionType {
  @Field(() => DecimalScalar, { nullable: true })
  amount!: string | null;

  @Field(() => String, { nullable: true })
  reference!: string | null;

  @Field(() => [String])
  documentNumbers!: string[];

  @Field(() => String, { nullable: true })
  remittanceText!: string | null;

  @Field(() => String, { nullable: true })
  counterpartyName!: string | null;

  @Field(() => String, { nullable: true })
  counterpartyIban!: string | null;

  @Field(() => String, { nullable: true })
  endToEndId!: string | null;
}

@ObjectType('BankStatementEntry', { implements: Node })
export class BankStatementEntryType extends Node {
  @Field(() => Int, { description: 'Position in its statement, from 0.' })
  position!: number;

  @Field(() => String, { nullable: true, description: "The bank's entry reference (AcctSvcrRef)." })
  accountServicerReference!: string | null;

  @Field(() => DateScalar, { nullable: true })
  bookingDate!: string | null;

  @Field(() => DateScalar, { nullable: true })
  valueDate!: string | null;

  @Field(() => DecimalScalar, { description: 'Signed: money out is negative.' })
  amount!: string;

  @Field(() => BankEntryDirection)
  direction!: BankEntryDirection;

  @Field(() => Boolean)
  reversal!: boolean;

  @Field(() => String)
  currency!: string;

  @Field(() => String, { nullable: true })
  counterpartyName!: string | null;

  @Field(() => String, { nullable: true })
  counterpartyIban!: string | null;

  @Field(() => String, { nullable: true, description: 'Structured creditor reference.' })
  reference!: string | null;

  @Field(() => String, { nullable: true })
  remittanceText!: string | null;

  @Field(() => String, { nullable: true })
  endToEndId!: string | null;

  @Field(() => [BankEntryTransactionType])
  transactions!: BankEntryTransactionType[];

  @Field(() => BankEntryMatchState)
  matchState!: BankEntryMatchState;

  @Field(() => String, {
    nullable: true,
    description: 'Why it is queued or not applicable; for a match, the rule that matched.',
  })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'The API token that resolved it, if any.' })
  resolvedVia!: string | null;

  @Field(() => Date, { nullable: true })
  resolvedAt!: Date | null;
}

export const BankStatementConnection = ConnectionType('BankStatement', () => BankStatementType);
export const BankStatementEntryConnection = ConnectionType(
  'BankStatementEntry',
  () => BankStatementEntryType,
);
