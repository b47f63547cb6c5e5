import type { Role } from '@/gql/graphql';
import { ROLE_LABELS } from '@/composables/usePermissions';

/** Roles whose members may save a stage (viewers may not). */
export const APPROVER_ROLE_OPTIONS: readonly { value: Role | null; label: string }[] = [
  { value: null, label: 'Only the named approvers' },
  { value: 'APPROVER', label: `${ROLE_LABELS.APPROVER}s` },
  { value: 'ACCOUNTANT', label: `${ROLE_LABELS.ACCOUNTANT}s` },
  { value: 'ADMIN', label: `${ROLE_LABELS.ADMIN}s` },
];

export const TRANSFER_STEP_LABEL = 'Invoice will be transferred from this step';
export const TRANSFER_STEP_HELP =
  'With automatic transfer on, saving an invoice at this stage sends it to the ledger; it can also be exported by hand from here.';

/** "Approvers and Anna Virtanen", "Accountants", "Anna Virtanen, Ville Nieminen". */
export function approverSummary(
  role: Role | null | undefined,
  approvers: readonly { name: string }[] = [],
): string {
  const parts = [...(role ? [`${ROLE_LABELS[role]}s`] : []), ...approvers.map((a) => a.name)];
  if (!parts.length) return 'Nobody';
  if (parts.length === 1) return parts[0];
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
