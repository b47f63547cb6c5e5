import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { readableOrganization } from '../../auth/access.js';
import { Permission } from '../../auth/permissions.js';
import { pageSize } from '../../common/connection.js';
import type { RequestContext } from '../../context.js';
import { listMembers } from './member.queries.js';
import { Role } from './organization.entity.js';
import { MemberConnection } from './organization.types.js';

@Resolver()
export class MemberResolver {
  @Query(() => MemberConnection, {
    description:
      "The organization's members by name (admin), e.g. to name approvers. `search` matches name or email.",
  })
  async members(
    @Arg('organizationId', () => ID) organizationId: string,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('search', () => String, { nullable: true }) search: string | null,
    @Arg('role', () => [Role], {
      nullable: true,
      description: 'Only members with one of these roles.',
    })
    role: Role[] | null,
    @Ctx() ctx: RequestContext,
  ) {
    const orgId = readableOrganization(ctx.caller, organizationId, Permission.ADMIN);
    return listMembers(ctx.em, orgId, { search, roles: role }, pageSize(first), after);
  }
}
