import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import { ConnectedAccounting } from '../modules/accounting-connections/connected-accounting.js';
import type { ExternalSystemDrivers } from '../modules/accounting-connections/external-adapter.js';
import { SecretBox } from '../modules/accounting-connections/secret-box.js';
import type { AccountingSystem } from './accounting-system.js';
import { createAccountsIqAccounting, externalReferenceFor } from './accountsiq/index.js';
import { InstrumentedAccounting } from './instrumented-accounting.js';
import { BuiltinLedger } from './ledger/builtin-ledger.js';

export interface AccountingRuntime {
  /** The only way in: routes per organization, with faults (when asked) and measured. */
  accounting: AccountingSystem;
  /** The router itself: connection tests, cache invalidation, master data refresh, drift. */
  connections: ConnectedAccounting;
}

/** The external systems this build can connect to. */
export const EXTERNAL_DRIVERS: ExternalSystemDrivers = {
  ACCOUNTSIQ: { create: createAccountsIqAccounting, externalReferenceOf: externalReferenceFor },
};

/**
 * The accounting system this process talks to: per organization the built-in ledger or the
 * connected external system, wrapped with faults when asked, measured as its callers see it
 * (injected faults included) under the ledger's name.
 */
export async function createAccountingSystem(
  orm: MikroORM,
  config: Pick<Config, 'faults' | 'secretKeys'>,
  drivers: ExternalSystemDrivers = EXTERNAL_DRIVERS,
): Promise<AccountingRuntime> {
  const ledger = new BuiltinLedger(orm);
  const secrets = new SecretBox(config.secretKeys.current, config.secretKeys.previous);
  const connections = new ConnectedAccounting(orm, ledger, secrets, drivers);
  if (!config.faults) return { accounting: new InstrumentedAccounting(connections), connections };
  const { wrapWithFaults } = await import('./faults/index.js');
  return {
    accounting: new InstrumentedAccounting(
      wrapWithFaults(connections, config.faults),
      connections.name,
    ),
    connections,
  };
}
