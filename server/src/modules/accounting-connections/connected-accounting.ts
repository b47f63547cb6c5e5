/**
 * The accounting system as the rest of Ledgerlink sees it: one `AccountingSystem` that routes
 * each call by organization — to the built-in ledger when the organization has no connection,
 * else to the adapter built from its (decrypted) connection. Adapters are cached per
 * organization and rebuilt when the connection's version changes; master data of a connected
 * system is read from its PostgreSQL cache (refreshMasterData), not fetched per call.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  AccountingRejection,
  type AccountingProblem,
  type AccountingSystem,
  type EntryInfo,
  type EntryKindName,
  type EntryPage,
  type InvoicePostingOutcome,
  type InvoicePostingRequest,
  type JournalName,
  type LedgerSettingsInfo,
  type MasterData,
  type PaymentPostingRequest,
  type PeriodInfo,
  type ReversalRequest,
} from '../../accounting/accounting-system.js';
import { AccountingSystemKind } from './accounting-connection.enums.js';
import type { ExternalAccounting, ExternalSystemDrivers } from './external-adapter.js';
import { ExternalEntryIds } from './external-entry-ids.js';
import { masterDataProblems } from './master-data-checks.js';
import type { SecretBox } from './secret-box.js';

/** How long a process trusts what it read of a connection before reading it again. */
const ROUTE_TTL_MS = 2_000;

interface ConnectionRow {
  id: string;
  system: AccountingSystemKind;
  endpoint: string;
  entity: string;
  client_id: string;
  secret_ciphertext: string;
  secret_key_id: string;
  version: number;
}

interface Route {
  checkedAt: number;
  version: number | null;
  system: AccountingSystemKind;
  adapter: ExternalAccounting | null;
  masterData?: MasterData;
}

/** Calls in flight may still use a replaced adapter: it is closed once they have had time to end. */
const RETIRE_AFTER_MS = 60_000;

function retire(adapter: ExternalAccounting | null): void {
  if (!adapter) return;
  setTimeout(() => void adapter.close().catch(() => {}), RETIRE_AFTER_MS).unref();
}

export class ConnectedAccounting implements AccountingSystem {
  readonly name: string;
  private readonly routes = new Map<string, Route>();
  private readonly building = new Map<string, Promise<Route>>();
  private readonly ids: ExternalEntryIds;

  constructor(
    private readonly orm: MikroORM,
    readonly builtin: AccountingSystem,
    readonly secrets: SecretBox,
    readonly drivers: ExternalSystemDrivers,
  ) {
    this.name = builtin.name;
    this.ids = new ExternalEntryIds(orm);
  }

  /** Forgets what this process knows of the organization's connection (after a change here). */
  invalidate(organizationId: string): void {
    const route = this.routes.get(organizationId);
    this.routes.delete(organizationId);
    retire(route?.adapter ?? null);
  }

  async close(): Promise<void> {
    const adapters = [...this.routes.values()].map((r) => r.adapter);
    this.routes.clear();
    await Promise.all(adapters.map((a) => a?.close().catch(() => {})));
  }

  /** The system the organization transfers into, and its adapter when external. */
  async systemOf(
    organizationId: string,
  ): Promise<{ system: AccountingSystemKind; adapter: ExternalAccounting | null }> {
    const route = await this.route(organizationId);
    return { system: route.system, adapter: route.adapter };
  }

  private async route(organizationId: string): Promise<Route> {
    const known = this.routes.get(organizationId);
    if (known && Date.now() - known.checkedAt < ROUTE_TTL_MS) return known;
    let pending = this.building.get(organizationId);
    if (!pending) {
      pending = this.readRoute(organizationId, known).finally(() =>
        this.building.delete(organizationId),
      );
      this.building.set(organizationId, pending);
    }
    return pending;
  }

  private async readRoute(organizationId: string, known: Route | undefined): Promise<Route> {
    const [row] = await this.orm.em.getConnection().execute<ConnectionRow[]>(
      `select id, system, endpoint, entity, client_id, secret_ciphertext, secret_key_id, version
           from accounting_connection where organization_id = ?`,
      [organizationId],
    );
    const version = row?.version ?? null;
    if (known && known.version === version) {
      known.checkedAt = Date.now();
      known.masterData = undefined;
      return known;
    }
    retire(known?.adapter ?? null);
    const route: Route = {
      checkedAt: Date.now(),
      version,
      system: row?.system ?? AccountingSystemKind.BUILTIN,
      adapter: row ? this.adapterFor(row) : null,
    };
    this.routes.set(organizationId, route);
    return route;
  }

  private adapterFor(row: ConnectionRow): ExternalAccounting {
    const driver = this.drivers[row.system as Exclude<AccountingSystemKind, 'BUILTIN'>];
    if (!driver) throw new Error(`no adapter for accounting system ${row.system} in this build`);
    return driver.create({
      endpoint: row.endpoint,
      entity: row.entity,
      clientId: row.client_id,
      clientSecret: this.secrets.open({
        keyId: row.secret_key_id,
        ciphertext: row.secret_ciphertext,
      }),
    });
  }

  private async target(organizationId: string): Promise<AccountingSystem> {
    return (await this.route(organizationId)).adapter ?? this.builtin;
  }

  /** The connected system's master data from the cache; fetched and stored when there is none yet. */
  private async cachedMasterData(organizationId: string, route: Route): Promise<MasterData> {
    if (route.masterData) return route.masterData;
    const [row] = await this.orm.em
      .getConnection()
      .execute<{ master_data: MasterData | null }[]>(
        `select master_data from accounting_connection where organization_id = ?`,
        [organizationId],
      );
    route.masterData = row?.master_data ?? (await this.refreshMasterData(organizationId));
    return route.masterData;
  }

  /** Fetches the connected system's master data and stores it as the organization's cache. */
  async refreshMasterData(organizationId: string): Promise<MasterData> {
    const route = await this.route(organizationId);
    if (!route.adapter) return this.builtin.getMasterData(organizationId);
    const data = await route.adapter.getMasterData(organizationId);
    await this.orm.em.getConnection().execute(
      `update accounting_connection set master_data = ?, master_data_refreshed_at = now()
          where organization_id = ?`,
      [JSON.stringify(data), organizationId],
    );
    route.masterData = data;
    return data;
  }

  /** Problems the cached master data already shows (unknown supplier, account, VAT code...). */
  private async cachedProblems(
    organizationId: string,
    route: Route,
    request: InvoicePostingRequest,
  ): Promise<AccountingProblem[]> {
    return masterDataProblems(await this.cachedMasterData(organizationId, route), request);
  }

  async getMasterData(organizationId: string): Promise<MasterData> {
    const route = await this.route(organizationId);
    if (!route.adapter) return this.builtin.getMasterData(organizationId);
    return this.cachedMasterData(organizationId, route);
  }
  async getSettings(organizationId: string): Promise<LedgerSettingsInfo> {
    return (await this.target(organizationId)).getSettings(organizationId);
  }
  async listPeriods(organizationId: string, fiscalYear?: number): Promise<PeriodInfo[]> {
    return (await this.target(organizationId)).listPeriods(organizationId, fiscalYear);
  }
  async validateInvoice(
    organizationId: string,
    request: InvoicePostingRequest,
  ): Promise<AccountingProblem[]> {
    const route = await this.route(organizationId);
    if (!route.adapter) return this.builtin.validateInvoice(organizationId, request);
    const known = await this.cachedProblems(organizationId, route, request);
    return known.length ? known : route.adapter.validateInvoice(organizationId, request);
  }
  async postInvoice(organizationId: string, request: InvoicePostingRequest): Promise<EntryInfo> {
    const route = await this.route(organizationId);
    if (!route.adapter) return this.builtin.postInvoice(organizationId, request);
    const known = await this.cachedProblems(organizationId, route, request);
    if (known.length) throw new AccountingRejection(known);
    return this.local(
      organizationId,
      route,
      await route.adapter.postInvoice(organizationId, request),
    );
  }
  async postInvoices(
    organizationId: string,
    requests: InvoicePostingRequest[],
  ): Promise<InvoicePostingOutcome[]> {
    const route = await this.route(organizationId);
    if (!route.adapter) return this.builtin.postInvoices(organizationId, requests);
    const outcomes: (InvoicePostingOutcome | null)[] = [];
    const toSend: InvoicePostingRequest[] = [];
    for (const request of requests) {
      const known = await this.cachedProblems(organizationId, route, request);
      outcomes.push(known.length ? { problems: known } : null);
      if (!known.length) toSend.push(request);
    }
    const sent = toSend.length ? await route.adapter.postInvoices(organizationId, toSend) : [];
    const entries = await this.ids.entries(
      organizationId,
      route.system,
      sent.flatMap((o) => ('entry' in o ? [o.entry] : [])),
    );
    let nextEntry = 0;
    const translated = sent.map((o) => ('entry' in o ? { entry: entries[nextEntry++] } : o));
    let next = 0;
    return outcomes.map((o) => o ?? translated[next++]);
  }
  async postPayment(organizationId: string, request: PaymentPostingRequest): Promise<EntryInfo> {
    const route = await this.route(organizationId);
    if (!route.adapter) return this.builtin.postPayment(organizationId, request);
    return this.local(
      organizationId,
      route,
      await route.adapter.postPayment(organizationId, request),
    );
  }
  async reverse(organizationId: string, request: ReversalRequest): Promise<EntryInfo> {
    const route = await this.route(organizationId);
    if (!route.adapter) return this.builtin.reverse(organizationId, request);
    const entryId = await this.external(organizationId, request.entryId);
    return this.local(
      organizationId,
      route,
      await route.adapter.reverse(organizationId, { ...request, entryId }),
    );
  }
  async findByIdempotencyKey(organizationId: string, key: string): Promise<EntryInfo | null> {
    const route = await this.route(organizationId);
    if (!route.adapter) return this.builtin.findByIdempotencyKey(organizationId, key);
    return this.local(
      organizationId,
      route,
      await route.adapter.findByIdempotencyKey(organizationId, key),
    );
  }
  async findByReference(
    organizationId: string,
    supplierAccountName: string,
    reference: string,
    kind: EntryKindName,
  ): Promise<EntryInfo | null> {
    const route = await this.route(organizationId);
    const target = route.adapter ?? this.builtin;
    const entry = await target.findByReference(
      organizationId,
      supplierAccountName,
      reference,
      kind,
    );
    return route.adapter ? this.local(organizationId, route, entry) : entry;
  }
  async getEntry(organizationId: string, entryId: string): Promise<EntryInfo | null> {
    const route = await this.route(organizationId);
    if (!route.adapter) return this.builtin.getEntry(organizationId, entryId);
    const external = await this.ids.toExternal(organizationId, entryId);
    if (!external) return null;
    return this.local(
      organizationId,
      route,
      await route.adapter.getEntry(organizationId, external),
    );
  }
  async getEntries(organizationId: string, entryIds: string[]): Promise<EntryInfo[]> {
    const route = await this.route(organizationId);
    if (!route.adapter) return this.builtin.getEntries(organizationId, entryIds);
    const external = await this.ids.manyToExternal(organizationId, entryIds);
    if (!external.size) return [];
    const entries = await route.adapter.getEntries(organizationId, [...external.values()]);
    return this.ids.entries(organizationId, route.system, entries);
  }
  async listEntries(
    organizationId: string,
    query: { journal?: JournalName; reference?: string; first: number; after?: string },
  ): Promise<EntryPage> {
    const route = await this.route(organizationId);
    if (!route.adapter) return this.builtin.listEntries(organizationId, query);
    const after = query.after ? await this.external(organizationId, query.after) : undefined;
    const page = await route.adapter.listEntries(organizationId, { ...query, after });
    return this.ids.page(organizationId, route.system, page);
  }
  async moveEntryToPeriod(
    organizationId: string,
    entryId: string,
    periodId: string,
  ): Promise<EntryInfo> {
    const route = await this.route(organizationId);
    if (!route.adapter) return this.builtin.moveEntryToPeriod(organizationId, entryId, periodId);
    const external = await this.external(organizationId, entryId);
    return this.local(
      organizationId,
      route,
      await route.adapter.moveEntryToPeriod(organizationId, external, periodId),
    );
  }

  /** An external entry with Ledgerlink's uuids. */
  private async local<E extends EntryInfo | null>(
    organizationId: string,
    route: Route,
    entry: E,
  ): Promise<E> {
    return (entry && (await this.ids.entry(organizationId, route.system, entry))) as E;
  }

  /** The external id behind a uuid; an id Ledgerlink never handed out is refused as not found. */
  private async external(organizationId: string, entryId: string): Promise<string> {
    const external = await this.ids.toExternal(organizationId, entryId);
    if (!external)
      throw new AccountingRejection([
        { code: 'ENTRY_NOT_FOUND', message: `entry ${entryId} not found`, field: ['entryId'] },
      ]);
    return external;
  }
  async setLockDate(organizationId: string, lockDate: string | null): Promise<LedgerSettingsInfo> {
    return (await this.target(organizationId)).setLockDate(organizationId, lockDate);
  }
  async closePeriod(organizationId: string, periodId: string): Promise<PeriodInfo> {
    return (await this.target(organizationId)).closePeriod(organizationId, periodId);
  }
  async reopenPeriod(organizationId: string, periodId: string): Promise<PeriodInfo> {
    return (await this.target(organizationId)).reopenPeriod(organizationId, periodId);
  }
}
