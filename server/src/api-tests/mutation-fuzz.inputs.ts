/**
 * The fuzzer's inputs: values for each argument by its name and type (plausible ones mixed with
 * wrong types, huge strings, unicode, bad amounts and dates, foreign and missing ids), and the
 * corruption of a valid input. Used by mutation-fuzz.harness.ts.
 */
import fc from 'fast-check';
import {
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLInputType,
} from 'graphql';
import { gid, TEST_PASSWORD } from '../testing/factories.js';

export type Pools = Record<string, { own: string[]; foreign: string[] }>;

/** Which kind of object an id field names, by its name. */
function idTypeOf(field: string): string | null {
  const f = field.replace(/Ids?$/, '').toLowerCase();
  const map: Record<string, string> = {
    organization: 'Organization',
    invoice: 'PurchaseInvoice',
    supplier: 'Supplier',
    approvalprocess: 'ApprovalProcess',
    transfer: 'Transfer',
    payment: 'Payment',
    ledgerentry: 'LedgerEntry',
    period: 'AccountingPeriod',
    returntostage: 'ApprovalStage',
    approveruser: 'User',
    apitoken: 'ApiClient',
    batch: 'TransferBatch',
    entry: 'BankStatementEntry',
    '': 'ApprovalStage', // ApprovalStageInput.id
  };
  return map[f] ?? null;
}

// ---- value generators -------------------------------------------------------------------------

/** Bank statements for the tenants' account (FUZZ_BANK_IBAN): valid, duplicate-prone, hostile. */
export const FUZZ_BANK_IBAN = 'FI2112345600000785';
export const camt = (id: string, entries: string, ccy = 'EUR') =>
  `<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>F</MsgId></GrpHdr><Stmt><Id>${id}</Id><Acct><Id><IBAN>${FUZZ_BANK_IBAN}</IBAN></Id><Ccy>${ccy}</Ccy></Acct>${entries}</Stmt></BkToCstmrStmt></Document>`;
export const fuzzEntry = (ref: string, amount: string) =>
  `<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-01-02</Dt></BookgDt><AcctSvcrRef>${ref}</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Ustrd>INV 1</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`;
const FUZZ_BANK_DOCUMENTS = [
  camt('FZ-1', fuzzEntry('FZ-E1', '10.00')),
  camt('FZ-2', fuzzEntry('FZ-E1', '10.00') + fuzzEntry('FZ-E2', '125.50')),
  camt('FZ-3', '', 'SEK'),
  camt('FZ-4', fuzzEntry('FZ-E4', '1,00')),
  camt('FZ-5', '').replace(
    '<Document',
    '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document',
  ),
  camt('FZ-6', '').replace(FUZZ_BANK_IBAN, 'FI4950000120000000'),
  camt('FZ-7', '').replace('camt.053.001.02', 'camt.053.001.99'),
  camt('FZ-8', fuzzEntry('FZ-E8', '1.00')).slice(0, 200),
];

const huge = fc.constantFrom(
  'x'.repeat(5_000),
  '€'.repeat(5_000),
  '\u202e'.repeat(20_000),
  'a'.repeat(20_000),
);
const nasty = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\t\n',
  "'; drop table purchase_invoice; --",
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '${7*7}',
  'Ω≈ç√∫˜µ≤≥÷',
  '👩‍👩‍👧‍👦🇫🇮',
  'مرحبا',
  '\ud800',
  'NULL',
  'undefined',
  '0x7fffffff',
);
const anyString = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: nasty },
  { weight: 1, arbitrary: huge },
);

/** Amounts the Decimal scalar takes, many of which the business rules refuse. */
const money = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 1_000_000 }).map((c) => (c / 100).toFixed(2)) },
  { weight: 2, arbitrary: fc.constantFrom('100.00', '25.50', '125.50', '0.00', '0', '10') },
  {
    weight: 2,
    arbitrary: fc.integer({ min: -1_000_000, max: -1 }).map((c) => (c / 100).toFixed(2)),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '99999999999999999',
      '10000000000000.00',
      '9999999999999.99',
      '1.234',
      '0.0001',
      '-0.01',
      '-99999999999999999.9999',
    ),
  },
);
/** Dates the Date scalar takes, many of which the business rules refuse. */
const date = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .integer({ min: -800, max: 400 })
      .map((d) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10)),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '0001-01-01',
      '1900-01-01',
      '1999-12-31',
      '2100-01-01',
      '9999-12-31',
      '2024-02-29',
    ),
  },
);
const int = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 5 }) },
  { weight: 2, arbitrary: fc.constantFrom(-1, -2147483648, 2147483647, 0, 1000) },
  { weight: 1, arbitrary: fc.integer() },
);

/** Plausible strings by field name, so a call gets past its first check often enough. */
function stringFor(field: string): fc.Arbitrary<unknown> {
  const plausible: Record<string, fc.Arbitrary<string>> = {
    idempotencyKey: fc.uuid(),
    currency: fc.constantFrom('EUR', 'SEK', 'XXX', 'eur', 'EURO'),
    accountCode: fc.constantFrom('4010', '6800', '7300', '4000', '7390', '9999'),
    costUnitCode: fc.constantFrom('ADM', 'SAL', 'OLD', 'NOPE'),
    vatCode: fc.constantFrom('VAT255', 'VAT14', 'VAT135', 'VAT0', 'EURC', 'VAT99'),
    email: fc.constantFrom(
      'admin@fza.test',
      'admin@fzb.test',
      'nobody@fza.test',
      'ADMIN@FZA.TEST',
      'not-an-email',
    ),
    password: fc.constantFrom(TEST_PASSWORD, 'wrong password'),
    invoiceNumber: fc.string({ minLength: 1, maxLength: 20 }),
    name: fc.string({ minLength: 1, maxLength: 30 }),
    document: fc.constantFrom(...FUZZ_BANK_DOCUMENTS),
  };
  const p = plausible[field];
  return p ? fc.oneof({ weight: 3, arbitrary: p }, { weight: 1, arbitrary: anyString }) : anyString;
}

function idFor(field: string, pools: Pools): fc.Arbitrary<unknown> {
  const type = idTypeOf(field);
  const pool = type ? pools[type] : undefined;
  const options: fc.WeightedArbitrary<unknown>[] = [
    { weight: 1, arbitrary: fc.uuid().map((u) => gid((type ?? 'PurchaseInvoice') as never, u)) }, // missing
    { weight: 1, arbitrary: fc.uuid().map((u) => gid('Supplier', u)) }, // wrong type
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.uuid(),
        anyString,
        fc.constantFrom('T3Jn', 'UHVyY2hhc2VJbnZvaWNlOm5vdC1hLXV1aWQ'),
      ),
    }, // garbage
  ];
  if (pool?.own.length) options.push({ weight: 5, arbitrary: fc.constantFrom(...pool.own) });
  if (pool?.foreign.length)
    options.push({ weight: 2, arbitrary: fc.constantFrom(...pool.foreign) });
  return fc.oneof(...options);
}

export function valueFor(
  type: GraphQLInputType,
  field: string,
  pools: Pools,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return valueFor(type.ofType, field, pools, depth);
  if (isListType(type)) {
    const item = valueFor(type.ofType, field, pools, depth + 1);
    return fc.oneof(
      { weight: 6, arbitrary: fc.array(item, { minLength: 1, maxLength: 3 }) },
      { weight: 1, arbitrary: fc.constant([]) },
      {
        weight: depth === 0 ? 1 : 0,
        arbitrary: fc.array(item, { minLength: 501, maxLength: 520 }),
      },
    );
  }
  if (isInputObjectType(type)) {
    if (depth > 3) return fc.constant({});
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    const required: string[] = [];
    for (const f of Object.values(type.getFields())) {
      model[f.name] = valueFor(f.type, f.name, pools, depth + 1);
      if (isNonNullType(f.type)) required.push(f.name);
    }
    return fc.record(model, { requiredKeys: required });
  }
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name));
  switch (type.name) {
    case 'ID':
      return idFor(field, pools);
    case 'Int':
      return int;
    case 'Float':
      return fc.double();
    case 'Boolean':
      return fc.boolean();
    case 'Decimal':
      return money;
    case 'Date':
    case 'DateTime':
      return date;
    default:
      return stringFor(field);
  }
}

/**
 * What a corruption puts somewhere in an input: values of the wrong GraphQL type, and strings
 * that the Decimal and Date scalars refuse (bad amounts, impossible dates). Most make the input
 * type-invalid (refused before anything runs); in a String field some are just odd strings.
 */
export const wrongType = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant({ nested: { deeper: true } }),
  fc.constant([[1, 2], ['x']]),
  fc.constant(2 ** 53),
  fc.constant('NOT_AN_ENUM_VALUE'),
  fc.constantFrom(
    '1e10',
    'NaN',
    'Infinity',
    '1,00',
    '١٢٣',
    '.5',
    '5.',
    ' 1.00',
    '+1.00',
    '1.00.00',
    '123456789012345678',
    '1.23456',
  ),
  fc.constantFrom(
    '2026-02-30',
    '2025-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-1-1',
    '2026-01-01T00:00:00Z',
    '20260101',
    'yesterday',
    '',
  ),
);

export function corrupt(input: unknown, path: number[], wrong: unknown): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return wrong;
  const keys = Object.keys(input as object);
  const extra = path[0] % (keys.length + 1) === keys.length; // an unknown field
  if (extra) return { ...(input as object), notAField: wrong };
  const key = keys[path[0] % keys.length];
  const value = (input as Record<string, unknown>)[key];
  return {
    ...(input as object),
    [key]:
      path.length > 1 && value && typeof value === 'object'
        ? corrupt(value, path.slice(1), wrong)
        : wrong,
  };
}
