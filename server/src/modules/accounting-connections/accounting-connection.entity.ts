import {
  Entity,
  Enum,
  Index,
  ManyToOne,
  PrimaryKey,
  Property,
  Unique,
  type Opt,
} from '@mikro-orm/core';
import type { MasterData } from '../../accounting/accounting-system.js';
import { TenantEntity } from '../../common/base.entity.js';
import { Organization } from '../organizations/organization.entity.js';
import {
  AccountingSystemKind,
  ConnectionStatus,
  DriftKind,
} from './accounting-connection.enums.js';

/**
 * The external accounting system one organization transfers into (no row: the built-in ledger).
 * The client secret is stored only sealed (secret-box.ts), with the id of the key that sealed it.
 */
@Entity({ tableName: 'accounting_connection' })
@Unique({ properties: ['organization'] })
export class AccountingConnection extends TenantEntity {
  @Enum({ items: () => AccountingSystemKind })
  system!: AccountingSystemKind;

  @Property({ type: 'text' })
  endpoint!: string;

  /** The accountsIQ company (entity) id. */
  @Property({ type: 'text' })
  entity!: string;

  @Property({ type: 'text' })
  clientId!: string;

  @Property({ type: 'text' })
  secretCiphertext!: string;

  @Property({ type: 'text' })
  secretKeyId!: string;

  /** e.g. ••••••3f9a: the only part of the secret the API ever shows. */
  @Property({ type: 'text' })
  secretHint!: string;

  @Enum({ items: () => ConnectionStatus })
  status: Opt<ConnectionStatus> = ConnectionStatus.UNTESTED;

  @Property({ type: 'datetime', nullable: true })
  lastTestedAt?: Date | null;

  /** null when the last test passed. */
  @Property({ type: 'text', nullable: true })
  lastTestCode?: string | null;

  @Property({ type: 'text', nullable: true })
  lastTestMessage?: string | null;

  @Property({ type: 'text', nullable: true })
  companyName?: string | null;

  /** The connected system's master data as last fetched (posting validation and dropdowns read it). */
  @Property({ type: 'json', nullable: true })
  masterData?: MasterData | null;

  @Property({ type: 'datetime', nullable: true })
  masterDataRefreshedAt?: Date | null;

  @Property({ type: 'integer', version: true })
  version: Opt<number> = 1;
}

export interface DriftItem {
  kind: DriftKind;
  externalReference: string;
  transferId: string | null;
  expected: string | null;
  actual: string | null;
  message: string;
}

/** One run of the drift check: what it compared and what differed. Nothing is changed by it. */
@Entity({ tableName: 'accounting_drift_report' })
@Index({ properties: ['organization', 'createdAt'] })
export class AccountingDriftReport extends TenantEntity {
  @Enum({ items: () => AccountingSystemKind })
  system!: AccountingSystemKind;

  @Property({ type: 'integer' })
  checked!: number;

  @Property({ type: 'json' })
  items!: DriftItem[];
}

/**
 * The uuid Ledgerlink knows an external system's document by (transfers keep entry ids as
 * uuids), and that system's own id for it (accountsIQ's TransactionID).
 */
@Entity({ tableName: 'accounting_external_entry' })
@Unique({ properties: ['organization', 'system', 'externalId'] })
export class AccountingExternalEntry {
  @ManyToOne({ entity: () => Organization, primary: true, deleteRule: 'restrict' })
  organization!: Organization;

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Enum({ items: () => AccountingSystemKind })
  system!: AccountingSystemKind;

  @Property({ type: 'text' })
  externalId!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();
}

export const ACCOUNTING_CONNECTION_ENTITIES = [
  AccountingConnection,
  AccountingDriftReport,
  AccountingExternalEntry,
];
