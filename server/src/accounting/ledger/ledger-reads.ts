/** The built-in ledger's reads: master data, settings, periods and entries. */
import { escapeLike } from '../../common/search.js';
import {
  AccountingRejection,
  type EntryInfo,
  type EntryKindName,
  type EntryLineInfo,
  type EntryPage,
  type JournalName,
  type LedgerSettingsInfo,
  type MasterData,
  type PeriodInfo,
} from '../accounting-system.js';
import type { LedgerDb, SqlClient } from './ledger-db.js';
import {
  ENTRY_SELECT,
  LINES_SQL,
  PERIOD_COLUMNS,
  SETTINGS_COLUMNS,
  isUuid,
  nonEmpty,
  toEntry,
  toLine,
  toPeriod,
  toSettings,
  type EntryRow,
  type LineRow,
  type PeriodRow,
  type SettingsRow,
} from './ledger-rows.js';
import { problem } from './problems.js';

const MAX_PAGE = 1000;

const MASTER_DATA_SQL = `select
  (select coalesce(json_agg(json_build_object('code', code, 'name', name, 'type', type, 'postable', postable, 'active', active) order by code), '[]')
     from ledger.account where organization_id = $1) as accounts,
  (select coalesce(json_agg(json_build_object('code', code, 'name', name, 'active', active) order by code), '[]')
     from ledger.cost_unit where organization_id = $1) as cost_units,
  (select coalesce(json_agg(json_build_object('code', code, 'name', name, 'rate', rate::text, 'reverseCharge', reverse_charge,
       'validFrom', to_char(valid_from, 'YYYY-MM-DD'), 'validTo', to_char(valid_to, 'YYYY-MM-DD')) order by code), '[]')
     from ledger.vat_code where organization_id = $1) as vat_codes,
  (select coalesce(json_agg(json_build_object('accountName', account_name, 'name', name, 'active', active) order by account_name), '[]')
     from ledger.supplier_account where organization_id = $1) as suppliers`;

/** Entries matching `where` (over `e` = entry, `p` = period) with their lines, in one query each. */
async function loadEntries(
  c: SqlClient,
  organizationId: string,
  where: string,
  params: unknown[],
): Promise<EntryInfo[]> {
  const { rows } = await c.query<EntryRow>(`${ENTRY_SELECT} where ${where}`, params);
  if (rows.length === 0) return [];
  const lines = await c.query<LineRow>(LINES_SQL, [organizationId, rows.map((r) => r.id)]);
  const byEntry = new Map<string, EntryLineInfo[]>();
  for (const l of lines.rows) {
    let list = byEntry.get(l.entry_id);
    if (!list) byEntry.set(l.entry_id, (list = []));
    list.push(toLine(l));
  }
  return rows.map((r) => toEntry(r, byEntry.get(r.id) ?? []));
}

export class LedgerReads {
  constructor(private readonly db: LedgerDb) {}

  async getMasterData(organizationId: string): Promise<MasterData> {
    if (!isUuid(organizationId))
      return { accounts: [], costUnits: [], vatCodes: [], supplierAccounts: [] };
    const rows = await this.db.read((c) =>
      c.query<{
        accounts: MasterData['accounts'];
        cost_units: MasterData['costUnits'];
        vat_codes: MasterData['vatCodes'];
        suppliers: MasterData['supplierAccounts'];
      }>(MASTER_DATA_SQL, [organizationId]),
    );
    const r = rows.rows[0];
    return {
      accounts: r.accounts,
      costUnits: r.cost_units,
      vatCodes: r.vat_codes,
      supplierAccounts: r.suppliers,
    };
  }

  async getSettings(organizationId: string): Promise<LedgerSettingsInfo> {
    const row = isUuid(organizationId)
      ? (
          await this.db.read((c) =>
            c.query<SettingsRow>(
              `select ${SETTINGS_COLUMNS} from ledger.settings where organization_id = $1`,
              [organizationId],
            ),
          )
        ).rows[0]
      : undefined;
    if (!row)
      throw new AccountingRejection([
        problem('VALIDATION', 'the ledger of this organization is not set up'),
      ]);
    return toSettings(row);
  }

  async listPeriods(organizationId: string, fiscalYear?: number): Promise<PeriodInfo[]> {
    if (!isUuid(organizationId)) return [];
    const { rows } = await this.db.read((c) =>
      c.query<PeriodRow>(
        `select ${PERIOD_COLUMNS} from ledger.period
         where organization_id = $1 and ($2::int is null or fiscal_year = $2) order by start_date`,
        [organizationId, fiscalYear ?? null],
      ),
    );
    return rows.map(toPeriod);
  }

  async findByIdempotencyKey(organizationId: string, key: string): Promise<EntryInfo | null> {
    if (!isUuid(organizationId) || typeof key !== 'string') return null;
    const entries = await this.db.read((c) =>
      loadEntries(c, organizationId, `e.organization_id = $1 and e.idempotency_key = $2`, [
        organizationId,
        key,
      ]),
    );
    return entries[0] ?? null;
  }

  async findByReference(
    organizationId: string,
    supplierAccountName: string,
    reference: string,
    kind: EntryKindName,
  ): Promise<EntryInfo | null> {
    if (!isUuid(organizationId)) return null;
    const entries = await this.db.read((c) =>
      loadEntries(
        c,
        organizationId,
        `e.organization_id = $1 and e.supplier_account_name = $2 and e.reference = $3 and e.kind = $4
         and e.reversed_by_entry_id is null order by e.created_at desc, e.id desc limit 1`,
        [organizationId, supplierAccountName, reference, kind],
      ),
    );
    return entries[0] ?? null;
  }

  async getEntry(organizationId: string, entryId: string): Promise<EntryInfo | null> {
    return (await this.getEntries(organizationId, [entryId]))[0] ?? null;
  }

  /** The entry, which the caller knows exists (it just wrote or found it). */
  async mustGetEntry(organizationId: string, entryId: string): Promise<EntryInfo> {
    const entry = await this.getEntry(organizationId, entryId);
    if (!entry)
      throw new AccountingRejection([
        problem('ENTRY_NOT_FOUND', `ledger entry ${entryId} not found`),
      ]);
    return entry;
  }

  /** The entries found, in the order asked (missing and foreign ids are left out). */
  async getEntries(organizationId: string, entryIds: string[]): Promise<EntryInfo[]> {
    const ids = [...new Set(entryIds.filter(isUuid).map((id) => id.toLowerCase()))];
    if (!isUuid(organizationId) || ids.length === 0) return [];
    const entries = await this.db.read((c) =>
      loadEntries(c, organizationId, `e.organization_id = $1 and e.id = any($2::uuid[])`, [
        organizationId,
        ids,
      ]),
    );
    const byId = new Map(entries.map((e) => [e.id, e]));
    return ids.map((id) => byId.get(id)).filter((e): e is EntryInfo => !!e);
  }

  async listEntries(
    organizationId: string,
    query: { journal?: JournalName; reference?: string; first: number; after?: string },
  ): Promise<EntryPage> {
    if (!isUuid(organizationId)) return { entries: [], totalCount: 0, hasNextPage: false };
    const first = Math.max(0, Math.min(MAX_PAGE, Math.floor(query.first ?? 0)));
    const journal = query.journal ?? null;
    const reference = nonEmpty(query.reference) ? `%${escapeLike(query.reference.trim())}%` : null;
    const filter = `e.organization_id = $1 and ($2::text is null or e.journal = $2)
      and ($3::text is null or e.reference ilike $3)`;
    return this.db.read(async (c) => {
      const count = await c.query<{ n: string }>(
        `select count(*)::text as n from ledger.entry e where ${filter}`,
        [organizationId, journal, reference],
      );
      const totalCount = Number(count.rows[0].n);
      if (first === 0) return { entries: [], totalCount, hasNextPage: false };
      if (query.after !== undefined && query.after !== null && !isUuid(query.after)) {
        return { entries: [], totalCount, hasNextPage: false };
      }
      const entries = await loadEntries(
        c,
        organizationId,
        `${filter}
         and ($4::uuid is null or (e.created_at, e.id) <
           (select c.created_at, c.id from ledger.entry c where c.organization_id = $1 and c.id = $4))
         order by e.created_at desc, e.id desc limit $5`,
        [organizationId, journal, reference, query.after ?? null, first + 1],
      );
      const hasNextPage = entries.length > first;
      return { entries: entries.slice(0, first), totalCount, hasNextPage };
    });
  }
}
