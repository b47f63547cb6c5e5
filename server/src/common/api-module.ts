import type { ClassType } from 'type-graphql';

/**
 * A module's share of the API. Importing a module's `*.module.ts` file registers its GraphQL
 * enums, node types and tenant objects; the list of modules (api-modules.ts) wires them all.
 */
export interface ApiModule {
  name: string;
  resolvers: readonly ClassType[];
}
