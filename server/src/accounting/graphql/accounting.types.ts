import { Field, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../common/connection.js';
import { Node } from '../../common/node.js';
import { DateScalar, DecimalScalar } from '../../common/scalars.js';
import { EntryKind, Journal, PeriodStatus } from '../accounting.enums.js';

@ObjectType('LedgerAccount')
export class LedgerAccountType {
  @Field(() => String) code!: string;
  @Field(() => String) name!: string;
  @Field(() => String) type!: string;
  @Field(() => Boolean, { description: 'False for header accounts, which only group others.' })
  postable!: boolean;
  @Field(() => Boolean) active!: boolean;
}

@ObjectType('CostUnit')
export class CostUnitType {
  @Field(() => String) code!: string;
  @Field(() => String) name!: string;
  @Field(() => Boolean) active!: boolean;
}

@ObjectType('VatCode')
export class VatCodeType {
  @Field(() => String) code!: string;
  @Field(() => String) name!: string;
  @Field(() => DecimalScalar, { description: 'Percent, e.g. "25.50".' }) rate!: string;
  @Field(() => Boolean) reverseCharge!: boolean;
  @Field(() => DateScalar, {
    nullable: true,
    description: 'First bill date the code is valid for.',
  })
  validFrom!: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'Last bill date the code is valid for.' })
  validTo!: string | null;
}

@ObjectType('SupplierAccount')
export class SupplierAccountType {
  @Field(() => String) accountName!: string;
  @Field(() => String) name!: string;
  @Field(() => Boolean) active!: boolean;
}

@ObjectType('MasterData', {
  description: "The ledger's chart of accounts, cost units, VAT codes and supplier accounts.",
})
export class MasterDataType {
  @Field(() => [LedgerAccountType]) accounts!: LedgerAccountType[];
  @Field(() => [CostUnitType]) costUnits!: CostUnitType[];
  @Field(() => [VatCodeType]) vatCodes!: VatCodeType[];
  @Field(() => [SupplierAccountType]) supplierAccounts!: SupplierAccountType[];
}

@ObjectType('AccountingPeriod', { implements: Node })
export class AccountingPeriodType extends Node {
  @Field(() => String) name!: string;
  @Field(() => Int) fiscalYear!: number;
  @Field(() => DateScalar) startDate!: string;
  @Field(() => DateScalar) endDate!: string;
  @Field(() => PeriodStatus) status!: PeriodStatus;
}

@ObjectType('LedgerEntryLine')
export class LedgerEntryLineType {
  @Field(() => Int) lineNo!: number;
  @Field(() => String) accountCode!: string;
  @Field(() => String, { nullable: true }) costUnitCode!: string | null;
  @Field(() => String, { nullable: true }) vatCode!: string | null;
  @Field(() => DecimalScalar) debit!: string;
  @Field(() => DecimalScalar) credit!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
}

@ObjectType('LedgerEntry', { implements: Node })
export class LedgerEntryType extends Node {
  @Field(() => Journal) journal!: Journal;
  @Field(() => EntryKind) kind!: EntryKind;
  @Field(() => String, { description: "The supplier's invoice number." }) reference!: string;
  @Field(() => String, { description: 'The supplier account ("Account Name").' })
  accountName!: string;
  @Field(() => DateScalar, { description: 'The document date (bill or payment date).' })
  documentDate!: string;
  @Field(() => DateScalar, {
    description: 'The date it was booked on; differs when the period rule shifted it.',
  })
  postingDate!: string;
  @Field(() => Boolean, { description: 'True when the period rule moved the posting date.' })
  shifted!: boolean;
  @Field(() => AccountingPeriodType) period!: AccountingPeriodType;
  @Field(() => String) currency!: string;
  @Field(() => DecimalScalar, { description: 'Sum of debits.' }) total!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => Boolean) reversed!: boolean;
  @Field(() => Date) createdAt!: Date;
  @Field(() => [LedgerEntryLineType]) lines!: LedgerEntryLineType[];
  @Field(() => String, {
    nullable: true,
    description:
      "The document's id in the connected accounting system (e.g. accountsIQ's transaction id); null in the built-in ledger.",
  })
  externalDocumentId!: string | null;
}

export const LedgerEntryConnection = ConnectionType('LedgerEntry', () => LedgerEntryType);
