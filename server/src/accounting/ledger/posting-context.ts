/**
 * The one read a posting's checks need: settings, the document date's period, the master data
 * the request names, the supplier account, an entry already holding the key and a live entry
 * with the same supplier, reference and kind.
 */
import type { EntryKindName } from '../accounting-system.js';
import { prepared, type SqlClient } from './ledger-db.js';
import {
  PERIOD_COLUMNS,
  SETTINGS_COLUMNS,
  type PeriodRow,
  type SettingsRow,
} from './ledger-rows.js';

/**
 * Everything a posting's validation needs, in one round trip. With `lock`, the settings row and
 * the document date's period are share-locked (as the check trigger will do again at insert):
 * closing the period or moving the lock date waits until this posting commits.
 * $1 org, $2 document date, $3 account codes, $4 cost units, $5 VAT codes, $6 supplier account,
 * $7 idempotency key, $8 reference, $9 kind.
 */
function contextSql(lock: boolean): string {
  const forShare = lock ? 'for share' : '';
  return `with s as (
  select ${SETTINGS_COLUMNS} from ledger.settings where organization_id = $1 ${forShare}
), p as (
  select ${PERIOD_COLUMNS} from ledger.period
  where organization_id = $1 and start_date <= $2::date and end_date >= $2::date
  order by start_date desc limit 1 ${forShare}
)
select
  (select id from ledger.entry where organization_id = $1 and idempotency_key = $7) as existing_id,
  (select row_to_json(s) from s) as settings,
  (select row_to_json(p) from p) as period,
  (select coalesce(json_agg(json_build_object('code', code, 'postable', postable, 'active', active)), '[]')
     from ledger.account where organization_id = $1 and code = any($3::text[])) as accounts,
  (select coalesce(json_agg(json_build_object('code', code, 'active', active)), '[]')
     from ledger.cost_unit where organization_id = $1 and code = any($4::text[])) as cost_units,
  (select coalesce(json_agg(json_build_object('code', code, 'rate', rate::text, 'reverse_charge', reverse_charge,
       'valid_from', to_char(valid_from, 'YYYY-MM-DD'), 'valid_to', to_char(valid_to, 'YYYY-MM-DD'))), '[]')
     from ledger.vat_code where organization_id = $1 and code = any($5::text[])) as vat_codes,
  (select json_build_object('active', active) from ledger.supplier_account
     where organization_id = $1 and account_name = $6) as supplier,
  (select json_build_object('id', id, 'idempotency_key', idempotency_key) from ledger.entry
     where organization_id = $1 and supplier_account_name = $6 and reference = $8 and kind = $9
       and kind <> 'REVERSAL' and reversed_by_entry_id is null limit 1) as duplicate`;
}
const CONTEXT_SQL_LOCKED = prepared(contextSql(true));
const CONTEXT_SQL_READ = prepared(contextSql(false));

export interface VatCodeRow {
  code: string;
  rate: string;
  reverse_charge: boolean;
  valid_from: string | null;
  valid_to: string | null;
}

export interface PostingContext {
  existing_id: string | null;
  settings: SettingsRow | null;
  period: PeriodRow | null;
  accounts: { code: string; postable: boolean; active: boolean }[];
  cost_units: { code: string; active: boolean }[];
  vat_codes: VatCodeRow[];
  supplier: { active: boolean } | null;
  duplicate: { id: string; idempotency_key: string } | null;
}

export interface PostingContextQuery {
  /** Null when the request's date is not a date: no period is looked up. */
  documentDate: string | null;
  accountCodes: string[];
  costUnitCodes: string[];
  vatCodes: string[];
  supplierAccountName: string;
  idempotencyKey: string;
  reference: string;
  kind: EntryKindName;
}

/** Reads the posting context; `lock` share-locks its settings and period rows (slow path). */
export async function loadPostingContext(
  c: SqlClient,
  organizationId: string,
  q: PostingContextQuery,
  lock: boolean,
): Promise<PostingContext> {
  const { rows } = await c.query<PostingContext>(lock ? CONTEXT_SQL_LOCKED : CONTEXT_SQL_READ, [
    organizationId,
    q.documentDate,
    q.accountCodes,
    q.costUnitCodes,
    q.vatCodes,
    q.supplierAccountName,
    q.idempotencyKey,
    q.reference,
    q.kind,
  ]);
  return rows[0];
}
