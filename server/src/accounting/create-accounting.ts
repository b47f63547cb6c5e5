import type { MikroORM } from '@mikro-orm/postgresql';
import type { AccountingSystem } from './accounting-system.js';
import { InstrumentedAccounting } from './instrumented-accounting.js';
import { BuiltinLedger } from './ledger/builtin-ledger.js';

/**
 * The accounting system this process talks to: the built-in ledger, wrapped with faults when
 * asked, measured as its callers see it (injected faults included) under the ledger's name.
 */
export async function createAccountingSystem(
  orm: MikroORM,
  faults: string | undefined,
): Promise<AccountingSystem> {
  const ledger = new BuiltinLedger(orm);
  if (!faults) return new InstrumentedAccounting(ledger);
  const { wrapWithFaults } = await import('./faults/index.js');
  return new InstrumentedAccounting(wrapWithFaults(ledger, faults), ledger.name);
}
