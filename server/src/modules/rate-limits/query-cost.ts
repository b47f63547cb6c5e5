/**
 * The query cost model (numbers in api-limits.ts, documented in docs/partner-api.md):
 *
 * - scalars, enums, `__typename` and in-memory value objects (UserError, Warning, PageInfo) cost 0;
 * - every object costs 1 (a null one too: it was looked up);
 * - a connection costs 1, plus its items: `first` (default 20) times the cost of one item under
 *   `edges { node }` or `nodes`; `totalCount` adds 1; `pageInfo` is free;
 * - a plain list costs its estimated length (LIST_ESTIMATES, else 10) times one item;
 * - a mutation field costs 10 plus its payload's selection;
 * - `__schema` and `__type` cost 10 flat.
 *
 * The requested cost is computed from the document before anything runs (fragments on several
 * types are all counted: an upper bound). The actual cost walks the response the same way but
 * counts the items that came back.
 */
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { COST_MODEL, FREE_OBJECT_TYPES, LIST_ESTIMATES } from './api-limits.js';
import { MAX_PAGE_SIZE } from '../../common/connection.js';

export interface CostInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown> | undefined;
}

type Data = Record<string, unknown>;

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

export function isConnectionType(type: GraphQLNamedType): boolean {
  if (!isObjectType(type) || !type.name.endsWith('Connection')) return false;
  const fields = type.getFields();
  return 'pageInfo' in fields && ('edges' in fields || 'nodes' in fields);
}

/** The page size a connection field asks for: its `first` (literal or variable), capped, else the default. */
function pageSize(node: FieldNode, variables: Record<string, unknown> | undefined): number {
  const arg = node.arguments?.find((a) => a.name.value === 'first');
  let value: unknown = undefined;
  if (arg) value = literal(arg.value, variables);
  if (typeof value !== 'number' || !Number.isFinite(value)) return COST_MODEL.defaultPageSize;
  // Out-of-range values fail in the resolver; price them as the largest page they could be.
  return Math.min(Math.max(0, Math.trunc(value)), MAX_PAGE_SIZE);
}

function literal(node: ValueNode, variables: Record<string, unknown> | undefined): unknown {
  if (node.kind === Kind.VARIABLE) return variables?.[node.name.value];
  if (node.kind === Kind.INT) return Number(node.value);
  return undefined;
}

class CostWalker {
  constructor(private readonly input: CostInput) {}

  /** Field nodes of a selection set with their parent types, fragments expanded. */
  private *fields(
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
  ): Generator<[FieldNode, GraphQLCompositeType]> {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        yield [sel, parent];
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const cond = sel.typeCondition
          ? this.input.schema.getType(sel.typeCondition.name.value)
          : parent;
        if (cond && isCompositeType(cond)) yield* this.fields(sel.selectionSet, cond);
      } else {
        const frag = this.input.fragments[sel.name.value];
        const cond = frag && this.input.schema.getType(frag.typeCondition.name.value);
        if (frag && cond && isCompositeType(cond)) yield* this.fields(frag.selectionSet, cond);
      }
    }
  }

  private fieldDef(
    parent: GraphQLCompositeType,
    name: string,
  ): GraphQLField<unknown, unknown> | undefined {
    return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  }

  /** Cost of a selection set; with `data`, the actual cost of the response object `data`. */
  selection(
    set: SelectionSetNode | undefined,
    parent: GraphQLCompositeType,
    data?: Data | null,
  ): number {
    if (!set) return 0;
    let total = 0;
    for (const [node, type] of this.fields(set, parent)) total += this.field(node, type, data);
    return total;
  }

  private field(
    node: FieldNode,
    parent: GraphQLCompositeType,
    data: Data | null | undefined,
  ): number {
    const name = node.name.value;
    if (name === '__typename') return 0;
    if (INTROSPECTION_FIELDS.has(name))
      return data === undefined || (node.alias?.value ?? name) in (data ?? {})
        ? COST_MODEL.introspection
        : 0;
    const def = this.fieldDef(parent, name);
    if (!def) return 0;
    const named = getNamedType(def.type);
    if (isLeafType(named) || !isCompositeType(named) || FREE_OBJECT_TYPES.has(named.name)) return 0;
    const actual = data !== undefined;
    const key = node.alias?.value ?? name;
    if (actual && (!data || !(key in data))) return 0;
    const value = actual ? data![key] : undefined;

    if (isConnectionType(named)) {
      if (actual && value == null) return COST_MODEL.connection;
      return (
        COST_MODEL.connection +
        this.connection(node, named as GraphQLCompositeType, actual ? (value as Data) : undefined)
      );
    }
    if (isListType(getNullableType(def.type))) {
      if (actual) {
        if (!Array.isArray(value)) return value == null ? 0 : COST_MODEL.object;
        return this.items(node.selectionSet, named, value);
      }
      const estimate = LIST_ESTIMATES[`${parent.name}.${name}`] ?? COST_MODEL.listEstimate;
      return estimate * (COST_MODEL.object + this.selection(node.selectionSet, named));
    }
    if (actual && value == null) return COST_MODEL.object;
    return (
      COST_MODEL.object +
      this.selection(node.selectionSet, named, actual ? (value as Data) : undefined)
    );
  }

  /** Objects of a list: 1 each plus their selections (null items cost nothing). */
  private items(
    set: SelectionSetNode | undefined,
    type: GraphQLCompositeType,
    values: unknown[],
  ): number {
    let total = 0;
    for (const item of values) {
      if (Array.isArray(item)) total += this.items(set, type, item);
      else if (item != null) total += COST_MODEL.object + this.selection(set, type, item as Data);
    }
    return total;
  }

  /** Inside a connection: edges/nodes priced per item, totalCount 1, pageInfo free. */
  private connection(node: FieldNode, type: GraphQLCompositeType, data: Data | undefined): number {
    const n = pageSize(node, this.input.variables);
    let total = 0;
    for (const [child, parent] of this.fields(node.selectionSet!, type)) {
      const name = child.name.value;
      const key = child.alias?.value ?? name;
      const def = this.fieldDef(parent, name);
      if (!def) continue;
      const itemType = getNamedType(def.type) as GraphQLCompositeType;
      if (name === 'pageInfo' || name === '__typename') continue;
      if (name === 'totalCount') {
        if (!data || key in data) total += COST_MODEL.totalCount;
        continue;
      }
      if (name === 'edges') {
        // The edge itself is free; its node is the object.
        if (!data) total += n * this.selection(child.selectionSet, itemType);
        else if (Array.isArray(data[key])) {
          for (const edge of data[key] as Data[])
            if (edge) total += this.selection(child.selectionSet, itemType, edge);
        }
        continue;
      }
      if (name === 'nodes') {
        if (!data) total += n * (COST_MODEL.object + this.selection(child.selectionSet, itemType));
        else if (Array.isArray(data[key]))
          total += this.items(child.selectionSet, itemType, data[key] as unknown[]);
        continue;
      }
      total += this.field(child, parent, data ?? undefined);
    }
    return total;
  }

  root(data?: Data | null): number {
    const { schema, operation } = this.input;
    const rootType =
      operation.operation === 'mutation'
        ? schema.getMutationType()
        : operation.operation === 'subscription'
          ? schema.getSubscriptionType()
          : schema.getQueryType();
    if (!rootType) return 0;
    if (operation.operation !== 'mutation')
      return this.selection(operation.selectionSet, rootType, data);
    let total = 0;
    for (const [node, parent] of this.fields(operation.selectionSet, rootType)) {
      if (node.name.value === '__typename') continue;
      const key = node.alias?.value ?? node.name.value;
      if (data !== undefined && !(data && key in data)) continue;
      const def = this.fieldDef(parent, node.name.value);
      const payloadType = def && getNamedType(def.type);
      const payload = data === undefined ? undefined : ((data?.[key] as Data | null) ?? null);
      total +=
        COST_MODEL.mutation +
        (payloadType && isCompositeType(payloadType) && payload !== null
          ? this.selection(node.selectionSet, payloadType, payload)
          : 0);
    }
    return total;
  }
}

/** The cost the document asks for, before it runs. */
export function requestedCost(input: CostInput): number {
  return new CostWalker(input).root();
}

/** The cost of what was actually returned (`data` of the response; null or missing: nothing ran). */
export function actualCost(input: CostInput, data: Data | null | undefined): number {
  return new CostWalker(input).root(data ?? null);
}
