/**
 * accountsIQ's ErrorCodes (VisorExceptionCodes, reported inside HTTP 200 answers) as the port's
 * problem codes. Each problem keeps accountsIQ's own code and message beside Ledgerlink's text;
 * a code not listed here becomes VALIDATION with the raw text, never dropped.
 */
import type { AccountingProblem } from '../accounting-system.js';
import { problem } from '../problems.js';

type Code = AccountingProblem['code'];

interface Mapping {
  code: Code;
  ours: string;
  /** The request field the problem points at; a line field when accountsIQ names the line. */
  field: string;
  lineField?: boolean;
}

const line = (code: Code, ours: string, field: string): Mapping => ({
  code,
  ours,
  field,
  lineField: true,
});

export const ERROR_CODE_MAP: Readonly<Record<string, Mapping>> = {
  GLACCOUNT_IS_NOT_POSTING_OR_DOES_NOT_EXIST: line(
    'ACCOUNT_NOT_FOUND',
    'the GL account does not exist in accountsIQ or is not a posting account',
    'accountCode',
  ),
  GLACCOUNT_CODE_DOES_NOT_EXIST: line(
    'ACCOUNT_NOT_FOUND',
    'the GL account does not exist in accountsIQ',
    'accountCode',
  ),
  GLACCOUNT_NOT_FOUND: line(
    'ACCOUNT_NOT_FOUND',
    'the GL account does not exist in accountsIQ',
    'accountCode',
  ),
  GLACCOUNT_CODE_IS_NULL: line('ACCOUNT_NOT_FOUND', 'a GL account is required', 'accountCode'),
  GLACCOUNT_CODE_IS_EMPTY: line('ACCOUNT_NOT_FOUND', 'a GL account is required', 'accountCode'),
  GLACCOUNT_NO_DEPARTMENT_IS_DEPARTMENTAL: line(
    'COST_UNIT_INVALID',
    'the GL account needs a department (cost unit) in accountsIQ',
    'costUnitCode',
  ),
  DEPARTMENT_DOES_NOT_EXIST: line(
    'COST_UNIT_INVALID',
    'the department (cost unit) does not exist in accountsIQ',
    'costUnitCode',
  ),
  TAX_CODE_DOES_NOT_EXIST: line(
    'VAT_CODE_INVALID',
    'the tax code does not exist in accountsIQ',
    'vatCode',
  ),
  TAX_CODE_IS_NULL: line('VAT_CODE_INVALID', 'a tax code is required', 'vatCode'),
  TAX_CODE_IS_EMPTY: line('VAT_CODE_INVALID', 'a tax code is required', 'vatCode'),
  TAX_CODE_IS_EXCLUDED_FROM_RETURN_AND_CANNOT_BE_USED: line(
    'VAT_CODE_INVALID',
    'the tax code is excluded from the VAT return in accountsIQ and cannot be used',
    'vatCode',
  ),
  SUPPLIER_DOES_NOT_EXIST: {
    code: 'SUPPLIER_NOT_IN_LEDGER',
    ours: 'the supplier has no account in accountsIQ',
    field: 'supplierAccountName',
  },
  SUPPLIER_IS_INACTIVE: {
    code: 'SUPPLIER_NOT_IN_LEDGER',
    ours: 'the supplier account is inactive in accountsIQ',
    field: 'supplierAccountName',
  },
  DATE_IS_OUT_OF_RANGE: {
    code: 'PERIOD_LOCKED',
    ours: 'no open financial period of accountsIQ takes this date',
    field: 'documentDate',
  },
  PERIOD_IS_CLOSED: {
    code: 'PERIOD_LOCKED',
    ours: 'the financial period is closed in accountsIQ',
    field: 'documentDate',
  },
  NO_OPEN_PERIOD: {
    code: 'PERIOD_LOCKED',
    ours: 'the period is closed in accountsIQ and no open period follows it',
    field: 'documentDate',
  },
  TOTAL_DOES_NOT_MATCH: {
    code: 'UNBALANCED',
    ours: 'the lines do not add up to the gross amount',
    field: 'grossAmount',
  },
  TRANSACTION_DOES_NOT_EXIST: {
    code: 'ENTRY_NOT_FOUND',
    ours: 'the transaction does not exist in accountsIQ',
    field: 'entryId',
  },
  INVOICE_DOES_NOT_EXIST: {
    code: 'ENTRY_NOT_FOUND',
    ours: 'the invoice does not exist in accountsIQ',
    field: 'entryId',
  },
  CURRENCY_CODE_DOES_NOT_EXIST: {
    code: 'VALIDATION',
    ours: 'the currency is not set up in accountsIQ',
    field: 'currency',
  },
};

const LINE_NUMBER = /\bline (\d+)\b/i;

/**
 * The problem for accountsIQ's `errorCode` / `errorMessage`. `accountExists` tells an account
 * that exists (so it is not postable) from a missing one, which accountsIQ reports with one code.
 */
export function problemFromAiq(
  errorCode: string,
  errorMessage: string,
  accountExists?: (code: string) => boolean,
): AccountingProblem {
  const theirs = `accountsIQ ${errorCode}${errorMessage ? `: ${errorMessage}` : ''}`;
  const mapping = ERROR_CODE_MAP[errorCode];
  if (!mapping) return problem('VALIDATION', `accountsIQ refused the document (${theirs})`);
  const lineNo = LINE_NUMBER.exec(errorMessage);
  const field =
    mapping.lineField && lineNo
      ? ['lines', String(Number(lineNo[1]) - 1), mapping.field]
      : [mapping.field];
  let code = mapping.code;
  let ours = mapping.ours;
  const quoted = /'([^']*)'/.exec(errorMessage)?.[1];
  if (code === 'ACCOUNT_NOT_FOUND' && quoted !== undefined && accountExists?.(quoted)) {
    code = 'ACCOUNT_NOT_POSTABLE';
    ours = `GL account ${quoted} is not a posting account (or is inactive) in accountsIQ`;
  }
  return problem(code, `${ours} (${theirs})`, field);
}
