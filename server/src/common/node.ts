import { Field, ID, InterfaceType } from 'type-graphql';
import type { NodeTypeName } from './ids.js';

/** Entity classes (and plain objects carrying __typename) → GraphQL type names. */
type AnyClass = abstract new (...args: never[]) => unknown;
const nodeTypeNames = new Map<unknown, NodeTypeName>();

export function registerNodeType(entity: AnyClass, name: NodeTypeName) {
  nodeTypeNames.set(entity, name);
}

export function nodeTypeNameOf(value: unknown): NodeTypeName | undefined {
  if (value && typeof value === 'object') {
    const explicit = (value as { __typename?: NodeTypeName }).__typename;
    if (explicit) return explicit;
    return nodeTypeNames.get((value as object).constructor);
  }
  return undefined;
}

@InterfaceType({
  description: 'An object with an opaque global id, fetchable with `node(id:)`.',
  resolveType: (value) => nodeTypeNameOf(value),
})
export abstract class Node {
  @Field(() => ID)
  id!: string;
}
