import { computed } from 'vue';
import type { Role } from '@/gql/graphql';
import { useSession } from './useSession';

/** What a member may do; mirrors the server's ROLE_PERMISSIONS (server/src/auth/permissions.ts). */
export type Permission = 'READ' | 'WRITE' | 'APPROVE' | 'EXPORT' | 'ADMIN';

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  VIEWER: ['READ'],
  APPROVER: ['READ', 'APPROVE'],
  ACCOUNTANT: ['READ', 'WRITE', 'APPROVE', 'EXPORT'],
  ADMIN: ['READ', 'WRITE', 'APPROVE', 'EXPORT', 'ADMIN'],
};

export const ROLE_LABELS: Record<Role, string> = {
  VIEWER: 'Viewer',
  APPROVER: 'Approver',
  ACCOUNTANT: 'Accountant',
  ADMIN: 'Admin',
};

const NEEDS: Record<Permission, string> = {
  READ: 'Viewing this needs a membership in the organization.',
  WRITE: 'Changing invoices needs the Accountant or Admin role.',
  APPROVE: 'Approving needs the Approver, Accountant or Admin role.',
  EXPORT: 'Transferring to accounting needs accounting rights (Accountant or Admin role).',
  ADMIN: 'Only an Admin may change this.',
};

export function roleAllows(role: Role | null | undefined, permission: Permission): boolean {
  return !!role && ROLE_PERMISSIONS[role].includes(permission);
}

/** Why `role` may not take an action needing `permission`; null when it may. */
export function permissionReason(
  role: Role | null | undefined,
  permission: Permission,
): string | null {
  if (roleAllows(role, permission)) return null;
  const yours = role ? ` Your role here is ${ROLE_LABELS[role]}.` : '';
  return `${NEEDS[permission]}${yours}`;
}

export function usePermissions() {
  const { role } = useSession();
  return {
    role,
    roleLabel: computed(() => (role.value ? ROLE_LABELS[role.value] : '')),
    can: (permission: Permission) => roleAllows(role.value, permission),
    /** The sentence to show next to a disabled action; null when allowed. */
    reason: (permission: Permission) => permissionReason(role.value, permission),
  };
}
