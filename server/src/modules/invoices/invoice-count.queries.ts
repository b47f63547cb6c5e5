import type { EntityManager } from '@mikro-orm/postgresql';
import { InvoiceTab, TAB_SQL } from './invoice.rules.js';

/**
 * The organization's invoice classes (table `invoice_count`) as rows shaped like
 * `purchase_invoice` for the columns `TAB_SQL` reads, so the counts use the very predicates
 * the lists use: removed → a removed_at, numbered → a document_number, ledger state → a
 * ledger_version against posting_version 1. One row per class, a few dozen at most.
 */
const CLASSES_AS_INVOICES = `(
  select c.status, case when c.removed then now() end as removed_at, c.posted,
         case when c.numbered then 1 end as document_number, c.current_stage_id,
         case c.ledger when 0 then null when 1 then 0 when 2 then 1 else 2 end as ledger_version,
         1 as posting_version, c.n
    from (select status, removed, posted, numbered, ledger, current_stage_id, sum(n) as n
            from invoice_count where organization_id = ?
           group by status, removed, posted, numbered, ledger, current_stage_id) c
) i`;

/** The same condition the list applies for a tab when no status filter asks for REMOVED. */
export function tabCountCondition(tab: InvoiceTab): string {
  return tab === InvoiceTab.ALL ? 'i.removed_at is null' : TAB_SQL[tab];
}

/** The counts of every tab from the counters; one parameter (`?`), the organization. */
export function tabCountsSql(): string {
  const select = Object.values(InvoiceTab)
    .map((t) => `coalesce(sum(i.n) filter (where ${tabCountCondition(t)}), 0) as "${t}"`)
    .join(', ');
  return `select ${select} from ${CLASSES_AS_INVOICES}`;
}

/** Exact invoice counts of every tab, from the counters (no scan of the invoices). */
export async function invoiceTabCounts(em: EntityManager, organizationId: string) {
  const tabs = Object.values(InvoiceTab);
  const [row] = await em
    .getConnection()
    .execute<Record<string, string>[]>(tabCountsSql(), [organizationId]);
  return tabs.map((tab) => ({ tab, count: Number(row[tab]) }));
}

/** Exact count of the invoices matching `conditions` (over columns the classes carry). */
export async function countFromCounters(
  em: EntityManager,
  organizationId: string,
  conditions: string[],
  params: unknown[],
): Promise<number> {
  const [row] = await em
    .getConnection()
    .execute<{ count: string }[]>(
      `select coalesce(sum(i.n), 0) as count from ${CLASSES_AS_INVOICES} where ${conditions.join(' and ')}`,
      [organizationId, ...params],
    );
  return Number(row.count);
}
