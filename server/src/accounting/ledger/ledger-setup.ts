/**
 * Setting up an organization's ledger: master data, settings and fiscal-year periods.
 *
 * Master data is plain rows of the `ledger` schema keyed by organization id (no foreign keys
 * into the application): `ledger.account`, `ledger.cost_unit`, `ledger.vat_code`,
 * `ledger.supplier_account` (the supplier's "Account Name"), one `ledger.settings` row (lock date,
 * accounts payable / VAT receivable / VAT payable / bank account codes) and monthly
 * `ledger.period` rows. A seeder may insert them with the entities of ledger.entities.ts
 * (`em.create(LedgerAccount, {...})`) or call `createLedgerForOrganization` below; postings need
 * at least the settings row and an OPEN period covering the posting date (`ensureFiscalYear`).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { daysInMonth, formatDate } from './dates.js';
import { LedgerDb } from './ledger-db.js';

export interface LedgerAccountSeed {
  code: string;
  name: string;
  /** ASSET | LIABILITY | EQUITY | REVENUE | EXPENSE */
  type: string;
  postable?: boolean;
  active?: boolean;
}
export interface LedgerCostUnitSeed {
  code: string;
  name: string;
  active?: boolean;
}
export interface LedgerVatCodeSeed {
  code: string;
  name: string;
  /** Percent as a decimal string, e.g. "25.50". */
  rate: string;
  reverseCharge?: boolean;
  validFrom?: string | null;
  validTo?: string | null;
}
export interface LedgerSupplierAccountSeed {
  accountName: string;
  name: string;
  businessId?: string | null;
  active?: boolean;
}
export interface LedgerSettingsSeed {
  accountsPayableAccount?: string;
  vatReceivableAccount?: string;
  vatPayableAccount?: string;
  bankAccount?: string;
  apLockDate?: string | null;
  fiscalYearStartMonth?: number;
}

export interface LedgerSetupOptions {
  settings?: LedgerSettingsSeed;
  accounts?: LedgerAccountSeed[];
  costUnits?: LedgerCostUnitSeed[];
  vatCodes?: LedgerVatCodeSeed[];
  supplierAccounts?: LedgerSupplierAccountSeed[];
  /** Fiscal years whose 12 monthly periods to create (OPEN) if missing. */
  fiscalYears?: number[];
}

/** Finnish chart of accounts codes used when the settings do not name others. */
export const DEFAULT_LEDGER_ACCOUNTS = {
  accountsPayableAccount: { code: '2871', name: 'Ostovelat', type: 'LIABILITY' },
  vatReceivableAccount: { code: '1763', name: 'Arvonlisäverosaamiset', type: 'ASSET' },
  vatPayableAccount: { code: '2939', name: 'Arvonlisäverovelka', type: 'LIABILITY' },
  bankAccount: { code: '1910', name: 'Pankkitili', type: 'ASSET' },
} as const;

/**
 * Creates or updates (upserts by code) an organization's ledger master data and settings, and
 * the periods of `fiscalYears`. The four settings accounts are created too when missing.
 * Idempotent: running it twice changes nothing.
 */
export async function createLedgerForOrganization(
  orm: MikroORM,
  organizationId: string,
  opts: LedgerSetupOptions = {},
): Promise<void> {
  const s = opts.settings ?? {};
  const settings = {
    accountsPayableAccount:
      s.accountsPayableAccount ?? DEFAULT_LEDGER_ACCOUNTS.accountsPayableAccount.code,
    vatReceivableAccount:
      s.vatReceivableAccount ?? DEFAULT_LEDGER_ACCOUNTS.vatReceivableAccount.code,
    vatPayableAccount: s.vatPayableAccount ?? DEFAULT_LEDGER_ACCOUNTS.vatPayableAccount.code,
    bankAccount: s.bankAccount ?? DEFAULT_LEDGER_ACCOUNTS.bankAccount.code,
  };
  const accounts = [...(opts.accounts ?? [])];
  for (const [key, def] of Object.entries(DEFAULT_LEDGER_ACCOUNTS)) {
    const code = settings[key as keyof typeof settings];
    if (!accounts.some((a) => a.code === code)) {
      accounts.push({ code, name: code === def.code ? def.name : key, type: def.type });
    }
  }
  const startMonth = s.fiscalYearStartMonth ?? 1;
  await new LedgerDb(orm).transaction(async (c) => {
    await c.query(
      `insert into ledger.settings (organization_id, ap_lock_date, accounts_payable_account, vat_receivable_account,
         vat_payable_account, bank_account, fiscal_year_start_month)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (organization_id) do update set
         ap_lock_date = case when $8 then excluded.ap_lock_date else ledger.settings.ap_lock_date end,
         accounts_payable_account = excluded.accounts_payable_account, vat_receivable_account = excluded.vat_receivable_account,
         vat_payable_account = excluded.vat_payable_account, bank_account = excluded.bank_account,
         fiscal_year_start_month = excluded.fiscal_year_start_month`,
      [
        organizationId,
        s.apLockDate ?? null,
        settings.accountsPayableAccount,
        settings.vatReceivableAccount,
        settings.vatPayableAccount,
        settings.bankAccount,
        startMonth,
        s.apLockDate !== undefined,
      ],
    );
    await c.query(
      `insert into ledger.account (organization_id, code, name, type, postable, active)
       select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::boolean[], $6::boolean[])
       on conflict (organization_id, code) do update set name = excluded.name, type = excluded.type,
         postable = excluded.postable, active = excluded.active`,
      [
        organizationId,
        accounts.map((a) => a.code),
        accounts.map((a) => a.name),
        accounts.map((a) => a.type),
        accounts.map((a) => a.postable ?? true),
        accounts.map((a) => a.active ?? true),
      ],
    );
    const units = opts.costUnits ?? [];
    await c.query(
      `insert into ledger.cost_unit (organization_id, code, name, active)
       select $1, * from unnest($2::text[], $3::text[], $4::boolean[])
       on conflict (organization_id, code) do update set name = excluded.name, active = excluded.active`,
      [
        organizationId,
        units.map((u) => u.code),
        units.map((u) => u.name),
        units.map((u) => u.active ?? true),
      ],
    );
    const vat = opts.vatCodes ?? [];
    await c.query(
      `insert into ledger.vat_code (organization_id, code, name, rate, reverse_charge, valid_from, valid_to)
       select $1, * from unnest($2::text[], $3::text[], $4::numeric[], $5::boolean[], $6::date[], $7::date[])
       on conflict (organization_id, code) do update set name = excluded.name, rate = excluded.rate,
         reverse_charge = excluded.reverse_charge, valid_from = excluded.valid_from, valid_to = excluded.valid_to`,
      [
        organizationId,
        vat.map((v) => v.code),
        vat.map((v) => v.name),
        vat.map((v) => v.rate),
        vat.map((v) => v.reverseCharge ?? false),
        vat.map((v) => v.validFrom ?? null),
        vat.map((v) => v.validTo ?? null),
      ],
    );
    const suppliers = opts.supplierAccounts ?? [];
    await c.query(
      `insert into ledger.supplier_account (organization_id, account_name, name, business_id, active)
       select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::boolean[])
       on conflict (organization_id, account_name) do update set name = excluded.name,
         business_id = excluded.business_id, active = excluded.active`,
      [
        organizationId,
        suppliers.map((a) => a.accountName),
        suppliers.map((a) => a.name),
        suppliers.map((a) => a.businessId ?? null),
        suppliers.map((a) => a.active ?? true),
      ],
    );
  });
  for (const year of opts.fiscalYears ?? [])
    await ensureFiscalYear(orm, organizationId, year, startMonth);
}

/** The 12 monthly periods of a fiscal year: fiscal year `year` starts on `year`-`startMonth`-01. */
export function fiscalYearPeriods(
  year: number,
  startMonth = 1,
): { name: string; startDate: string; endDate: string }[] {
  if (!Number.isInteger(year) || year < 1 || year > 9998)
    throw new Error(`invalid fiscal year ${year}`);
  if (!Number.isInteger(startMonth) || startMonth < 1 || startMonth > 12)
    throw new Error(`invalid start month ${startMonth}`);
  const periods = [];
  for (let i = 0; i < 12; i++) {
    const m0 = startMonth - 1 + i;
    const y = year + Math.floor(m0 / 12);
    const m = (m0 % 12) + 1;
    periods.push({
      name: `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`,
      startDate: formatDate(y, m, 1),
      endDate: formatDate(y, m, daysInMonth(y, m)),
    });
  }
  return periods;
}

/**
 * Creates the 12 monthly OPEN periods ("2026-03", ...) of fiscal year `year` where missing
 * (matched by start date; existing periods are left as they are). Returns how many were created.
 */
export async function ensureFiscalYear(
  orm: MikroORM,
  organizationId: string,
  year: number,
  startMonth = 1,
): Promise<number> {
  const periods = fiscalYearPeriods(year, startMonth);
  const { rowCount } = await new LedgerDb(orm).transaction((c) =>
    c.query(
      `insert into ledger.period (id, organization_id, fiscal_year, name, start_date, end_date, status)
       select gen_random_uuid(), $1, $2, x.name, x.start_date, x.end_date, 'OPEN'
       from unnest($3::text[], $4::date[], $5::date[]) as x(name, start_date, end_date)
       on conflict (organization_id, start_date) do nothing`,
      [
        organizationId,
        year,
        periods.map((p) => p.name),
        periods.map((p) => p.startDate),
        periods.map((p) => p.endDate),
      ],
    ),
  );
  return rowCount ?? 0;
}
