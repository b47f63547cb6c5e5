import type { MikroORM } from '@mikro-orm/postgresql';
import type { AccountingSystem } from './accounting-system.js';
import { BuiltinLedger } from './ledger/builtin-ledger.js';

/** The accounting system this process talks to: the built-in ledger, wrapped with faults when asked. */
export async function createAccountingSystem(
  orm: MikroORM,
  faults: string | undefined,
): Promise<AccountingSystem> {
  const ledger = new BuiltinLedger(orm);
  if (!faults) return ledger;
  const { wrapWithFaults } = await import('./faults/index.js');
  return wrapWithFaults(ledger, faults);
}
