/**
 * Apollo plugin for the API's per-request limits: introspection and field suggestions only for
 * authenticated callers; the query cost checked against the per-query maximum and taken from the
 * caller's bucket before anything runs; the unused part refunded after; `extensions.cost` on every
 * response that was priced.
 */
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, visit, type DocumentNode, type FragmentDefinitionNode } from 'graphql';
import type { Request } from 'express';
import type { RequestContext } from '../../context.js';
import { actualCost, requestedCost, type CostInput } from './query-cost.js';
import { adjustBucket, takeFromBucket, type BucketSpec, type BucketState } from './token-bucket.js';

export interface QueryCostState {
  requested: number;
  bucketKey: string;
  spec: BucketSpec;
  /** The bucket after this request's debit. */
  bucket: BucketState;
}

const costs = new WeakMap<RequestContext, QueryCostState>();

/** The priced cost of the request running in `ctx` (for the `rateLimit` query). */
export function queryCostOf(ctx: RequestContext): QueryCostState | undefined {
  return costs.get(ctx);
}

/** The client's address as Express sees it (`trust proxy` decides which hop counts). */
export function clientAddress(req: Request | undefined): string {
  return req?.ip ?? req?.socket?.remoteAddress ?? 'unknown';
}

/** Whose bucket pays: the API token, the signed-in user (all their sessions), or the address. */
export function costBucketKey(ctx: RequestContext): string {
  const c = ctx.caller;
  if (c.kind === 'apiClient') return `cost:api_client:${c.apiClient.id}`;
  if (c.kind === 'user') return `cost:user:${c.user.id}`;
  return `cost:ip:${clientAddress(ctx.req)}`;
}

export function costBucketSpec(ctx: RequestContext): BucketSpec {
  const l = ctx.services.config.apiLimits;
  return ctx.caller.kind === 'user'
    ? { size: l.sessionBucketSize, ratePerSecond: l.sessionRestoreRate }
    : { size: l.bucketSize, ratePerSecond: l.restoreRate };
}

function usesIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  return found;
}

/** graphql-js appends suggestions to validation and coercion messages, e.g. ` Did you mean "invoice"?` */
const SUGGESTION = /\s*Did you mean [^]*\?$/;

export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}

function throttleStatus(bucket: BucketState) {
  return {
    maximumAvailable: bucket.size,
    currentlyAvailable: Math.max(0, Math.floor(bucket.available)),
    restoreRate: bucket.ratePerSecond,
  };
}

export function apiLimitsPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      let priced: (QueryCostState & { input: CostInput; allowed: boolean }) | undefined;
      return {
        async didEncounterErrors({ errors, contextValue }) {
          if (contextValue.caller.kind !== 'anonymous') return;
          for (const err of errors) err.message = withoutSuggestions(err.message);
        },

        async didResolveOperation({ contextValue: ctx, document, operation, schema, request }) {
          if (ctx.caller.kind === 'anonymous' && usesIntrospection(document)) {
            throw new GraphQLError(
              'GraphQL introspection is not allowed for unauthenticated callers: sign in or send an API token',
              {
                extensions: {
                  code: 'GRAPHQL_VALIDATION_FAILED',
                  http: { status: 400, headers: new HeaderMap() },
                },
              },
            );
          }
          if (!operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const def of document.definitions)
            if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
          const input: CostInput = { schema, operation, fragments, variables: request.variables };
          const requested = requestedCost(input);
          const limits = ctx.services.config.apiLimits;
          if (requested > limits.maxQueryCost) {
            throw new GraphQLError(
              `This query would cost ${requested} points, more than the ${limits.maxQueryCost} one query may cost: ask for fewer items (first) or fewer nested connections`,
              {
                extensions: {
                  code: 'MAX_COST_EXCEEDED',
                  cost: { requestedQueryCost: requested, maximumQueryCost: limits.maxQueryCost },
                  http: { status: 400, headers: new HeaderMap() },
                },
              },
            );
          }
          const bucketKey = costBucketKey(ctx);
          const spec = costBucketSpec(ctx);
          const take = await takeFromBucket(
            ctx.services.orm.em.getConnection(),
            bucketKey,
            requested,
            spec,
          );
          priced = { requested, bucketKey, spec, bucket: take, input, allowed: take.allowed };
          costs.set(ctx, priced);
          if (!take.allowed) {
            throw new GraphQLError(
              `Throttled: this query costs ${requested} points and ${Math.floor(Math.max(0, take.available))} are available; retry in ${take.retryAfterSeconds} s`,
              {
                extensions: {
                  code: 'THROTTLED',
                  retryAfter: take.retryAfterSeconds,
                  cost: {
                    requestedQueryCost: requested,
                    actualQueryCost: 0,
                    throttleStatus: throttleStatus(take),
                  },
                  http: {
                    status: 429,
                    headers: new HeaderMap([['retry-after', String(take.retryAfterSeconds)]]),
                  },
                },
              },
            );
          }
        },

        async willSendResponse({ response, contextValue: ctx }) {
          if (!priced || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          let actual = 0;
          let bucket = priced.bucket;
          if (priced.allowed) {
            actual = actualCost(
              priced.input,
              result.data as Record<string, unknown> | null | undefined,
            );
            const refund = priced.requested - actual;
            if (refund !== 0) {
              try {
                await adjustBucket(
                  ctx.services.orm.em.getConnection(),
                  priced.bucketKey,
                  refund,
                  priced.spec,
                );
                bucket = {
                  ...bucket,
                  available: Math.min(
                    bucket.size,
                    Math.max(-bucket.size, bucket.available + refund),
                  ),
                };
              } catch (err) {
                // The response is ready; a failed refund only costs the caller points.
                ctx.log.warn({ err, bucketKey: priced.bucketKey }, 'query cost refund failed');
              }
            }
          }
          result.extensions = {
            ...result.extensions,
            cost: {
              requestedQueryCost: priced.requested,
              actualQueryCost: actual,
              throttleStatus: throttleStatus(bucket),
            },
          };
        },
      };
    },
  };
}
