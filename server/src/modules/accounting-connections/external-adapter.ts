/**
 * What the connections module needs of an external accounting system's adapter, beyond the
 * port: a connection test, a look-up by external reference (drift check) and closing. The
 * accountsIQ adapter (accounting/accountsiq) has exactly this shape.
 */
import type { AccountingSystem } from '../../accounting/accounting-system.js';
import type { AccountingSystemKind } from './accounting-connection.enums.js';

export interface ExternalConnectionConfig {
  endpoint: string;
  entity: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
}

export type ConnectionTestResult =
  | { ok: true; companyName: string | null; openPeriods: number }
  | { ok: false; code: 'AUTH_FAILED' | 'UNREACHABLE' | 'VALIDATION'; message: string };

export interface ExternalDocumentInfo {
  transactionId: string;
  externalReference: string;
  reference: string;
  supplierCode: string;
  total: string;
  periodName: string;
  postingDate: string;
}

export interface ExternalAccounting extends AccountingSystem {
  testConnection(): Promise<ConnectionTestResult>;
  listDocumentsByExternalReference(
    externalReferences: string[],
  ): Promise<Map<string, ExternalDocumentInfo[]>>;
  close(): Promise<void>;
}

export interface ExternalSystemDriver {
  create(config: ExternalConnectionConfig): ExternalAccounting;
  /** The external reference the adapter gives the document posted with this idempotency key. */
  externalReferenceOf(idempotencyKey: string): string;
}

/** The driver of each external system this build can connect to. */
export type ExternalSystemDrivers = Partial<
  Record<Exclude<AccountingSystemKind, AccountingSystemKind.BUILTIN>, ExternalSystemDriver>
>;
