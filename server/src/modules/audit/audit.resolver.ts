import { Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { toGlobalId } from '../../common/ids.js';
import type { RequestContext } from '../../context.js';
import { apiClientNode, userNode } from '../organizations/organization.mappers.js';
import { ActorType, type AuditEvent } from './audit-event.entity.js';
import { ActorUnion, AuditEventType } from './audit.types.js';

@Resolver(() => AuditEventType)
export class AuditEventResolver {
  @FieldResolver(() => ID)
  id(@Root() e: AuditEvent) {
    return toGlobalId('AuditEvent', e.id);
  }

  @FieldResolver(() => ActorUnion)
  async actor(@Root() e: AuditEvent, @Ctx() ctx: RequestContext): Promise<typeof ActorUnion> {
    if (e.actorType === ActorType.SYSTEM) {
      const onBehalfOf = e.onBehalfOf ? await ctx.loaders.user.load(e.onBehalfOf.id) : null;
      return {
        __typename: 'SystemActor',
        name: e.systemName ?? 'Ledgerlink',
        onBehalfOf: onBehalfOf ? userNode(onBehalfOf) : null,
      } as never;
    }
    if (e.actorType === ActorType.API_CLIENT && e.actorApiClient) {
      await ctx.em.populate(e, ['actorApiClient']);
      return apiClientNode(e.actorApiClient) as never;
    }
    const user = e.actorUser ? await ctx.loaders.user.load(e.actorUser.id) : null;
    return (
      user ? userNode(user) : { __typename: 'SystemActor', name: 'Ledgerlink', onBehalfOf: null }
    ) as never;
  }
}
