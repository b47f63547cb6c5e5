/**
 * Tenant-owned objects by global-id type: one registry, filled by the modules that own them.
 * node(id) fetches an object through its type's `load`; the api.mutation audit finds the
 * organization an input names through `ownerOf`. A type may be registered in two halves (the
 * built-in ledger knows its tables, the accounting API loads through the port).
 */
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { RequestContext } from '../context.js';
import type { NodeTypeName } from './ids.js';
import { registerNodeType } from './node.js';

export interface TenantObjectType {
  /** The organization owning the object with this id (whichever it is), or null when none does. */
  ownerOf?(em: EntityManager, id: string): Promise<string | null>;
  /** node(id): the object when one of `organizationIds` owns it, else null. Absent: always null. */
  load?(ctx: RequestContext, id: string, organizationIds: string[]): Promise<unknown>;
}

type EntityClass = abstract new (...args: never[]) => object;

const registry = new Map<NodeTypeName, TenantObjectType>();

export function registerTenantObject(type: NodeTypeName, parts: TenantObjectType): void {
  const known = registry.get(type) ?? {};
  for (const [key, value] of Object.entries(parts)) {
    if (!value) continue;
    if (known[key as keyof TenantObjectType]) throw new Error(`${type}.${key} registered twice`);
    (known as Record<string, unknown>)[key] = value;
  }
  registry.set(type, known);
}

export function tenantObjectType(type: NodeTypeName): TenantObjectType | undefined {
  return registry.get(type);
}

/** The owner of a row of a table with an organization_id column. */
async function ownerFromTable(
  em: EntityManager,
  entity: EntityClass,
  id: string,
): Promise<string | null> {
  const meta = em.getMetadata().find(entity.name)!;
  const table = meta.schema ? `"${meta.schema}"."${meta.tableName}"` : `"${meta.tableName}"`;
  const [row] = await em
    .getConnection()
    .execute<{ organization_id: string }[]>(`select organization_id from ${table} where id = ?`, [
      id,
    ]);
  return row?.organization_id ?? null;
}

/**
 * An entity whose table has an organization_id column. node(id) returns the entity itself
 * (registered as the GraphQL type of that name) unless `load` says otherwise; `load: false`
 * leaves node(id) to another registration, or to none.
 */
export function registerTenantEntity(
  type: NodeTypeName,
  entity: EntityClass,
  opts: { load?: TenantObjectType['load'] | false } = {},
): void {
  let load = opts.load || undefined;
  if (opts.load === undefined) {
    registerNodeType(entity, type);
    load = (ctx, id, organizationIds) =>
      ctx.em.findOne(
        entity as abstract new () => object,
        {
          id,
          organization: { $in: organizationIds },
        } as FilterQuery<object>,
      );
  }
  registerTenantObject(type, { ownerOf: (em, id) => ownerFromTable(em, entity, id), load });
}
