import { computed, type Ref } from 'vue';
import { useMutation, useQuery } from '@vue/apollo-composable';
import {
  AccountingConnectionDocument,
  AccountingDriftReportDocument,
  ConnectAccountingDocument,
  DisconnectAccountingDocument,
  RefreshMasterDataDocument,
  RunDriftCheckDocument,
  TestAccountingConnectionDocument,
  UpdateAccountingConnectionDocument,
  type AccountingConnectionFieldsFragment,
} from '@/gql/graphql';
import type { FieldError } from '@/lib/errors';

export type AccountingConnectionValues = AccountingConnectionFieldsFragment;

export interface CredentialsDraft {
  system: 'ACCOUNTSIQ';
  endpoint: string;
  entity: string;
  clientId: string;
  /** Empty: keep the stored secret (updates only). */
  clientSecret: string;
}

export interface TestOutcome {
  ok: boolean;
  code: string | null;
  message: string | null;
  companyName: string | null;
  openPeriods: number | null;
}

/** The organization's accounting connection and every admin action on it. */
export function useAccountingConnection(organizationId: Ref<string>) {
  const variables = () => ({ organizationId: organizationId.value });
  const enabled = () => ({ enabled: !!organizationId.value });
  const query = useQuery(AccountingConnectionDocument, variables, enabled);
  const drift = useQuery(AccountingDriftReportDocument, variables, enabled);
  // Every mutation answers with the connection (same id): the cache updates the query itself.
  const connect = useMutation(ConnectAccountingDocument);
  const update = useMutation(UpdateAccountingConnectionDocument);
  const disconnect = useMutation(DisconnectAccountingDocument);
  const test = useMutation(TestAccountingConnectionDocument);
  const refresh = useMutation(RefreshMasterDataDocument);
  const runDrift = useMutation(RunDriftCheckDocument, {
    refetchQueries: ['AccountingDriftReport'],
  });

  const connection = computed(() => query.result.value?.accountingConnection ?? null);
  const input = () => ({ organizationId: organizationId.value });

  async function save(draft: CredentialsDraft): Promise<FieldError[]> {
    const current = connection.value;
    if (!current?.connected) {
      const r = await connect.mutate({ input: { ...input(), ...draft } });
      return r?.data?.connectAccounting.userErrors ?? [];
    }
    const r = await update.mutate({
      input: {
        ...input(),
        version: current.version ?? 0,
        endpoint: draft.endpoint,
        entity: draft.entity,
        clientId: draft.clientId,
        clientSecret: draft.clientSecret || null,
      },
    });
    return r?.data?.updateAccountingConnection.userErrors ?? [];
  }

  async function runTest(): Promise<{ errors: FieldError[]; outcome: TestOutcome | null }> {
    const r = await test.mutate({ input: input() });
    const payload = r?.data?.testAccountingConnection;
    return { errors: payload?.userErrors ?? [], outcome: payload?.result ?? null };
  }

  async function disconnectNow(): Promise<FieldError[]> {
    const r = await disconnect.mutate({ input: input() });
    return r?.data?.disconnectAccounting.userErrors ?? [];
  }

  async function refreshNow(): Promise<FieldError[]> {
    const r = await refresh.mutate({ input: input() });
    return r?.data?.refreshMasterData.userErrors ?? [];
  }

  async function driftNow(): Promise<FieldError[]> {
    const r = await runDrift.mutate({ input: input() });
    return r?.data?.runDriftCheck.userErrors ?? [];
  }

  return {
    connection,
    loading: query.loading,
    error: query.error,
    refetch: query.refetch,
    driftReport: computed(() => drift.result.value?.accountingDriftReport ?? null),
    save,
    saving: computed(() => connect.loading.value || update.loading.value),
    runTest,
    testing: test.loading,
    disconnectNow,
    disconnecting: disconnect.loading,
    refreshNow,
    refreshing: refresh.loading,
    driftNow,
    checkingDrift: runDrift.loading,
  };
}
