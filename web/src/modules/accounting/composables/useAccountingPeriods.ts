import { computed, type Ref } from 'vue';
import { useMutation, useQuery } from '@vue/apollo-composable';
import {
  AccountingPeriodsDocument,
  ClosePeriodDocument,
  LockDateDocument,
  ReopenPeriodDocument,
  SetLockDateDocument,
  type AccountingPeriodRowFragment,
} from '@/gql/graphql';
import type { FieldError } from '@/lib/errors';

/** Every period of the organization, grouped by fiscal year (newest year first). */
export function useAccountingPeriods(organizationId: Ref<string>) {
  const { result, loading, error, refetch } = useQuery(
    AccountingPeriodsDocument,
    () => ({ organizationId: organizationId.value }),
    () => ({ enabled: !!organizationId.value }),
  );
  const periods = computed(() => result.value?.accountingPeriods ?? []);
  const byYear = computed(() => {
    const map = new Map<number, AccountingPeriodRowFragment[]>();
    for (const p of periods.value) {
      const list = map.get(p.fiscalYear) ?? [];
      list.push(p);
      map.set(p.fiscalYear, list);
    }
    return map;
  });
  const years = computed(() => [...byYear.value.keys()].sort((a, b) => b - a));
  return {
    periods,
    byYear,
    years,
    loaded: computed(() => !!result.value),
    loading,
    error,
    refetch,
  };
}

/** The accounts-payable lock date: nothing is posted on or before it (null: none). */
export function useLockDate(organizationId: Ref<string>) {
  const { result, loading, error, refetch } = useQuery(
    LockDateDocument,
    () => ({ organizationId: organizationId.value }),
    () => ({ enabled: !!organizationId.value }),
  );
  return {
    lockDate: computed(() => result.value?.lockDate ?? null),
    loaded: computed(() => !!result.value),
    loading,
    error,
    refetch,
  };
}

/** Close and reopen periods, set the lock date (admin). Each resolves to the userErrors. */
export function usePeriodAdmin(organizationId: Ref<string>) {
  const close = useMutation(ClosePeriodDocument);
  const reopen = useMutation(ReopenPeriodDocument);
  const lock = useMutation(SetLockDateDocument, {
    update(cache, { data }) {
      const payload = data?.setLockDate;
      if (!payload || payload.userErrors.length) return;
      cache.writeQuery({
        query: LockDateDocument,
        variables: { organizationId: organizationId.value },
        data: { lockDate: payload.lockDate },
      });
    },
  });

  async function setPeriodOpen(periodId: string, open: boolean): Promise<FieldError[]> {
    const input = { organizationId: organizationId.value, periodId };
    if (open) {
      const result = await reopen.mutate({ input });
      return result?.data?.reopenPeriod.userErrors ?? [];
    }
    const result = await close.mutate({ input });
    return result?.data?.closePeriod.userErrors ?? [];
  }

  async function setLockDate(lockDate: string | null): Promise<FieldError[]> {
    const result = await lock.mutate({ input: { organizationId: organizationId.value, lockDate } });
    return result?.data?.setLockDate.userErrors ?? [];
  }

  return {
    setPeriodOpen,
    setLockDate,
    periodBusy: computed(() => close.loading.value || reopen.loading.value),
    lockBusy: lock.loading,
  };
}
