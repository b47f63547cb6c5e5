/**
 * What the demo organizations are made of: people, charts of accounts, VAT codes, cost units,
 * suppliers and the words on their invoices. Pure data; demo.seeder.ts puts it in a database.
 */
import { finnishCheckDigit } from '../modules/bank-statements/payment-reference.js';
import { Role } from '../modules/organizations/organization.entity.js';
import { ClosedPeriodPolicy, ExportMode } from '../modules/transfers/transfer.enums.js';
import { AccountType } from '../accounting/ledger/index.js';

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

const { ASSET, LIABILITY, EXPENSE } = AccountType;

// ---------------------------------------------------------------- Aurora Oy (Finland, EUR)

const AURORA_ACCOUNTS: AccountDef[] = [
  { code: '1700', name: 'Short-term receivables', type: ASSET, postable: false },
  { code: '1763', name: 'VAT receivable', type: ASSET },
  { code: '1900', name: 'Cash and bank', type: ASSET, postable: false },
  { code: '1910', name: 'Bank, Nordea', type: ASSET },
  { code: '1911', name: 'Bank, OP', type: ASSET },
  { code: '2800', name: 'Short-term liabilities', type: LIABILITY, postable: false },
  { code: '2871', name: 'Accounts payable', type: LIABILITY },
  { code: '2939', name: 'VAT payable', type: LIABILITY },
  { code: '4000', name: 'Purchases', type: EXPENSE, postable: false },
  { code: '4010', name: 'Materials and supplies', type: EXPENSE },
  { code: '4020', name: 'Goods for resale', type: EXPENSE },
  { code: '4100', name: 'Purchases from the EU (reverse charge)', type: EXPENSE },
  { code: '4400', name: 'Subcontracting', type: EXPENSE },
  { code: '4450', name: 'Freight and logistics', type: EXPENSE },
  { code: '6000', name: 'Personnel expenses', type: EXPENSE, postable: false },
  { code: '6300', name: 'Occupational health care', type: EXPENSE },
  { code: '6410', name: 'Staff events and catering', type: EXPENSE },
  { code: '6420', name: 'Staff training', type: EXPENSE },
  { code: '7000', name: 'Other operating expenses', type: EXPENSE, postable: false },
  { code: '7010', name: 'Rent', type: EXPENSE },
  { code: '7050', name: 'Electricity and heating', type: EXPENSE },
  { code: '7100', name: 'Cleaning and maintenance', type: EXPENSE },
  { code: '7300', name: 'Travel expenses', type: EXPENSE },
  { code: '7400', name: 'Marketing and advertising', type: EXPENSE },
  { code: '7500', name: 'Office supplies', type: EXPENSE },
  { code: '7550', name: 'Telephone and internet', type: EXPENSE },
  { code: '7600', name: 'IT services and software', type: EXPENSE },
  { code: '7650', name: 'Accounting and audit fees', type: EXPENSE },
  { code: '7690', name: 'Software licences (closed 2024)', type: EXPENSE, active: false },
  { code: '7700', name: 'Insurance premiums', type: EXPENSE },
  { code: '7800', name: 'Newspapers and subscriptions', type: EXPENSE },
  { code: '7900', name: 'Other expenses', type: EXPENSE },
];

const AURORA_VAT: VatCodeDef[] = [
  { code: 'FI255', name: 'VAT 25.5 %', rate: '25.50', kind: 'standard', validFrom: '2024-09-01' },
  { code: 'FI24', name: 'VAT 24 %', rate: '24.00', kind: 'standard', validTo: '2024-08-31' },
  {
    code: 'FI14',
    name: 'VAT 14 % (reduced)',
    rate: '14.00',
    kind: 'reduced',
    validTo: '2025-12-31',
  },
  {
    code: 'FI135',
    name: 'VAT 13.5 % (reduced)',
    rate: '13.50',
    kind: 'reduced',
    validFrom: '2026-01-01',
  },
  { code: 'FI10', name: 'VAT 10 % (newspapers and magazines)', rate: '10.00', kind: 'low' },
  { code: 'FI0', name: 'VAT 0 % (exempt)', rate: '0.00', kind: 'zero' },
  {
    code: 'EURC',
    name: 'EU purchases, reverse charge 25.5 %',
    rate: '25.50',
    kind: 'reverseCharge',
    reverseCharge: true,
  },
];

const AURORA_COST_UNITS: CostUnitDef[] = [
  { code: '100', name: 'Administration' },
  { code: '200', name: 'Sales' },
  { code: '300', name: 'Production' },
  { code: '400', name: 'Logistics' },
  { code: '500', name: 'Research and development' },
  { code: '600', name: 'Marketing' },
  { code: '900', name: 'Tampere office (closed)', active: false },
];

const AURORA_SUPPLIERS: SupplierDef[] = [
  {
    name: 'Kiinteistö Oy Aurora Business Park',
    country: 'FI',
    accountNo: 1001,
    vat: 'standard',
    accounts: ['7010'],
    costUnits: ['100'],
    terms: 14,
    net: [4850, 4850],
    lines: [1, 1],
    descriptions: ['Office rent'],
    numberStyle: 'yearDash',
    monthly: { day: 1, net: [4850, 4850], description: 'Office rent, Ruoholahdenkatu 21' },
    weight: 0,
  },
  {
    name: 'Pääkaupungin Energia Oy',
    country: 'FI',
    accountNo: 1002,
    vat: 'standard',
    accounts: ['7050'],
    costUnits: ['100', '300'],
    terms: 21,
    net: [410, 1180],
    lines: [1, 2],
    descriptions: ['Electricity', 'District heating', 'Electricity transmission'],
    numberStyle: 'plain',
    monthly: { day: 5, net: [480, 1240], description: 'Electricity and district heating' },
    weight: 0,
  },
  {
    name: 'Tietoverkko Nord Oy',
    country: 'FI',
    accountNo: 1003,
    vat: 'standard',
    accounts: ['7550'],
    costUnits: ['100', '200'],
    terms: 14,
    net: [38, 420],
    lines: [1, 3],
    descriptions: ['Mobile subscriptions', 'Fibre connection 1 Gbit/s', 'Switchboard service'],
    numberStyle: 'plain',
    monthly: { day: 3, net: [389.6, 461.2], description: 'Mobile and broadband subscriptions' },
    weight: 0,
  },
  {
    name: 'Pilvipalvelu Saarinen Oy',
    country: 'FI',
    accountNo: 1004,
    vat: 'standard',
    accounts: ['7600'],
    costUnits: ['100', '500'],
    terms: 14,
    net: [180, 3800],
    lines: [1, 3],
    descriptions: [
      'Cloud servers',
      'Microsoft 365 licences',
      'Backup service',
      'Helpdesk hours',
      'ERP maintenance',
    ],
    numberStyle: 'prefix',
    numberPrefix: 'PS-',
    monthly: { day: 2, net: [1240, 1890], description: 'Cloud hosting and licences' },
    weight: 3,
  },
  {
    name: 'Kiiltävä Siivous Oy',
    country: 'FI',
    accountNo: 1005,
    vat: 'standard',
    accounts: ['7100'],
    costUnits: ['100', '300'],
    terms: 14,
    net: [890, 890],
    lines: [1, 1],
    descriptions: ['Office cleaning'],
    numberStyle: 'slashYear',
    monthly: { day: 28, net: [890, 890], description: 'Office cleaning, monthly contract' },
    weight: 0,
  },
  {
    name: 'Järvinen & Laine Tilintarkastus Oy',
    country: 'FI',
    accountNo: 1006,
    vat: 'standard',
    accounts: ['7650'],
    costUnits: ['100'],
    terms: 14,
    net: [650, 4200],
    lines: [1, 2],
    descriptions: [
      'Audit of financial statements',
      'Tax advisory',
      'Interim audit',
      'Payroll consulting',
    ],
    numberStyle: 'yearDash',
    weight: 3,
  },
  {
    name: 'Metsä-Suomen Materiaalit Oy',
    country: 'FI',
    accountNo: 1007,
    vat: 'standard',
    accounts: ['4010', '4020'],
    costUnits: ['300', '400'],
    terms: 30,
    net: [240, 6800],
    lines: [1, 4],
    descriptions: [
      'Birch plywood 18 mm',
      'Steel sheet 2 mm',
      'Fasteners assortment',
      'Hydraulic hoses',
      'Packaging materials',
      'Pine timber 50x100',
    ],
    numberStyle: 'plain',
    weight: 16,
  },
  {
    name: 'Lapin Logistiikka Oy',
    country: 'FI',
    accountNo: 1008,
    vat: 'standard',
    accounts: ['4450'],
    costUnits: ['400'],
    terms: 21,
    net: [120, 2400],
    lines: [1, 3],
    descriptions: [
      'Freight Helsinki–Oulu',
      'Pallet storage',
      'Express delivery',
      'Freight Vantaa–Rovaniemi',
    ],
    numberStyle: 'prefix',
    numberPrefix: 'LL',
    weight: 12,
  },
  {
    name: 'Pohjolan Paperi Oy',
    country: 'FI',
    accountNo: 1009,
    vat: 'standard',
    accounts: ['7500'],
    costUnits: ['100', '200'],
    terms: 14,
    net: [24, 580],
    lines: [1, 4],
    descriptions: [
      'Copy paper A4',
      'Toner cartridges',
      'Office stationery',
      'Envelopes and labels',
      'Whiteboard markers',
    ],
    numberStyle: 'plain',
    weight: 10,
  },
  {
    name: 'Mainostoimisto Revontuli Oy',
    country: 'FI',
    accountNo: 1010,
    vat: 'standard',
    accounts: ['7400'],
    costUnits: ['600', '200'],
    terms: 14,
    net: [800, 8900],
    lines: [1, 3],
    descriptions: [
      'Campaign design',
      'Social media advertising',
      'Trade fair stand graphics',
      'Brochure printing',
      'Web site update',
    ],
    numberStyle: 'yearDash',
    weight: 7,
  },
  {
    name: 'Ravintola Kultainen Kauha Oy',
    country: 'FI',
    accountNo: 1011,
    vat: 'reduced',
    accounts: ['6410'],
    costUnits: ['100', '200', '300'],
    terms: 14,
    net: [85, 1650],
    lines: [1, 2],
    descriptions: [
      'Lunch catering, team meeting',
      'Christmas party catering',
      'Customer seminar lunch',
      'Meeting refreshments',
    ],
    numberStyle: 'plain',
    weight: 8,
  },
  {
    name: 'Hotelli Pohjantähti Oy',
    country: 'FI',
    accountNo: 1012,
    vat: 'reduced',
    accounts: ['7300'],
    costUnits: ['200', '500'],
    terms: 14,
    net: [98, 1240],
    lines: [1, 2],
    descriptions: ['Accommodation, Oulu', 'Accommodation, Tampere', 'Meeting room rental'],
    numberStyle: 'prefix',
    numberPrefix: 'HP',
    weight: 6,
  },
  {
    name: 'Kustannus Oy Talousviesti',
    country: 'FI',
    accountNo: 1013,
    vat: 'low',
    accounts: ['7800'],
    costUnits: ['100'],
    terms: 14,
    net: [39, 690],
    lines: [1, 1],
    descriptions: [
      'Talousviesti subscription, 12 months',
      'Trade magazine subscription',
      'Digital newspaper subscription',
    ],
    numberStyle: 'plain',
    weight: 3,
  },
  {
    name: 'Työterveys Aalto Oy',
    country: 'FI',
    accountNo: 1014,
    vat: 'zero',
    accounts: ['6300'],
    costUnits: ['100', '300'],
    terms: 14,
    net: [95, 2300],
    lines: [1, 3],
    descriptions: ['Occupational health care services', 'Health examinations', 'Vaccinations'],
    numberStyle: 'plain',
    weight: 5,
  },
  {
    name: 'Keskinäinen Vakuutusyhtiö Ilmatar',
    country: 'FI',
    accountNo: 1015,
    vat: 'zero',
    accounts: ['7700'],
    costUnits: ['100'],
    terms: 30,
    net: [420, 3600],
    lines: [1, 2],
    descriptions: [
      'Property insurance',
      'Liability insurance',
      'Vehicle insurance',
      'Travel insurance',
    ],
    numberStyle: 'yearDash',
    weight: 3,
  },
  {
    name: 'Baltic Components OÜ',
    country: 'EE',
    accountNo: 1016,
    vat: 'reverseCharge',
    accounts: ['4100'],
    costUnits: ['300'],
    terms: 30,
    net: [900, 14500],
    lines: [1, 3],
    descriptions: ['Electronic components', 'Cable harnesses', 'Control units', 'Sensor modules'],
    numberStyle: 'prefix',
    numberPrefix: 'BC-',
    weight: 7,
  },
  {
    name: 'Nordwerk Industrietechnik GmbH',
    country: 'DE',
    accountNo: 1017,
    vat: 'reverseCharge',
    accounts: ['4100'],
    costUnits: ['300', '500'],
    terms: 30,
    net: [1200, 18000],
    lines: [1, 2],
    descriptions: ['CNC spare parts', 'Bearings and seals', 'Pneumatic cylinders'],
    numberStyle: 'prefix',
    numberPrefix: 'RE',
    weight: 5,
  },
  {
    name: 'Konepaja Heikkinen Oy',
    country: 'FI',
    accountNo: 1018,
    vat: 'standard',
    accounts: ['4400'],
    costUnits: ['300'],
    terms: 21,
    net: [600, 7800],
    lines: [1, 3],
    descriptions: [
      'Machining work',
      'Welding work',
      'Surface treatment',
      'Assembly subcontracting',
    ],
    numberStyle: 'yearDash',
    weight: 9,
  },
  {
    name: 'Koulutuskeskus Taito Oy',
    country: 'FI',
    accountNo: 1019,
    vat: 'standard',
    accounts: ['6420'],
    costUnits: ['100', '200', '500'],
    terms: 14,
    net: [290, 3900],
    lines: [1, 2],
    descriptions: [
      'Excel course',
      'First aid training',
      'Leadership coaching',
      'Forklift licence training',
    ],
    numberStyle: 'plain',
    weight: 4,
  },
  {
    // A new supplier not yet added to the ledger: its transfers fail with SUPPLIER_NOT_IN_LEDGER.
    name: 'Paahtimo Aalto Oy',
    country: 'FI',
    accountNo: 1020,
    inLedger: false,
    vat: 'reduced',
    accounts: ['6410', '7500'],
    costUnits: ['100'],
    terms: 14,
    net: [45, 620],
    lines: [1, 2],
    descriptions: ['Coffee beans, office', 'Coffee machine service', 'Tea and refreshments'],
    numberStyle: 'plain',
    weight: 0,
  },
];

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

const BOREALIS_ACCOUNTS: AccountDef[] = [
  { code: '1900', name: 'Kassa och bank', type: ASSET, postable: false },
  { code: '1930', name: 'Företagskonto', type: ASSET },
  {
    code: '2400',
    name: 'Kortfristiga skulder till kreditinstitut och leverantörer',
    type: LIABILITY,
    postable: false,
  },
  { code: '2440', name: 'Leverantörsskulder', type: LIABILITY },
  { code: '2600', name: 'Moms och särskilda punktskatter', type: LIABILITY, postable: false },
  { code: '2614', name: 'Utgående moms omvänd skattskyldighet, 25 %', type: LIABILITY },
  { code: '2640', name: 'Ingående moms', type: ASSET },
  { code: '4000', name: 'Inköp av varor och material', type: EXPENSE, postable: false },
  { code: '4010', name: 'Inköp material och varor', type: EXPENSE },
  { code: '4515', name: 'Inköp av varor från annat EU-land, 25 %', type: EXPENSE },
  { code: '5000', name: 'Lokalkostnader', type: EXPENSE, postable: false },
  { code: '5010', name: 'Lokalhyra', type: EXPENSE },
  { code: '5020', name: 'El för belysning', type: EXPENSE },
  { code: '5060', name: 'Städning och renhållning', type: EXPENSE },
  { code: '5460', name: 'Förbrukningsmaterial', type: EXPENSE },
  { code: '5800', name: 'Resekostnader', type: EXPENSE },
  { code: '5910', name: 'Annonsering', type: EXPENSE },
  {
    code: '6000',
    name: 'Övriga försäljnings- och administrationskostnader',
    type: EXPENSE,
    postable: false,
  },
  { code: '6110', name: 'Kontorsmateriel', type: EXPENSE },
  { code: '6212', name: 'Mobiltelefon', type: EXPENSE },
  { code: '6230', name: 'Datakommunikation', type: EXPENSE },
  { code: '6540', name: 'IT-tjänster', type: EXPENSE },
  { code: '6550', name: 'Konsultarvoden (ersatt av 6590)', type: EXPENSE, active: false },
  { code: '6590', name: 'Övriga externa tjänster', type: EXPENSE },
];

const BOREALIS_VAT: VatCodeDef[] = [
  { code: 'SE25', name: 'Moms 25 %', rate: '25.00', kind: 'standard' },
  { code: 'SE12', name: 'Moms 12 %', rate: '12.00', kind: 'reduced' },
  { code: 'SE6', name: 'Moms 6 %', rate: '6.00', kind: 'low' },
  { code: 'SE0', name: 'Momsfri', rate: '0.00', kind: 'zero' },
  {
    code: 'EURC',
    name: 'EU-inköp, omvänd skattskyldighet 25 %',
    rate: '25.00',
    kind: 'reverseCharge',
    reverseCharge: true,
  },
];

const BOREALIS_COST_UNITS: CostUnitDef[] = [
  { code: 'K10', name: 'Ledning' },
  { code: 'K20', name: 'Försäljning' },
  { code: 'K30', name: 'Produktion' },
  { code: 'K40', name: 'Lager' },
  { code: 'K50', name: 'Utveckling' },
  { code: 'K60', name: 'Marknad' },
  { code: 'K90', name: 'Göteborgskontoret (stängt)', active: false },
];

const BOREALIS_SUPPLIERS: SupplierDef[] = [
  {
    name: 'Bergström Fastigheter AB',
    country: 'SE',
    accountNo: 2001,
    vat: 'standard',
    accounts: ['5010'],
    costUnits: ['K10'],
    terms: 30,
    net: [38500, 38500],
    lines: [1, 1],
    descriptions: ['Lokalhyra'],
    numberStyle: 'plain',
    monthly: { day: 1, net: [38500, 38500], description: 'Lokalhyra, Sveavägen 44' },
    weight: 0,
  },
  {
    name: 'Norrsken Energi AB',
    country: 'SE',
    accountNo: 2002,
    vat: 'standard',
    accounts: ['5020'],
    costUnits: ['K10', 'K30'],
    terms: 20,
    net: [2100, 9800],
    lines: [1, 2],
    descriptions: ['Elförbrukning', 'Elnätsavgift'],
    numberStyle: 'plain',
    weight: 4,
  },
  {
    name: 'Svea IT-drift AB',
    country: 'SE',
    accountNo: 2003,
    vat: 'standard',
    accounts: ['6540'],
    costUnits: ['K10', 'K50'],
    terms: 30,
    net: [1800, 42000],
    lines: [1, 3],
    descriptions: ['Drift och support', 'Molnservrar', 'Licenser Microsoft 365', 'Konsulttimmar'],
    numberStyle: 'prefix',
    numberPrefix: 'SV',
    weight: 6,
  },
  {
    name: 'Telekom Norr AB',
    country: 'SE',
    accountNo: 2004,
    vat: 'standard',
    accounts: ['6212', '6230'],
    costUnits: ['K10', 'K20'],
    terms: 30,
    net: [450, 6200],
    lines: [1, 2],
    descriptions: ['Mobilabonnemang', 'Fiberanslutning', 'Växeltjänst'],
    numberStyle: 'plain',
    weight: 4,
  },
  {
    name: 'Kungsholmens Städ AB',
    country: 'SE',
    accountNo: 2005,
    vat: 'standard',
    accounts: ['5060'],
    costUnits: ['K10'],
    terms: 30,
    net: [6400, 7900],
    lines: [1, 1],
    descriptions: ['Kontorsstädning'],
    numberStyle: 'yearDash',
    weight: 3,
  },
  {
    name: 'Fjällmark Reklambyrå AB',
    country: 'SE',
    accountNo: 2006,
    vat: 'standard',
    accounts: ['5910'],
    costUnits: ['K60', 'K20'],
    terms: 30,
    net: [9000, 85000],
    lines: [1, 3],
    descriptions: ['Kampanjproduktion', 'Annonser sociala medier', 'Mässmaterial'],
    numberStyle: 'yearDash',
    weight: 3,
  },
  {
    name: 'Hansa Components GmbH',
    country: 'DE',
    accountNo: 2007,
    vat: 'reverseCharge',
    accounts: ['4515'],
    costUnits: ['K30'],
    terms: 30,
    net: [12000, 160000],
    lines: [1, 3],
    descriptions: ['Elektronikkomponenter', 'Kabelsatser', 'Styrenheter'],
    numberStyle: 'prefix',
    numberPrefix: 'HC-',
    weight: 5,
  },
  {
    name: 'Hotell Nordstjärnan AB',
    country: 'SE',
    accountNo: 2008,
    vat: 'reduced',
    accounts: ['5800'],
    costUnits: ['K20', 'K50'],
    terms: 30,
    net: [1100, 14500],
    lines: [1, 2],
    descriptions: ['Logi, Luleå', 'Logi, Umeå', 'Konferenslokal'],
    numberStyle: 'plain',
    weight: 3,
  },
];

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

// ---------------------------------------------------------------- identifiers with check digits

/** Finnish business ID (Y-tunnus) with its check digit, from a 7-digit base. */
export function finnishBusinessId(base: number): string {
  for (let b = base; ; b++) {
    const digits = String(b % 10_000_000).padStart(7, '0');
    const weights = [7, 9, 10, 5, 8, 4, 2];
    const sum = digits.split('').reduce((s, d, i) => s + Number(d) * weights[i], 0);
    const r = sum % 11;
    if (r === 1) continue;
    return `${digits}-${r === 0 ? 0 : 11 - r}`;
  }
}

/** Swedish organisation number 556xxx-xxxx with its Luhn check digit. */
export function swedishOrgNumber(base: number): string {
  const nine = `556${String(base % 1_000_000).padStart(6, '0')}`;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let v = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (v > 9) v -= 9;
    sum += v;
  }
  const check = (10 - (sum % 10)) % 10;
  return `${nine.slice(0, 6)}-${nine.slice(6)}${check}`;
}

/** IBAN with correct check digits for a country and its BBAN. */
export function iban(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`
    .split('')
    .map((ch) => (/[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch))
    .join('');
  let rem = 0;
  for (const ch of rearranged) rem = (rem * 10 + Number(ch)) % 97;
  const check = String(98 - rem).padStart(2, '0');
  return `${country}${check}${bban}`;
}

/** The organization's own bank account (statements are imported for it). */
export function demoBankAccountIban(country: string): string {
  return country === 'SE' ? iban('SE', '50000000058398257466') : iban('FI', '12345600000785');
}

/** The payment reference (Finnish, with its check digit) the demo supplier asks for. */
export function demoPaymentReference(n: number): string {
  const base = String(10_000 + n);
  return `${base}${finnishCheckDigit(base)}`;
}
