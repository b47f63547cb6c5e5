import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { organizationIdsOf, requireAuthenticated } from '../auth/access.js';
import type { RequestContext } from '../context.js';
import { parseGlobalId } from './ids.js';
import { Node } from './node.js';
import { tenantObjectType } from './tenant-objects.js';

@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description: 'Any object by its global id; null when missing or not yours.',
  })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<unknown> {
    requireAuthenticated(ctx.caller);
    const parsed = parseGlobalId(id);
    if (!parsed) return null;
    // Each module registers how its types load (common/tenant-objects.ts), scoped to the caller.
    const load = tenantObjectType(parsed.type)?.load;
    return load ? load(ctx, parsed.id, organizationIdsOf(ctx.caller)) : null;
  }
}
