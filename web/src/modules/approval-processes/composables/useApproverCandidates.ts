import { computed, ref, type Ref } from 'vue';
import { useQuery } from '@vue/apollo-composable';
import { MembersDocument, type Role } from '@/gql/graphql';
import { APPROVER_ROLE_OPTIONS } from '../labels';

/** Members shown at once; typing narrows the list on the server. */
export const CANDIDATE_PAGE_SIZE = 100;

/** Roles whose members may be named approvers: the server refuses viewers. */
const APPROVING_ROLES: Role[] = APPROVER_ROLE_OPTIONS.flatMap((o) => (o.value ? [o.value] : []));

/**
 * Active members of the organization who may approve, by name, for the "Named approvers"
 * picker: the first page, narrowed on the server by `search` (name or email).
 */
export function useApproverCandidates(organizationId: Ref<string>) {
  const search = ref('');
  const { result, loading, error } = useQuery(
    MembersDocument,
    () => ({
      organizationId: organizationId.value,
      // The server refuses searches longer than 100 characters.
      search: search.value.trim().slice(0, 100) || null,
      role: APPROVING_ROLES,
      first: CANDIDATE_PAGE_SIZE,
    }),
    () => ({ enabled: !!organizationId.value, debounce: 250 }),
  );
  // Deactivated users cannot sign in to save a stage: not offered.
  const candidates = computed(
    () =>
      result.value?.members.nodes
        .filter((m) => m.active)
        .map(({ user }) => ({ id: user.id, name: user.name, email: user.email })) ?? [],
  );
  return {
    candidates,
    search,
    loading,
    error,
    /** Members matching the search, listed or not (deactivated ones included). */
    total: computed(() => result.value?.members.totalCount ?? 0),
    /** Whether members matching the search are left out of the list. */
    hasMore: computed(() => !!result.value?.members.pageInfo.hasNextPage),
  };
}
