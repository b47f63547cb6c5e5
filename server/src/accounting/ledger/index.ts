export {
  BuiltinLedger,
  type BuiltinLedgerOptions,
  type BuiltinLedgerStats,
} from './builtin-ledger.js';
export { problemFromDbError } from './problems.js';
export {
  createLedgerForOrganization,
  ensureFiscalYear,
  fiscalYearPeriods,
  DEFAULT_LEDGER_ACCOUNTS,
  type LedgerSetupOptions,
  type LedgerAccountSeed,
  type LedgerCostUnitSeed,
  type LedgerVatCodeSeed,
  type LedgerSupplierAccountSeed,
  type LedgerSettingsSeed,
} from './ledger-setup.js';
export { addDays, isIsoDate, daysInMonth } from './dates.js';
/** For the ORM's entity list and seeders only: the rest of Ledgerlink speaks the port. */
export { AccountType, LEDGER_ENTITIES } from './ledger.entities.js';
