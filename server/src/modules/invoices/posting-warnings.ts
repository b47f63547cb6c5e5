import type { AccountingSystem } from '../../accounting/accounting-system.js';
import type { Warning } from '../../common/payload.types.js';

interface LineCodes {
  accountCode: string;
  costUnitCode?: string | null;
  vatCode: string;
}

/**
 * Checks posting lines against the ledger's master data, as the user types: unknown or
 * non-posting accounts, unknown or inactive cost units, unknown VAT codes or codes not valid on
 * the bill date. They do not stop a save; they would stop the transfer.
 */
export async function postingWarnings(
  /** The accounting system, or a page's loader of its master data (one read per organization). */
  accounting: Pick<AccountingSystem, 'getMasterData'>,
  organizationId: string,
  billDate: string,
  lines: LineCodes[],
): Promise<Warning[]> {
  if (!lines.length) return [];
  const md = await accounting.getMasterData(organizationId);
  const accounts = new Map(md.accounts.map((a) => [a.code, a]));
  const costUnits = new Map(md.costUnits.map((c) => [c.code, c]));
  const vatCodes = new Map(md.vatCodes.map((v) => [v.code, v]));
  const warnings: Warning[] = [];
  lines.forEach((line, i) => {
    const at = (name: string) => ['lines', String(i), name];
    const account = accounts.get(line.accountCode);
    if (!line.accountCode) {
      // A proposed line (e-invoice intake) whose account nobody has chosen yet.
      warnings.push({
        code: 'ACCOUNT_MISSING',
        message: `Line ${i + 1} has no account yet: choose the expense account`,
        field: at('accountCode'),
      });
    } else if (!account) {
      warnings.push({
        code: 'ACCOUNT_NOT_FOUND',
        message: `Account ${line.accountCode} does not exist in the ledger`,
        field: at('accountCode'),
      });
    } else if (!account.postable || !account.active) {
      warnings.push({
        code: 'ACCOUNT_NOT_POSTABLE',
        message: `Account ${line.accountCode} ${account.name} is ${!account.postable ? 'a header account' : 'inactive'} and cannot be posted to`,
        field: at('accountCode'),
      });
    }
    if (line.costUnitCode) {
      const cu = costUnits.get(line.costUnitCode);
      if (!cu || !cu.active) {
        warnings.push({
          code: 'COST_UNIT_INVALID',
          message: `Cost unit ${line.costUnitCode} ${!cu ? 'does not exist' : 'is inactive'}`,
          field: at('costUnitCode'),
        });
      }
    }
    const vat = vatCodes.get(line.vatCode);
    if (!line.vatCode) {
      warnings.push({
        code: 'VAT_CODE_MISSING',
        message: `Line ${i + 1} has no VAT code yet (none is mapped for its VAT category and rate): choose one`,
        field: at('vatCode'),
      });
    } else if (!vat) {
      warnings.push({
        code: 'VAT_CODE_INVALID',
        message: `VAT code ${line.vatCode} does not exist in the ledger`,
        field: at('vatCode'),
      });
    } else if (
      (vat.validFrom && billDate < vat.validFrom) ||
      (vat.validTo && billDate > vat.validTo)
    ) {
      warnings.push({
        code: 'VAT_CODE_INVALID',
        message: `VAT code ${line.vatCode} (${vat.rate} %) is not valid on the bill date ${billDate}${vat.validTo ? `: valid until ${vat.validTo}` : ''}${vat.validFrom ? `, from ${vat.validFrom}` : ''}`,
        field: at('vatCode'),
      });
    }
  });
  return warnings;
}
