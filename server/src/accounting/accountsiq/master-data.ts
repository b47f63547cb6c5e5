/** accountsIQ's master data (GL accounts, tax codes, departments, suppliers) as the port's. */
import type { LedgerSettingsInfo, MasterData } from '../accounting-system.js';
import type { AiqSession } from './session.js';
import { items, type Parsed, str } from './soap-values.js';

const bool = (v: unknown) => v === true || String(v as string) === 'true';

export interface AiqGlAccount {
  code: string;
  name: string;
  type: string;
  postable: boolean;
  active: boolean;
}

export async function glAccounts(session: AiqSession): Promise<AiqGlAccount[]> {
  const list = await session.call<Parsed>('GetGLAccountList', {}, 'read');
  return items(list, 'GLAccount').map((a) => ({
    code: str(a.Code),
    name: str(a.Name),
    type: str(a.AccountType),
    postable: bool(a.IsPosting),
    active: bool(a.Active),
  }));
}

export async function loadMasterData(session: AiqSession): Promise<MasterData> {
  const [accounts, taxCodes, departments, suppliers] = await Promise.all([
    glAccounts(session),
    session.call<Parsed>('GetTaxCodeList', {}, 'read'),
    session.call<Parsed>('GetDepartmentList', {}, 'read'),
    session.call<Parsed>('GetSupplierList', {}, 'read'),
  ]);
  return {
    accounts,
    vatCodes: items(taxCodes, 'TaxCode').map((t) => ({
      code: str(t.Code),
      name: str(t.Description),
      rate: str(t.Rate),
      reverseCharge: bool(t.IsReverseCharge),
      validFrom: null,
      validTo: null,
    })),
    costUnits: items(departments, 'Department').map((d) => ({
      code: str(d.DepartmentID),
      name: str(d.Name),
      active: bool(d.Active),
    })),
    supplierAccounts: items(suppliers, 'Supplier').map((s) => ({
      accountName: str(s.Code),
      name: str(s.Name),
      active: bool(s.Active),
    })),
  };
}

/** accountsIQ's control accounts by their account type; it has no accounts-payable lock date. */
export function settingsFrom(accounts: AiqGlAccount[]): LedgerSettingsInfo {
  const of = (type: string) => accounts.find((a) => a.type === type)?.code ?? '';
  return {
    apLockDate: null,
    accountsPayableAccount: of('CREDITORS_CONTROL'),
    vatReceivableAccount: of('VAT'),
    vatPayableAccount: of('VAT'),
    bankAccount: of('BANK'),
  };
}
