/** A local accountsIQ company matching a test tenant's master data, for the connection tests. */
import {
  startLocalAccountsIq,
  type LocalAccountsIq,
  type LocalCompanySeed,
} from '../../accounting/accountsiq/index.js';
import type { Tenant } from '../../testing/factories.js';

/** A recognisable secret: the secrets test greps everything for it. */
export const AIQ_SECRET = 'zz-SECRET-e7c1b9d4-3f9a';

/** Twelve open monthly periods of this year, so today's invoices land where they are dated. */
function periodsOfThisYear(): LocalCompanySeed['periods'] {
  const year = new Date().getUTCFullYear();
  return Array.from({ length: 12 }, (_, m) => {
    const start = new Date(Date.UTC(year, m, 1)).toISOString().slice(0, 10);
    const end = new Date(Date.UTC(year, m + 1, 0)).toISOString().slice(0, 10);
    return { name: `${year}/${String(m + 1).padStart(2, '0')}`, start, end, open: true };
  });
}

export function companyFor(
  tenant: Tenant,
  entity: string,
  opts: { supplierCount?: number } = {},
): LocalCompanySeed {
  return {
    entity,
    clientId: `client-${entity}`,
    clientSecret: AIQ_SECRET,
    companyName: `${entity} Ltd`,
    currencies: ['EUR'],
    glAccounts: [
      { code: '4010', name: 'Materials', postable: true, active: true, type: 'EXPENSE' },
      { code: '6800', name: 'Office supplies', postable: true, active: true, type: 'EXPENSE' },
      { code: '2100', name: 'Creditors', postable: true, active: true, type: 'CREDITORS_CONTROL' },
      { code: '2200', name: 'VAT', postable: true, active: true, type: 'VAT' },
      { code: '1200', name: 'Bank', postable: true, active: true, type: 'BANK' },
    ],
    taxCodes: [
      { code: 'VAT255', rate: '25.50', description: 'Standard 25.5 %' },
      { code: 'VAT0', rate: '0.00', description: 'Zero' },
    ],
    departments: [{ code: 'ADM', name: 'Administration' }],
    suppliers: tenant.suppliers
      .slice(0, opts.supplierCount ?? tenant.suppliers.length)
      .map((s) => ({ code: s.accountName, name: s.name, active: true })),
    periods: periodsOfThisYear(),
  };
}

export async function startAiqFor(
  tenant: Tenant,
  entity: string,
  opts: { supplierCount?: number } = {},
): Promise<{ aiq: LocalAccountsIq; seed: LocalCompanySeed }> {
  const aiq = await startLocalAccountsIq();
  const seed = companyFor(tenant, entity, opts);
  aiq.addCompany(seed);
  return { aiq, seed };
}
