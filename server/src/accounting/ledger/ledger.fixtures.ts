/** Test fixtures for the built-in ledger: a small Finnish-style chart and request builders. */
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ClosedPeriodPolicy } from '../accounting.enums.js';
import type {
  InvoicePostingLine,
  InvoicePostingRequest,
  PaymentPostingRequest,
} from '../accounting-system.js';
import { createLedgerForOrganization, type LedgerSetupOptions } from './ledger-setup.js';

export const TEST_MASTER_DATA: LedgerSetupOptions = {
  accounts: [
    { code: '4', name: 'Materials and services', type: 'EXPENSE', postable: false },
    { code: '4000', name: 'Purchases', type: 'EXPENSE' },
    { code: '7600', name: 'Office expenses', type: 'EXPENSE' },
    { code: '4990', name: 'Old purchases', type: 'EXPENSE', active: false },
  ],
  costUnits: [
    { code: 'HQ', name: 'Head office' },
    { code: 'SALES', name: 'Sales' },
    { code: 'OLD', name: 'Closed unit', active: false },
  ],
  vatCodes: [
    { code: 'FI25.5', name: 'Standard 25.5 %', rate: '25.50', validFrom: '2024-09-01' },
    { code: 'FI24', name: 'Standard 24 %', rate: '24.00', validTo: '2024-08-31' },
    { code: 'FI14', name: 'Reduced 14 %', rate: '14.00', validTo: '2025-12-31' },
    { code: 'FI13.5', name: 'Reduced 13.5 %', rate: '13.50', validFrom: '2026-01-01' },
    { code: 'FI0', name: 'Zero rate', rate: '0.00' },
    {
      code: 'EURC',
      name: 'EU reverse charge 25.5 %',
      rate: '25.50',
      reverseCharge: true,
      validFrom: '2024-09-01',
    },
  ],
  supplierAccounts: [
    { accountName: 'ACME', name: 'Acme Oy' },
    { accountName: 'GLOBEX', name: 'Globex AB' },
    { accountName: 'OLDCO', name: 'Old Co', active: false },
  ],
  fiscalYears: [2026, 2027, 2028],
};

/** A new organization id with the test master data and OPEN periods for 2026–2028. */
export async function createTestLedger(
  orm: MikroORM,
  extra: Partial<LedgerSetupOptions> = {},
): Promise<string> {
  const organizationId = randomUUID();
  await createLedgerForOrganization(orm, organizationId, { ...TEST_MASTER_DATA, ...extra });
  return organizationId;
}

export function line(overrides: Partial<InvoicePostingLine> = {}): InvoicePostingLine {
  return {
    accountCode: '4000',
    costUnitCode: 'HQ',
    vatCode: 'FI25.5',
    netAmount: '100.00',
    vatAmount: '25.50',
    description: 'Widgets',
    ...overrides,
  };
}

export function invoiceRequest(
  overrides: Partial<InvoicePostingRequest> = {},
): InvoicePostingRequest {
  return {
    idempotencyKey: randomUUID(),
    documentKind: 'INVOICE',
    journal: 'ITEM_INVOICES',
    supplierAccountName: 'ACME',
    reference: `INV-${randomUUID().slice(0, 8)}`,
    documentDate: '2026-03-15',
    closedPeriodPolicy: ClosedPeriodPolicy.SHIFT_TO_NEXT_OPEN,
    currency: 'EUR',
    grossAmount: '125.50',
    description: 'Invoice',
    lines: [line()],
    ...overrides,
  };
}

export function paymentRequest(
  overrides: Partial<PaymentPostingRequest> = {},
): PaymentPostingRequest {
  return {
    idempotencyKey: randomUUID(),
    supplierAccountName: 'ACME',
    reference: `PAY-${randomUUID().slice(0, 8)}`,
    documentDate: '2026-03-20',
    closedPeriodPolicy: ClosedPeriodPolicy.SHIFT_TO_NEXT_OPEN,
    currency: 'EUR',
    amount: '125.50',
    description: 'Payment',
    ...overrides,
  };
}

/**
 * Kept for callers written while Migration20261121202021 was broken (its check_entry_balanced()
 * read `new.entry_id` on ledger.entry rows, so every entry failed at commit). The migration is
 * fixed; `repairBalanceTriggerIfBroken` now only acts on a database still carrying the broken
 * function, and installs this corrected one.
 */
export const FIXED_CHECK_ENTRY_BALANCED_SQL = `create or replace function ledger.check_entry_balanced() returns trigger language plpgsql as $$
declare
  e_id uuid;
  o_id uuid := coalesce(new.organization_id, old.organization_id);
  d numeric; c numeric; n int; t numeric;
begin
  if tg_table_name = 'entry' then
    e_id := coalesce(new.id, old.id);
  else
    e_id := coalesce(new.entry_id, old.entry_id);
  end if;
  select coalesce(sum(debit), 0), coalesce(sum(credit), 0), count(*) into d, c, n
    from ledger.entry_line where organization_id = o_id and entry_id = e_id;
  select total into t from ledger.entry where id = e_id;
  if t is null then return null; end if;
  if n < 2 or d <> c or d <> t then
    raise exception 'ledger entry % is unbalanced: debit %, credit %, total %, lines %', e_id, d, c, t, n
      using errcode = '23514', constraint = 'entry_balanced';
  end if;
  return null;
end $$;`;

type SqlRunner = { sql: (text: string) => Promise<Record<string, unknown>[]> };

export async function balanceTriggerIsBroken(db: SqlRunner): Promise<boolean> {
  const rows = await db.sql(`select prosrc from pg_proc where proname = 'check_entry_balanced'`);
  return rows.some((r) => /e_id uuid := coalesce\(new\.entry_id/.test(String(r.prosrc)));
}

export async function repairBalanceTriggerIfBroken(db: SqlRunner): Promise<void> {
  if (await balanceTriggerIsBroken(db)) await db.sql(FIXED_CHECK_ENTRY_BALANCED_SQL);
}
