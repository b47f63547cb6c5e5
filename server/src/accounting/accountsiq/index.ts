/**
 * The accountsIQ connector: the adapter (one per organization's connection) and the local
 * accountsIQ service for tests, chaos runs and the demo.
 */
import type { AccountingSystem } from '../accounting-system.js';
import { AccountsIqAdapter, type ConnectionTestResult } from './accountsiq-accounting.js';
import type { ExternalDocumentInfo } from './lookup.js';

export interface AccountsIqConnectionConfig {
  /** URL of the integration_2_0.asmx service (WSDL at `${endpoint}?wsdl`). */
  endpoint: string;
  /** The company id, sent as AiqSoapHeader.Entity. */
  entity: string;
  clientId: string;
  /** A secret: never in a log line, error message or thrown error text. */
  clientSecret: string;
  /** Per SOAP call, default 15000. */
  timeoutMs?: number;
}

export type { ConnectionTestResult, ExternalDocumentInfo };

export interface AccountsIqAccounting extends AccountingSystem {
  testConnection(): Promise<ConnectionTestResult>;
  /** Every document this adapter's external references can find, for the drift check. */
  listDocumentsByExternalReference(
    externalReferences: string[],
  ): Promise<Map<string, ExternalDocumentInfo[]>>;
  close(): Promise<void>;
}

export function createAccountsIqAccounting(
  config: AccountsIqConnectionConfig,
): AccountsIqAccounting {
  return new AccountsIqAdapter({ ...config });
}

export { externalReferenceFor, idempotencyKeyOf } from './lookup.js';
export { ERROR_CODE_MAP } from './errors.js';
export { startLocalAccountsIq, type LocalAccountsIq } from './local-service/server.js';
export type { LocalFaultKind, LocalFaultOptions } from './local-service/faults.js';
export type {
  LocalCompanySeed,
  LocalGlAccountSeed,
  LocalTaxCodeSeed,
  LocalDepartmentSeed,
  LocalSupplierSeed,
  LocalPeriodSeed,
  LocalTransaction,
} from './local-service/company.js';
