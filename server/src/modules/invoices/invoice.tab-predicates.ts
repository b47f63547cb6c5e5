/**
 * The parts of the tab predicates an index can carry, written once for both the list queries
 * (`TAB_SQL`, over alias `i`) and the partial indexes that serve them (bare column names): the
 * planner uses a partial index only when the query's WHERE implies the index's, and the
 * simplest proof is the same conjunct in both.
 */
type Col = (name: string) => string;

export const IN_PROCESS_PREDICATE = (c: Col) =>
  `${c('removed_at')} is null and ${c('status')} = 'IN_CIRCULATION'`;

/** TRANSFERABLE without the current stage's flag, which lives in another table. */
export const TRANSFERABLE_INDEXED_PREDICATE = (c: Col) =>
  `${c('removed_at')} is null and ${c('posted')} and ${c('document_number')} is not null and ${c('status')} in ('APPROVED', 'IN_CIRCULATION') and (${c('ledger_version')} is null or ${c('ledger_version')} < ${c('posting_version')})`;

export const TRANSFERRED_PREDICATE = (c: Col) =>
  `${c('removed_at')} is null and ${c('ledger_version')} is not null and ${c('ledger_version')} = ${c('posting_version')}`;

export const bare: Col = (name) => `"${name}"`;
export const aliased =
  (alias: string): Col =>
  (name) =>
    `${alias}.${name}`;
