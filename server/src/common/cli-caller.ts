/**
 * Who a command-line import acts as: the organization named by `--org SLUG`, and the member named
 * by `--as EMAIL` (default: its first ADMIN), with that member's roles: the same checks as the API.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../auth/authenticate.js';
import { Membership, Organization, Role } from '../modules/organizations/organization.entity.js';

export async function cliCaller(
  em: EntityManager,
  flags: Record<string, string | true>,
): Promise<{ org: Organization; caller: Caller }> {
  if (typeof flags.org !== 'string') throw new Error('--org SLUG is required');
  const org = await em.findOne(Organization, { slug: flags.org });
  if (!org) throw new Error(`no organization with slug "${flags.org}"`);
  const members = await em.find(
    Membership,
    {
      organization: org,
      ...(typeof flags.as === 'string' ? { user: { email: flags.as.toLowerCase() } } : {}),
    },
    { populate: ['user'], orderBy: { createdAt: 'asc' } },
  );
  const member =
    typeof flags.as === 'string' ? members[0] : members.find((m) => m.role === Role.ADMIN);
  if (!member)
    throw new Error(
      typeof flags.as === 'string'
        ? `${flags.as} is not a member of ${org.slug}`
        : `${org.slug} has no ADMIN to act as: pass --as EMAIL`,
    );
  const roles = new Map(
    (await em.find(Membership, { user: member.user })).map((m) => [m.organization.id, m.role]),
  );
  return { org, caller: { kind: 'user', user: member.user, sessionTokenHash: 'cli', roles } };
}
