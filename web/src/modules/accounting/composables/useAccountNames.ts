import { computed, type Ref } from 'vue';
import { useQuery } from '@vue/apollo-composable';
import { MasterDataDocument } from '@/gql/graphql';

/** Account and cost-unit names by code, from the ledger's master data (read once, then cached). */
export function useAccountNames(organizationId: Ref<string>) {
  const { result } = useQuery(
    MasterDataDocument,
    () => ({ organizationId: organizationId.value }),
    () => ({ enabled: !!organizationId.value, fetchPolicy: 'cache-first' }),
  );
  const accounts = computed(
    () => new Map((result.value?.masterData.accounts ?? []).map((a) => [a.code, a.name])),
  );
  const costUnits = computed(
    () => new Map((result.value?.masterData.costUnits ?? []).map((c) => [c.code, c.name])),
  );
  return { accounts, costUnits };
}
