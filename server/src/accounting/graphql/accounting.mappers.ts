import { toGlobalId } from '../../common/ids.js';
import type { EntryInfo, PeriodInfo } from '../accounting-system.js';
import { EntryKind, Journal, PeriodStatus } from '../accounting.enums.js';
import type { AccountingPeriodType, LedgerEntryType } from './accounting.types.js';

export function periodNode(
  p: PeriodInfo,
): AccountingPeriodType & { __typename: 'AccountingPeriod' } {
  return {
    __typename: 'AccountingPeriod',
    id: toGlobalId('AccountingPeriod', p.id),
    name: p.name,
    fiscalYear: p.fiscalYear,
    startDate: p.startDate,
    endDate: p.endDate,
    status: p.status as PeriodStatus,
  };
}

export function entryNode(e: EntryInfo): LedgerEntryType & { __typename: 'LedgerEntry' } {
  return {
    __typename: 'LedgerEntry',
    id: toGlobalId('LedgerEntry', e.id),
    journal: e.journal as Journal,
    kind: e.kind as EntryKind,
    reference: e.reference,
    accountName: e.supplierAccountName,
    documentDate: e.documentDate,
    postingDate: e.postingDate,
    shifted: e.documentDate !== e.postingDate,
    period: periodNode(e.period),
    currency: e.currency,
    total: e.total,
    description: e.description,
    reversed: e.reversedByEntryId != null,
    createdAt: e.createdAt,
    lines: e.lines,
    externalDocumentId: e.externalId ?? null,
  };
}
