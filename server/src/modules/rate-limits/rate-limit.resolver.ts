import { Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context.js';
import { costBucketKey, costBucketSpec, queryCostOf } from './api-limits.plugin.js';
import { peekBucket } from './token-bucket.js';

@ObjectType('RateLimit', {
  description:
    "The caller's query cost budget: a bucket of points per API token (or signed-in user, or address when anonymous) that refills continuously.",
})
export class RateLimitType {
  @Field(() => Int, { description: 'Points in a full bucket.' })
  limit!: number;

  @Field(() => Int, { description: 'Points left now, after this query was paid for.' })
  remaining!: number;

  @Field(() => Date, {
    description: 'When the bucket will be full again if nothing else is spent.',
  })
  resetAt!: Date;

  @Field(() => Int, { description: 'Points regained per second.' })
  restoreRate!: number;

  @Field(() => Int, { description: 'What this query was priced at (requested cost).' })
  cost!: number;

  @Field(() => Int, { description: 'The most one query may cost.' })
  maxQueryCost!: number;
}

@Resolver()
export class RateLimitResolver {
  @Query(() => RateLimitType, {
    description: 'Your query cost budget (also in every response, under extensions.cost).',
  })
  async rateLimit(@Ctx() ctx: RequestContext): Promise<RateLimitType> {
    const priced = queryCostOf(ctx);
    const spec = priced?.spec ?? costBucketSpec(ctx);
    const bucket =
      priced?.bucket ??
      (await peekBucket(ctx.services.orm.em.getConnection(), costBucketKey(ctx), spec));
    return {
      limit: spec.size,
      remaining: Math.max(0, Math.floor(bucket.available)),
      resetAt: bucket.resetAt,
      restoreRate: spec.ratePerSecond,
      cost: priced?.requested ?? 0,
      maxQueryCost: ctx.services.config.apiLimits.maxQueryCost,
    };
  }
}
