/**
 * Entry ids across the boundary: Ledgerlink keeps entry ids as uuids (transfers, node ids),
 * an external system has its own (accountsIQ's numeric TransactionID). Each external id gets a
 * uuid derived from organization, system and id (the same on every process), stored once so
 * that the uuid leads back to the external id.
 */
import { createHash } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { EntryInfo, EntryPage } from '../../accounting/accounting-system.js';
import type { AccountingSystemKind } from './accounting-connection.enums.js';

function derivedUuid(organizationId: string, system: string, externalId: string): string {
  const h = createHash('sha256').update(`${organizationId}:${system}:${externalId}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export class ExternalEntryIds {
  constructor(private readonly orm: MikroORM) {}

  /** The uuids of these external ids, recorded so they can be turned back. */
  async toLocal(
    organizationId: string,
    system: AccountingSystemKind,
    externalIds: string[],
  ): Promise<Map<string, string>> {
    const unique = [...new Set(externalIds)];
    const map = new Map(unique.map((e) => [e, derivedUuid(organizationId, system, e)]));
    if (!unique.length) return map;
    const values = unique.map(() => '(?, ?, ?, ?)').join(', ');
    await this.orm.em.getConnection().execute(
      `insert into accounting_external_entry (organization_id, id, system, external_id)
       values ${values} on conflict do nothing`,
      unique.flatMap((e) => [organizationId, map.get(e)!, system, e]),
    );
    return map;
  }

  /** The external id of a uuid handed out by toLocal; null for any other id. */
  async toExternal(organizationId: string, id: string): Promise<string | null> {
    return (await this.manyToExternal(organizationId, [id])).get(id) ?? null;
  }

  async manyToExternal(organizationId: string, ids: string[]): Promise<Map<string, string>> {
    const uuids = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    if (!uuids.length) return new Map();
    const rows = await this.orm.em.getConnection().execute<{ id: string; external_id: string }[]>(
      `select id, external_id from accounting_external_entry
          where organization_id = ? and id in (${uuids.map(() => '?').join(', ')})`,
      [organizationId, ...uuids],
    );
    return new Map(rows.map((r) => [r.id, r.external_id]));
  }

  async entry(
    organizationId: string,
    system: AccountingSystemKind,
    entry: EntryInfo,
  ): Promise<EntryInfo> {
    return (await this.entries(organizationId, system, [entry]))[0];
  }

  /** The entries with their ids (and the ids they name) as Ledgerlink's uuids. */
  async entries(
    organizationId: string,
    system: AccountingSystemKind,
    entries: EntryInfo[],
  ): Promise<EntryInfo[]> {
    const ids = entries.flatMap((e) =>
      [e.id, e.reversesEntryId, e.reversedByEntryId].filter((x): x is string => !!x),
    );
    const map = await this.toLocal(organizationId, system, ids);
    const local = (id: string | null) => (id ? map.get(id)! : null);
    return entries.map((e) => ({
      ...e,
      id: map.get(e.id)!,
      externalId: e.id,
      reversesEntryId: local(e.reversesEntryId),
      reversedByEntryId: local(e.reversedByEntryId),
    }));
  }

  async page(
    organizationId: string,
    system: AccountingSystemKind,
    page: EntryPage,
  ): Promise<EntryPage> {
    return { ...page, entries: await this.entries(organizationId, system, page.entries) };
  }
}
