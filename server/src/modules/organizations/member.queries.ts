import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import {
  decodeCursor,
  encodeCursor,
  toConnection,
  type ConnectionShape,
} from '../../common/connection.js';
import { Membership, type Role } from './organization.entity.js';
import { memberNode } from './organization.mappers.js';
import type { MemberType } from './organization.types.js';
import { escapeLike } from '../../common/search.js';

export const MEMBER_SEARCH_MAX = 100;

export interface MemberFilter {
  /** Part of the name or email, case-insensitive. */
  search?: string | null;
  /** Only members with one of these roles. */
  roles?: Role[] | null;
}

/** The organization's members by name, then user id (keyset cursor: name and user id). */
export async function listMembers(
  em: EntityManager,
  organizationId: string,
  filter: MemberFilter,
  limit: number,
  after: string | null | undefined,
): Promise<ConnectionShape<MemberType>> {
  const cursor = decodeCursor(after, ['text', 'uuid']);
  const where: Record<string, unknown> = { organization: organizationId };
  if (filter.roles?.length) where.role = { $in: [...new Set(filter.roles)] };
  const search = filter.search?.trim();
  if (search) {
    if (search.length > MEMBER_SEARCH_MAX)
      throw new GraphQLError(`search is longer than ${MEMBER_SEARCH_MAX} characters`, {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    const pattern = `%${escapeLike(search)}%`;
    where.user = { $or: [{ name: { $ilike: pattern } }, { email: { $ilike: pattern } }] };
  }
  const qb = em
    .createQueryBuilder(Membership, 'm')
    .select('*')
    .joinAndSelect('m.user', 'u')
    .where(where);
  if (cursor) qb.andWhere('(u.name, u.id) > (?, ?::uuid)', [cursor[0], cursor[1]]);
  const rows = await qb
    .orderBy({ user: { name: 'asc', id: 'asc' } })
    .limit(limit + 1)
    .getResultList();
  return toConnection(
    rows,
    limit,
    (m) => encodeCursor([m.user.name, m.user.id]),
    memberNode,
    () => em.count(Membership, where),
    !!cursor,
  );
}
