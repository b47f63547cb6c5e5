import { GraphQLError } from 'graphql';
import { DomainError, UserErrorCode } from '../common/errors.js';
import { fromGlobalId } from '../common/ids.js';
import type { Caller } from './authenticate.js';
import { Permission, roleAllows, scopesAllow } from './permissions.js';

/** Organization ids the caller can see at all. */
export function organizationIdsOf(caller: Caller): string[] {
  if (caller.kind === 'user') return [...caller.roles.keys()];
  if (caller.kind === 'apiClient') return [caller.organizationId];
  return [];
}

export function can(caller: Caller, organizationId: string, permission: Permission): boolean {
  if (caller.kind === 'user') {
    const role = caller.roles.get(organizationId);
    return !!role && roleAllows(role, permission);
  }
  if (caller.kind === 'apiClient') {
    return caller.organizationId === organizationId && scopesAllow(caller.scopes, permission);
  }
  return false;
}

export function requireAuthenticated(caller: Caller): void {
  if (caller.kind === 'anonymous') {
    throw new GraphQLError('Sign in or send an API token (Authorization: Bearer ...)', {
      extensions: { code: 'UNAUTHENTICATED' },
    });
  }
}

export function organizationNotFound(): GraphQLError {
  return new GraphQLError('Organization not found', { extensions: { code: 'NOT_FOUND' } });
}

/**
 * For queries: the organization's uuid when the caller may read it with `permission`.
 * A foreign, missing or malformed id all fail with the same NOT_FOUND error.
 */
export function readableOrganization(
  caller: Caller,
  organizationGlobalId: string,
  permission: Permission = Permission.READ,
): string {
  requireAuthenticated(caller);
  const id = fromGlobalId(organizationGlobalId, 'Organization');
  if (!id || !organizationIdsOf(caller).includes(id)) throw organizationNotFound();
  if (!can(caller, id, permission)) {
    throw new GraphQLError('You do not have permission to read this', {
      extensions: { code: 'FORBIDDEN' },
    });
  }
  return id;
}

/**
 * For mutations: the organization's uuid, or a DomainError (NOT_FOUND for foreign/missing,
 * FORBIDDEN when the caller belongs to it but lacks the permission).
 */
export function authorizeOrganization(
  caller: Caller,
  organizationId: string,
  permission: Permission,
  field: string[] = ['organizationId'],
): string {
  if (caller.kind === 'anonymous') {
    throw new DomainError(UserErrorCode.UNAUTHENTICATED, 'Sign in or send an API token');
  }
  if (!organizationIdsOf(caller).includes(organizationId)) {
    throw new DomainError(UserErrorCode.NOT_FOUND, 'Organization not found', field);
  }
  if (!can(caller, organizationId, permission)) {
    throw new DomainError(UserErrorCode.FORBIDDEN, forbiddenMessage(permission));
  }
  return organizationId;
}

function forbiddenMessage(permission: Permission): string {
  switch (permission) {
    case Permission.WRITE:
      return 'Changing invoices needs the ACCOUNTANT or ADMIN role (tokens: the write scope)';
    case Permission.APPROVE:
      return 'Saving an approval stage needs an approver role (tokens: the write scope)';
    case Permission.EXPORT:
      return 'Transferring to accounting needs accounting rights: ACCOUNTANT or ADMIN (tokens: the export scope)';
    case Permission.ADMIN:
      return 'Only an ADMIN (tokens: the admin scope) may change this';
    default:
      return 'You do not have permission to do this';
  }
}
