/**
 * The problems a posting request has against a connected system's cached master data, found
 * before anything is sent: a supplier, account, cost unit or VAT code the system does not have
 * (or has inactive). Dates of VAT codes and balances are the adapter's to check.
 */
import type {
  AccountingProblem,
  InvoicePostingRequest,
  MasterData,
} from '../../accounting/accounting-system.js';

export function masterDataProblems(
  md: MasterData,
  request: InvoicePostingRequest,
): AccountingProblem[] {
  const problems: AccountingProblem[] = [];
  const supplier = md.supplierAccounts.find((s) => s.accountName === request.supplierAccountName);
  if (!supplier || !supplier.active) {
    problems.push({
      code: 'SUPPLIER_NOT_IN_LEDGER',
      message: `supplier account ${request.supplierAccountName} ${supplier ? 'is inactive in' : 'does not exist in'} the connected accounting system`,
      field: ['supplierAccountName'],
    });
  }
  const accounts = new Map(md.accounts.map((a) => [a.code, a]));
  const costUnits = new Map(md.costUnits.map((c) => [c.code, c]));
  const vatCodes = new Set(md.vatCodes.map((v) => v.code));
  request.lines.forEach((line, i) => {
    const at = (name: string) => ['lines', String(i), name];
    const account = accounts.get(line.accountCode);
    if (!account || !account.active)
      problems.push({
        code: 'ACCOUNT_NOT_FOUND',
        message: `account ${line.accountCode} does not exist in the connected accounting system`,
        field: at('accountCode'),
      });
    else if (!account.postable)
      problems.push({
        code: 'ACCOUNT_NOT_POSTABLE',
        message: `account ${line.accountCode} is not postable`,
        field: at('accountCode'),
      });
    if (line.costUnitCode && !costUnits.get(line.costUnitCode)?.active)
      problems.push({
        code: 'COST_UNIT_INVALID',
        message: `cost unit ${line.costUnitCode} does not exist or is inactive in the connected accounting system`,
        field: at('costUnitCode'),
      });
    if (line.vatCode && !vatCodes.has(line.vatCode))
      problems.push({
        code: 'VAT_CODE_INVALID',
        message: `tax code ${line.vatCode} does not exist in the connected accounting system`,
        field: at('vatCode'),
      });
  });
  return problems;
}
