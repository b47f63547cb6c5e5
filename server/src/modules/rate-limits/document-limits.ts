import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ValidationRule } from 'graphql';
import { DOCUMENT_LIMITS } from './api-limits.js';

/**
 * graphql-armor's depth, alias and directive limits as validation rules (GRAPHQL_VALIDATION_FAILED,
 * HTTP 400). The token limit is graphql-js's own parser option (see `documentParseOptions`); cost
 * is ours (query-cost.ts, per caller and with connections priced by `first`); field suggestions
 * are hidden per caller by the api-limits plugin, so armor's versions of those stay off.
 */
export function documentLimitRules(): ValidationRule[] {
  const armor = new ApolloArmor({
    maxDepth: { n: DOCUMENT_LIMITS.maxDepth, flattenFragments: true, ignoreIntrospection: true },
    maxAliases: { n: DOCUMENT_LIMITS.maxAliases },
    maxDirectives: { n: DOCUMENT_LIMITS.maxDirectives },
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  });
  return armor.protect().validationRules;
}

export const documentParseOptions = { maxTokens: DOCUMENT_LIMITS.maxTokens };
