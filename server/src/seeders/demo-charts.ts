/**
 * The ledger side of the demo organizations: charts of accounts, VAT codes and cost units.
 * Pure data, part of demo-catalog.ts.
 */
import { AccountType } from '../accounting/ledger/index.js';
import type { AccountDef, CostUnitDef, VatCodeDef } from './demo-catalog.js';

const { ASSET, LIABILITY, EXPENSE } = AccountType;

// ---------------------------------------------------------------- Aurora Oy (Finland, EUR)

export const AURORA_ACCOUNTS: AccountDef[] = [
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

export const AURORA_VAT: VatCodeDef[] = [
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

export const AURORA_COST_UNITS: CostUnitDef[] = [
  { code: '100', name: 'Administration' },
  { code: '200', name: 'Sales' },
  { code: '300', name: 'Production' },
  { code: '400', name: 'Logistics' },
  { code: '500', name: 'Research and development' },
  { code: '600', name: 'Marketing' },
  { code: '900', name: 'Tampere office (closed)', active: false },
];

// ---------------------------------------------------------------- Borealis AB (Sweden, SEK)

export const BOREALIS_ACCOUNTS: AccountDef[] = [
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

export const BOREALIS_VAT: VatCodeDef[] = [
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

export const BOREALIS_COST_UNITS: CostUnitDef[] = [
  { code: 'K10', name: 'Ledning' },
  { code: 'K20', name: 'Försäljning' },
  { code: 'K30', name: 'Produktion' },
  { code: 'K40', name: 'Lager' },
  { code: 'K50', name: 'Utveckling' },
  { code: 'K60', name: 'Marknad' },
  { code: 'K90', name: 'Göteborgskontoret (stängt)', active: false },
];
