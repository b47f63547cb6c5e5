export {
  BuiltinLedger,
  problemFromDbError,
  type BuiltinLedgerOptions,
  type BuiltinLedgerStats,
} from './builtin-ledger.js';
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
