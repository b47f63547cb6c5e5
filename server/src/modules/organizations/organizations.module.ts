import { registerEnumType } from 'type-graphql';
import type { ApiModule } from '../../common/api-module.js';
import { registerTenantObject } from '../../common/tenant-objects.js';
import { MemberResolver } from './member.resolver.js';
import { Organization, Role } from './organization.entity.js';
import { organizationNode } from './organization.mappers.js';

registerEnumType(Role, { name: 'Role' });

// An organization is its own tenant.
registerTenantObject('Organization', {
  ownerOf: async (_em, id) => id,
  async load(ctx, id, organizationIds) {
    if (!organizationIds.includes(id)) return null;
    const org = await ctx.em.findOne(Organization, { id });
    return (
      org &&
      organizationNode(
        org,
        ctx.caller.kind === 'user' ? (ctx.caller.roles.get(org.id) ?? null) : null,
      )
    );
  },
});

export const organizationsModule: ApiModule = {
  name: 'organizations',
  resolvers: [MemberResolver],
};
