import { ApiScope } from '../modules/api-clients/api-client.entity.js';
import { Role } from '../modules/organizations/organization.entity.js';

/**
 * What a caller may do in an organization. The one table that maps membership roles and
 * API-token scopes to permissions; resolvers ask for a permission, never for a role.
 */
export enum Permission {
  /** Read everything of the organization. */
  READ = 'READ',
  /** Create invoices, change posting, post, send to circulation, record payments. */
  WRITE = 'WRITE',
  /** Save (approve/reject) an approval stage; the stage's own approvers are checked too. */
  APPROVE = 'APPROVE',
  /** Transfer to accounting ("basic accounting rights"). */
  EXPORT = 'EXPORT',
  /** Settings, approval processes, periods, lock date, tokens. */
  ADMIN = 'ADMIN',
}

export const ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  [Role.VIEWER]: [Permission.READ],
  [Role.APPROVER]: [Permission.READ, Permission.APPROVE],
  [Role.ACCOUNTANT]: [Permission.READ, Permission.WRITE, Permission.APPROVE, Permission.EXPORT],
  [Role.ADMIN]: [
    Permission.READ,
    Permission.WRITE,
    Permission.APPROVE,
    Permission.EXPORT,
    Permission.ADMIN,
  ],
};

export const SCOPE_PERMISSIONS: Record<ApiScope, Permission[]> = {
  [ApiScope.READ]: [Permission.READ],
  [ApiScope.WRITE]: [Permission.READ, Permission.WRITE, Permission.APPROVE],
  [ApiScope.EXPORT]: [Permission.READ, Permission.EXPORT],
  [ApiScope.ADMIN]: [Permission.READ, Permission.ADMIN],
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export function scopesAllow(scopes: ApiScope[], permission: Permission): boolean {
  return scopes.some((s) => SCOPE_PERMISSIONS[s]?.includes(permission));
}

/** Roles that carry "basic accounting rights" (needed for automatic transfer on save). */
export function hasAccountingRights(role: Role): boolean {
  return roleAllows(role, Permission.EXPORT);
}
