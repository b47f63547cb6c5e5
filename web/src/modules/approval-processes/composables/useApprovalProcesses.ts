import { computed, type Ref } from 'vue';
import { useMutation, useQuery } from '@vue/apollo-composable';
import {
  ApprovalProcessDocument,
  ApprovalProcessesDocument,
  CreateApprovalProcessDocument,
  DeleteApprovalProcessDocument,
  UpdateApprovalProcessDocument,
  type ApprovalStageInput,
} from '@/gql/graphql';
import type { FieldError } from '@/lib/errors';

/** The organization's processes, the default first. */
export function useApprovalProcesses(organizationId: Ref<string>) {
  const { result, loading, error, refetch } = useQuery(
    ApprovalProcessesDocument,
    () => ({ organizationId: organizationId.value }),
    () => ({ enabled: !!organizationId.value }),
  );
  return {
    processes: computed(() => result.value?.approvalProcesses ?? []),
    loaded: computed(() => !!result.value),
    loading,
    error,
    refetch,
  };
}

/** One process with its stages' named approvers; `process` is null when it does not exist. */
export function useApprovalProcess(id: Ref<string | null>) {
  const { result, loading, error, refetch } = useQuery(
    ApprovalProcessDocument,
    () => ({ id: id.value ?? '' }),
    () => ({ enabled: !!id.value }),
  );
  const process = computed(() => {
    const node = result.value?.node;
    return node?.__typename === 'ApprovalProcess' ? node : null;
  });
  return { process, loaded: computed(() => !!result.value), loading, error, refetch };
}

export interface ProcessChanges {
  name: string;
  isDefault: boolean;
  stages: ApprovalStageInput[];
}

export interface SaveResult {
  id: string | null;
  errors: FieldError[];
}

/**
 * Create, update and delete. The list is refetched after each: making one process the default
 * changes another one too.
 */
export function useApprovalProcessMutations(organizationId: Ref<string>) {
  const refetchQueries = () => [
    { query: ApprovalProcessesDocument, variables: { organizationId: organizationId.value } },
  ];
  const create = useMutation(CreateApprovalProcessDocument, () => ({
    refetchQueries: refetchQueries(),
  }));
  const update = useMutation(UpdateApprovalProcessDocument, () => ({
    refetchQueries: refetchQueries(),
  }));
  const remove = useMutation(DeleteApprovalProcessDocument, () => ({
    refetchQueries: refetchQueries(),
    update(cache, { data }) {
      const id = data?.deleteApprovalProcess.deletedApprovalProcessId;
      if (!id) return;
      cache.evict({ id: cache.identify({ __typename: 'ApprovalProcess', id }) });
      cache.gc();
    },
  }));

  async function createProcess(changes: ProcessChanges): Promise<SaveResult> {
    const result = await create.mutate({
      input: { organizationId: organizationId.value, ...changes },
    });
    const payload = result?.data?.createApprovalProcess;
    return { id: payload?.approvalProcess?.id ?? null, errors: payload?.userErrors ?? [] };
  }

  async function updateProcess(
    approvalProcessId: string,
    version: number,
    changes: ProcessChanges,
  ): Promise<SaveResult> {
    // The default cannot be unset, only handed to another process: send true or nothing.
    const { isDefault, ...rest } = changes;
    const result = await update.mutate({
      input: { approvalProcessId, version, ...rest, ...(isDefault ? { isDefault: true } : {}) },
    });
    const payload = result?.data?.updateApprovalProcess;
    return { id: payload?.approvalProcess?.id ?? null, errors: payload?.userErrors ?? [] };
  }

  async function deleteProcess(approvalProcessId: string, version: number): Promise<FieldError[]> {
    const result = await remove.mutate({ input: { approvalProcessId, version } });
    return result?.data?.deleteApprovalProcess.userErrors ?? [];
  }

  return {
    createProcess,
    updateProcess,
    deleteProcess,
    saving: computed(() => create.loading.value || update.loading.value),
    deleting: remove.loading,
  };
}
