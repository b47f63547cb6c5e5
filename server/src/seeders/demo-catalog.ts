/**
 * What the demo organizations are made of: people, charts of accounts, VAT codes, cost units,
 * suppliers and the words on their invoices. Pure data; demo.seeder.ts puts it in a database.
 * The ledger's lists are in demo-charts.ts, the suppliers in demo-suppliers.ts.
 */
import { Role } from '../modules/organizations/organization.entity.js';
import { ClosedPeriodPolicy, ExportMode } from '../modules/transfers/transfer.enums.js';
import type { AccountType } from '../accounting/ledger/index.js';
import {
  AURORA_ACCOUNTS,
  AURORA_COST_UNITS,
  AURORA_VAT,
  BOREALIS_ACCOUNTS,
  BOREALIS_COST_UNITS,
  BOREALIS_VAT,
} from './demo-charts.js';
import { AURORA_SUPPLIERS, BOREALIS_SUPPLIERS } from './demo-suppliers.js';

/** Demo data only: the README says so. */
export const DEMO_PASSWORD = 'ledgerlink-demo';

export type DemoOrgSlug = 'aurora' | 'borealis';

export interface DemoUser {
  email: string;
  name: string;
  org: DemoOrgSlug;
  role: Role;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { email: 'admin@aurora.example', name: 'Aino Virtanen', org: 'aurora', role: Role.ADMIN },
  {
    email: 'accountant@aurora.example',
    name: 'Mikko Korhonen',
    org: 'aurora',
    role: Role.ACCOUNTANT,
  },
  { email: 'approver@aurora.example', name: 'Liisa Mäkinen', org: 'aurora', role: Role.APPROVER },
  { email: 'viewer@aurora.example', name: 'Juha Nieminen', org: 'aurora', role: Role.VIEWER },
  { email: 'admin@borealis.example', name: 'Karin Lindqvist', org: 'borealis', role: Role.ADMIN },
];

/** How a supplier's goods are taxed; mapped to the org's VAT code valid on the bill date. */
export type VatKind = 'standard' | 'reduced' | 'low' | 'zero' | 'reverseCharge';

export interface AccountDef {
  code: string;
  name: string;
  type: AccountType;
  postable?: boolean;
  active?: boolean;
}

export interface VatCodeDef {
  code: string;
  name: string;
  rate: string;
  kind: VatKind;
  reverseCharge?: boolean;
  validFrom?: string;
  validTo?: string;
}

export interface CostUnitDef {
  code: string;
  name: string;
  active?: boolean;
}

export type InvoiceNumberStyle = 'plain' | 'yearDash' | 'prefix' | 'slashYear';

export interface SupplierDef {
  name: string;
  country: string;
  /** Ledger "Account Name" number: SUP-<n> <name>. */
  accountNo: number;
  /** false: deliberately missing from the ledger (SUPPLIER_NOT_IN_LEDGER). */
  inLedger?: boolean;
  vat: VatKind;
  accounts: string[];
  costUnits: string[];
  /** Payment terms, days after the bill date. */
  terms: number;
  /** Net amount range of one line. */
  net: [number, number];
  lines: [number, number];
  descriptions: string[];
  numberStyle: InvoiceNumberStyle;
  numberPrefix?: string;
  /** Invoices every month on this day with this net (rent, subscriptions...). */
  monthly?: { day: number; net: [number, number]; description: string };
  /** Relative share of the non-recurring invoices. */
  weight: number;
}

export interface ApprovalStageDef {
  name: string;
  approverRole: Role;
  transferFromThisStep?: boolean;
  /** Users (by email) named as approvers of the stage. */
  approvers?: string[];
}

export interface DemoOrgDef {
  slug: DemoOrgSlug;
  name: string;
  currency: string;
  country: string;
  /** Seed of this organization's random stream. */
  seed: number;
  accounts: AccountDef[];
  vatCodes: VatCodeDef[];
  costUnits: CostUnitDef[];
  settings: { accountsPayable: string; vatReceivable: string; vatPayable: string; bank: string };
  suppliers: SupplierDef[];
  approvalProcess: { name: string; stages: ApprovalStageDef[] };
  transferSettings: {
    autoTransferInvoices: boolean;
    autoTransferPayments: boolean;
    exportMode: ExportMode;
    closedPeriodPolicy: ClosedPeriodPolicy;
  };
  /** How many invoices over the last 14 months (recurring ones included). */
  invoiceCount: number;
  /** How many of them have a bill date in the last 25 days. */
  recentCount: number;
  /** Where the recent invoices stand today. */
  recentStates: { draft: number; stages: number[] };
  apiClientName: string;
  rejectReasons: string[];
}

// ---------------------------------------------------------------- Aurora Oy (Finland, EUR)

export const AURORA: DemoOrgDef = {
  slug: 'aurora',
  name: 'Aurora Oy',
  currency: 'EUR',
  country: 'FI',
  seed: 20_240_901,
  accounts: AURORA_ACCOUNTS,
  vatCodes: AURORA_VAT,
  costUnits: AURORA_COST_UNITS,
  settings: { accountsPayable: '2871', vatReceivable: '1763', vatPayable: '2939', bank: '1910' },
  suppliers: AURORA_SUPPLIERS,
  approvalProcess: {
    name: 'Default approval',
    stages: [
      { name: 'Inspection', approverRole: Role.APPROVER },
      { name: 'Approval', approverRole: Role.APPROVER, approvers: ['approver@aurora.example'] },
      { name: 'Accounting check', approverRole: Role.ACCOUNTANT, transferFromThisStep: true },
    ],
  },
  transferSettings: {
    autoTransferInvoices: true,
    autoTransferPayments: true,
    exportMode: ExportMode.ITEM,
    closedPeriodPolicy: ClosedPeriodPolicy.SHIFT_TO_NEXT_OPEN,
  },
  invoiceCount: 300,
  recentCount: 44,
  recentStates: { draft: 10, stages: [8, 7, 8] },
  apiClientName: 'E-invoice inbox (operator integration)',
  rejectReasons: [
    'Goods not received: the delivery was cancelled',
    'Price differs from the agreed contract price',
    'Not ordered by Aurora: wrong recipient',
    'Duplicate of an invoice already paid',
    'Credit note expected instead: the goods were returned',
    'Missing order reference, ask the supplier to re-invoice',
  ],
};

// ---------------------------------------------------------------- Borealis AB (Sweden, SEK)

export const BOREALIS: DemoOrgDef = {
  slug: 'borealis',
  name: 'Borealis AB',
  currency: 'SEK',
  country: 'SE',
  seed: 19_970_601,
  accounts: BOREALIS_ACCOUNTS,
  vatCodes: BOREALIS_VAT,
  costUnits: BOREALIS_COST_UNITS,
  settings: { accountsPayable: '2440', vatReceivable: '2640', vatPayable: '2614', bank: '1930' },
  suppliers: BOREALIS_SUPPLIERS,
  approvalProcess: {
    name: 'Attestflöde',
    stages: [
      { name: 'Granskning', approverRole: Role.APPROVER },
      { name: 'Attest', approverRole: Role.ACCOUNTANT, transferFromThisStep: true },
    ],
  },
  transferSettings: {
    autoTransferInvoices: false,
    autoTransferPayments: false,
    exportMode: ExportMode.BATCH,
    closedPeriodPolicy: ClosedPeriodPolicy.BLOCK,
  },
  invoiceCount: 60,
  recentCount: 10,
  recentStates: { draft: 3, stages: [2, 2] },
  apiClientName: 'E-faktura inkorg (operatörsintegration)',
  rejectReasons: [
    'Felaktigt belopp enligt avtal',
    'Ej beställd av Borealis',
    'Dubblett av redan betald faktura',
  ],
};

export const DEMO_ORGS: readonly DemoOrgDef[] = [AURORA, BOREALIS];

/** The ledger "Account Name" of a supplier, e.g. "SUP-1007 Metsä-Suomen Materiaalit Oy". */
export function supplierAccountName(def: SupplierDef): string {
  return `SUP-${def.accountNo} ${def.name}`;
}

/** The VAT code of `kind` valid on `billDate` (validity dates inclusive). */
export function vatCodeFor(org: DemoOrgDef, kind: VatKind, billDate: string): VatCodeDef {
  const found = org.vatCodes.find((v) => v.kind === kind && isVatValid(v, billDate));
  if (!found) throw new Error(`${org.slug}: no ${kind} VAT code valid on ${billDate}`);
  return found;
}

export function isVatValid(v: VatCodeDef, billDate: string): boolean {
  return (!v.validFrom || billDate >= v.validFrom) && (!v.validTo || billDate <= v.validTo);
}

/**
 * A plausible mistake: a code of the same kind that is not valid on the bill date (FI14 on a
 * 2026 bill), else any code that is not.
 */
export function invalidVatCodeFor(
  org: DemoOrgDef,
  kind: VatKind,
  billDate: string,
): VatCodeDef | null {
  return (
    org.vatCodes.find((v) => v.kind === kind && !isVatValid(v, billDate)) ??
    org.vatCodes.find((v) => !v.reverseCharge && !isVatValid(v, billDate)) ??
    null
  );
}
