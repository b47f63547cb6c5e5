import { computed, type Ref } from 'vue';
import { useQuery } from '@vue/apollo-composable';
import { AccountingSystemDocument } from '@/gql/graphql';

/**
 * The name of the accounting system the organization transfers into ("Built-in ledger",
 * "accountsIQ"), for the places that would otherwise just say "ledger".
 */
export function useAccountingSystemName(organizationId: Ref<string>) {
  const { result } = useQuery(
    AccountingSystemDocument,
    () => ({ organizationId: organizationId.value }),
    () => ({ enabled: !!organizationId.value }),
  );
  const system = computed(() => result.value?.accountingSystem ?? null);
  return {
    system,
    /** "the ledger" until known, and for the built-in one; else the system's own name. */
    ledgerName: computed(() =>
      system.value && system.value.system !== 'BUILTIN' ? system.value.systemName : 'the ledger',
    ),
    external: computed(() => !!system.value && system.value.system !== 'BUILTIN'),
  };
}
