/** Building the port's coded refusals; every adapter uses this one helper. */
import type { AccountingProblem } from './accounting-system.js';

export function problem(
  code: AccountingProblem['code'],
  message: string,
  field?: string[],
): AccountingProblem {
  return field ? { code, message, field } : { code, message };
}
