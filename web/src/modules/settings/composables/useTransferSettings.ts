import { computed, type Ref } from 'vue';
import { useMutation, useQuery } from '@vue/apollo-composable';
import {
  TransferSettingsDocument,
  UpdateTransferSettingsDocument,
  type TransferSettingsFieldsFragment,
} from '@/gql/graphql';
import type { FieldError } from '@/lib/errors';

export type TransferSettingsValues = Omit<TransferSettingsFieldsFragment, '__typename'>;

/** Automatic transfer, export mode and closed-period policy of the organization (admin). */
export function useTransferSettings(organizationId: Ref<string>) {
  const { result, loading, error, refetch } = useQuery(
    TransferSettingsDocument,
    () => ({ organizationId: organizationId.value }),
    () => ({ enabled: !!organizationId.value }),
  );
  const { mutate, loading: saving } = useMutation(UpdateTransferSettingsDocument, {
    // The settings have no id: put the saved values where the query reads them.
    update(cache, { data }) {
      const saved = data?.updateTransferSettings.transferSettings;
      if (!saved) return;
      cache.writeQuery({
        query: TransferSettingsDocument,
        variables: { organizationId: organizationId.value },
        data: { transferSettings: saved },
      });
    },
  });

  async function save(values: Partial<TransferSettingsValues>): Promise<FieldError[]> {
    const result = await mutate({ input: { organizationId: organizationId.value, ...values } });
    return result?.data?.updateTransferSettings.userErrors ?? [];
  }

  return {
    settings: computed(() => result.value?.transferSettings ?? null),
    loading,
    error,
    refetch,
    save,
    saving,
  };
}
