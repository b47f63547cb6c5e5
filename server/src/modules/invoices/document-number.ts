import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountingSystem } from '../../accounting/accounting-system.js';
import { DocumentSequenceKind } from './document-sequence.entity.js';

/**
 * The fiscal year a date belongs to: that of the ledger period containing it (fiscal years may
 * start in any month), or the calendar year when the ledger has no period for the date yet.
 */
export async function fiscalYearOf(
  accounting: AccountingSystem,
  organizationId: string,
  date: string,
): Promise<number> {
  const periods = await accounting.listPeriods(organizationId);
  const period = periods.find((p) => p.startDate <= date && date <= p.endDate);
  return period ? period.fiscalYear : Number(date.slice(0, 4));
}

/**
 * Takes the next number of the organization's sequence for `kind` and fiscal year, inside the
 * caller's transaction. The UPDATE holds the sequence row's lock until commit, so concurrent
 * postings queue behind each other and a rolled-back one gives its number back: gapless.
 */
export async function takeDocumentNumber(
  em: EntityManager,
  organizationId: string,
  kind: DocumentSequenceKind,
  fiscalYear: number,
): Promise<number> {
  await em.execute(
    `insert into document_sequence (organization_id, kind, fiscal_year, next_number) values (?, ?, ?, 1)
     on conflict (organization_id, kind, fiscal_year) do nothing`,
    [organizationId, kind, fiscalYear],
  );
  const [row] = await em.execute<{ number: number }[]>(
    `update document_sequence set next_number = next_number + 1
     where organization_id = ? and kind = ? and fiscal_year = ? returning next_number - 1 as number`,
    [organizationId, kind, fiscalYear],
  );
  return Number(row.number);
}
