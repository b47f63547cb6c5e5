import { computed } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';
import type { DocumentKind, InvoiceFilter, InvoiceOrder, InvoiceTab } from '@/gql/graphql';
import { usePermissions } from '@/composables/usePermissions';
import { INVOICE_TABS, SORT_FIELDS } from '../labels';

export interface InvoiceFilterState {
  supplierId: string | null;
  billDateFrom: string | null;
  billDateTo: string | null;
  amountMin: string | null;
  amountMax: string | null;
  search: string | null;
  /** INVOICE or CREDIT_NOTE; null: both. */
  kind: string | null;
}

const DOCUMENT_KINDS: readonly DocumentKind[] = ['INVOICE', 'CREDIT_NOTE'];

export interface InvoiceSortState {
  field: string;
  direction: 'ASC' | 'DESC';
}

const FILTER_PARAMS: Record<keyof InvoiceFilterState, string> = {
  supplierId: 'supplier',
  billDateFrom: 'from',
  billDateTo: 'to',
  amountMin: 'min',
  amountMax: 'max',
  search: 'q',
  kind: 'kind',
};

function one(query: LocationQuery, key: string): string | null {
  const value = query[key];
  const first = Array.isArray(value) ? value[0] : value;
  return first ? String(first) : null;
}

/**
 * Tab, filters and sort of the invoice list live in the URL, so a reload, the back button
 * and a shared link all show the same list.
 */
export function useInvoiceListState() {
  const route = useRoute();
  const router = useRouter();
  const { can } = usePermissions();

  // Accountants start where their work is; everybody else at the approval circulation.
  const defaultTab = computed<InvoiceTab>(() => (can('EXPORT') ? 'TRANSFERABLE' : 'IN_PROCESS'));

  const tab = computed<InvoiceTab>(
    () => INVOICE_TABS.find((t) => t.slug === one(route.query, 'tab'))?.tab ?? defaultTab.value,
  );

  const filters = computed<InvoiceFilterState>(() => {
    const state = {} as InvoiceFilterState;
    for (const [key, param] of Object.entries(FILTER_PARAMS)) {
      state[key as keyof InvoiceFilterState] = one(route.query, param);
    }
    return state;
  });

  const sort = computed<InvoiceSortState | null>(() => {
    const field = one(route.query, 'sort');
    if (!field || !SORT_FIELDS[field]) return null;
    return { field, direction: one(route.query, 'dir') === 'asc' ? 'ASC' : 'DESC' };
  });

  const filter = computed<InvoiceFilter>(() => {
    const f = filters.value;
    const result: InvoiceFilter = {};
    if (f.supplierId) result.supplierId = f.supplierId;
    if (f.billDateFrom) result.billDateFrom = f.billDateFrom;
    if (f.billDateTo) result.billDateTo = f.billDateTo;
    if (f.amountMin) result.amountMin = f.amountMin;
    if (f.amountMax) result.amountMax = f.amountMax;
    if (f.search) result.search = f.search;
    const kind = DOCUMENT_KINDS.find((k) => k === f.kind);
    if (kind) result.kind = [kind];
    return result;
  });

  const orderBy = computed<InvoiceOrder | null>(() =>
    sort.value ? { field: SORT_FIELDS[sort.value.field], direction: sort.value.direction } : null,
  );

  const activeFilterCount = computed(() => Object.keys(filter.value).length);

  function update(changes: Record<string, string | null>) {
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...route.query, ...changes })) {
      const value = Array.isArray(v) ? v[0] : v;
      if (value) query[k] = String(value);
    }
    void router.replace({ query });
  }

  function setTab(next: InvoiceTab) {
    update({ tab: INVOICE_TABS.find((t) => t.tab === next)?.slug ?? null });
  }

  function setFilters(next: Partial<InvoiceFilterState>) {
    const changes: Record<string, string | null> = {};
    for (const [key, value] of Object.entries(next)) {
      changes[FILTER_PARAMS[key as keyof InvoiceFilterState]] = value || null;
    }
    update(changes);
  }

  function clearFilters() {
    setFilters({
      supplierId: null,
      billDateFrom: null,
      billDateTo: null,
      amountMin: null,
      amountMax: null,
      search: null,
      kind: null,
    });
  }

  function setSort(next: InvoiceSortState | null) {
    update({
      sort: next?.field ?? null,
      dir: next ? next.direction.toLowerCase() : null,
    });
  }

  return {
    tab,
    filters,
    filter,
    sort,
    orderBy,
    activeFilterCount,
    setTab,
    setFilters,
    clearFilters,
    setSort,
  };
}
