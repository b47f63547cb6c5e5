import { toGlobalId } from '../../common/ids.js';
import type { ApiClient } from '../api-clients/api-client.entity.js';
import type { User } from '../users/user.entity.js';
import type { Membership, Organization, Role } from './organization.entity.js';
import type {
  ApiClientType,
  MemberType,
  OrganizationType,
  UserType,
} from './organization.types.js';

type Typed<T, N extends string> = T & { __typename: N };

export function organizationNode(
  org: Organization,
  role: Role | null,
): Typed<OrganizationType, 'Organization'> {
  return {
    __typename: 'Organization',
    id: toGlobalId('Organization', org.id),
    slug: org.slug,
    name: org.name,
    currency: org.currency,
    role,
  };
}

export function userNode(user: User): Typed<UserType, 'User'> {
  return {
    __typename: 'User',
    id: toGlobalId('User', user.id),
    email: user.email,
    name: user.name,
  };
}

export function memberNode(membership: Membership): MemberType {
  return {
    user: userNode(membership.user),
    role: membership.role,
    active: membership.user.active,
  };
}

export function apiClientNode(client: ApiClient): Typed<ApiClientType, 'ApiClient'> {
  return {
    __typename: 'ApiClient',
    id: toGlobalId('ApiClient', client.id),
    name: client.name,
    scopes: client.scopes,
    tokenPrefix: client.tokenPrefix,
    createdAt: client.createdAt,
    lastUsedAt: client.lastUsedAt ?? null,
    revokedAt: client.revokedAt ?? null,
  };
}
