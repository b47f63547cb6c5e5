import { GraphQLError } from 'graphql';
import { Field, Int, ObjectType, type ClassType } from 'type-graphql';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  /** A function so the count query runs only when the client asks for it. */
  totalCount: number | (() => Promise<number>);
}

/** A Relay connection type named `${name}Connection` with `${name}Edge` edges. */
export function ConnectionType<T extends object>(name: string, nodeType: () => ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class Connection implements ConnectionShape<T> {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => [nodeType()])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int)
    totalCount!: number | (() => Promise<number>);
  }
  return Connection;
}

function badInput(message: string) {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** Validates `first`: 0..100, default 20. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}, got ${first}`);
  }
  return first;
}

/** Keyset cursors: the sort key values of a row, opaque to clients. */
export function encodeCursor(values: (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/**
 * The longest text a cursor carries (a name it pages by): anything that lists by name must keep
 * its names within it, or the page after such a row could not be asked for.
 */
export const CURSOR_TEXT_MAX = 200;

export type CursorValueKind = 'date' | 'numeric' | 'timestamp' | 'uuid' | 'text';

const CURSOR_VALUE_CHECKS: Record<CursorValueKind, (v: unknown) => boolean> = {
  date: (v) =>
    typeof v === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(v) &&
    !Number.isNaN(Date.parse(`${v}T00:00:00Z`)),
  numeric: (v) => typeof v === 'string' && /^-?\d{1,20}(\.\d{1,6})?$/.test(v),
  timestamp: (v) =>
    typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(v) && !Number.isNaN(Date.parse(v)),
  uuid: (v) =>
    typeof v === 'string' &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v),
  text: (v) => typeof v === 'string' && v.length <= CURSOR_TEXT_MAX,
};

/**
 * Decodes a keyset cursor. `shape` names the kind of each value, which is checked here, so
 * a hand-made cursor is a clear BAD_USER_INPUT error, never a failed cast in SQL.
 */
export function decodeCursor(
  cursor: string | null | undefined,
  shape: number | CursorValueKind[],
): (string | number | null)[] | null {
  if (cursor === null || cursor === undefined || cursor === '') return null;
  const kinds = typeof shape === 'number' ? null : shape;
  const arity = kinds ? kinds.length : (shape as number);
  try {
    if (cursor.length > 500) throw new Error('too long');
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      !Array.isArray(values) ||
      values.length !== arity ||
      !values.every((v) => v === null || typeof v === 'string' || typeof v === 'number') ||
      (kinds && !values.every((v, i) => CURSOR_VALUE_CHECKS[kinds[i]](v)))
    ) {
      throw new Error('shape');
    }
    return values;
  } catch {
    throw badInput('after is not a valid cursor: pass the endCursor of a previous page');
  }
}

/** Builds a connection from `limit + 1` fetched rows (the extra row tells hasNextPage). */
export function toConnection<Row, Node>(
  rows: Row[],
  limit: number,
  cursorOf: (row: Row) => string,
  toNode: (row: Row) => Node,
  totalCount: number | (() => Promise<number>),
  hasPreviousPage = false,
): ConnectionShape<Node> {
  const page = rows.slice(0, limit);
  const edges = page.map((row) => ({ cursor: cursorOf(row), node: toNode(row) }));
  const connection = {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  } as ConnectionShape<Node>;
  // GraphQL resolves a promise-valued property; the count query runs only when it is read.
  let count: Promise<number> | undefined;
  Object.defineProperty(connection, 'totalCount', {
    enumerable: true,
    get: () => (typeof totalCount === 'number' ? totalCount : (count ??= totalCount())),
  });
  return connection;
}
