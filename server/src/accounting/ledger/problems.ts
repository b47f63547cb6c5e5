/** The built-in ledger's coded refusals, and its database's own failures translated into them. */
import type { AccountingProblem } from '../accounting-system.js';
import { problem } from '../problems.js';
import type { PgError } from './ledger-db.js';

export { problem };

/** Translates the ledger's own constraint and trigger failures into coded problems. */
export function problemFromDbError(
  err: unknown,
  dateField: string[] = ['documentDate'],
): AccountingProblem | null {
  const e = err as PgError;
  if (!e || typeof e.code !== 'string') return null;
  const message = e.message;
  switch (e.constraint) {
    case 'entry_supplier_reference_unique':
      return problem(
        'DUPLICATE_REFERENCE',
        'a live entry of this kind already exists for this supplier and reference',
        ['reference'],
      );
    case 'entry_period_open':
    case 'entry_after_lock_date':
      return problem('PERIOD_LOCKED', message, dateField);
    case 'entry_balanced':
      return problem('UNBALANCED', message);
    case 'entry_line_one_side_check':
      return problem('VALIDATION', message);
    default:
  }
  if (e.code === '42501') return problem('VALIDATION', message);
  if (e.code.startsWith('22')) return problem('VALIDATION', `invalid value: ${message}`);
  return null;
}
