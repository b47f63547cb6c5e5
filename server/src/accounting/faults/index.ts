import type { AccountingSystem } from '../accounting-system.js';
import {
  FaultInjectingAccounting,
  type FaultInjectionOptions,
} from './fault-injecting-accounting.js';

export {
  DEFAULT_FAULT_SPEC,
  FAULT_KINDS,
  FaultInjectingAccounting,
  FaultSpecError,
  formatFaultSpec,
  mulberry32,
  parseFaultSpec,
  type FaultCounts,
  type FaultInjectionOptions,
  type FaultKind,
  type FaultSpec,
} from './fault-injecting-accounting.js';

/**
 * `inner` wrapped with the faults of `spec` (LEDGERLINK_FAULTS), or `inner` itself when the spec
 * is unset or blank. Throws FaultSpecError for a malformed spec, and refuses (throws) when
 * NODE_ENV=production and a spec is given.
 */
export function wrapWithFaults(
  inner: AccountingSystem,
  spec: string | undefined | null,
  opts: FaultInjectionOptions = {},
): AccountingSystem {
  if (spec === undefined || spec === null || spec.trim() === '') return inner;
  return new FaultInjectingAccounting(inner, spec, opts);
}
