import { computed, ref } from 'vue';
import { useQuery } from '@vue/apollo-composable';
import { SupplierOptionsDocument } from '@/gql/graphql';
import { useOrganizationId } from '@/composables/useSession';

/** Suppliers for a picker: the first 100 by name, narrowed on the server as the user types. */
export function useSupplierOptions() {
  const organizationId = useOrganizationId();
  const search = ref('');
  const { result, loading } = useQuery(
    SupplierOptionsDocument,
    () => ({ organizationId: organizationId.value, search: search.value || null, first: 100 }),
    () => ({ enabled: !!organizationId.value, debounce: 250 }),
  );
  const suppliers = computed(() => result.value?.suppliers.edges.map((e) => e.node) ?? []);
  return { suppliers, search, loading };
}
