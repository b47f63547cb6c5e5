import { computed, ref, type Ref } from 'vue';
import { useMutation, useQuery } from '@vue/apollo-composable';
import type { ApolloCache } from '@apollo/client/core';
import { useConnectionPages } from '@/composables/useConnectionPages';
import {
  BankStatementDocument,
  BankStatementsDocument,
  ImportBankStatementDocument,
} from '@/gql/graphql';
import { errorMessage } from '@/lib/errors';

export const STATEMENT_PAGE_SIZE = 25;
export const ENTRY_PAGE_SIZE = 50;

/** The lists an import or a queue decision changes (but `keep`, refetched on screen); refetched when next shown. */
export function dropBankLists(cache: ApolloCache<unknown>, keep: string[] = []) {
  for (const fieldName of ['bankStatements', 'bankEntryQueue', 'invoices', 'payments'])
    if (!keep.includes(fieldName)) cache.evict({ id: 'ROOT_QUERY', fieldName });
  cache.gc();
}

/** Imported statements, latest first, page by page. */
export function useBankStatements(organizationId: Ref<string>) {
  const { result, loading, error, fetchMore, refetch } = useQuery(
    BankStatementsDocument,
    () => ({ organizationId: organizationId.value, first: STATEMENT_PAGE_SIZE }),
    () => ({ enabled: !!organizationId.value, notifyOnNetworkStatusChange: true }),
  );
  const pages = useConnectionPages(
    computed(() => result.value?.bankStatements),
    fetchMore,
  );
  return { ...pages, statements: pages.nodes, loading, error, refetch };
}

/** One statement and its entries; `statement` is null when it does not exist (or is not yours). */
export function useBankStatement(id: Ref<string>) {
  const { result, loading, error, fetchMore, refetch } = useQuery(
    BankStatementDocument,
    () => ({ id: id.value, first: ENTRY_PAGE_SIZE }),
    () => ({ notifyOnNetworkStatusChange: true }),
  );
  const statement = computed(() => result.value?.bankStatement ?? null);
  const pages = useConnectionPages(
    computed(() => statement.value?.entries),
    fetchMore,
  );
  return {
    statement,
    entries: pages.nodes,
    totalCount: pages.totalCount,
    hasNextPage: pages.hasNextPage,
    loadMore: pages.loadMore,
    loaded: computed(() => !!result.value),
    loading,
    error,
    refetch,
  };
}

export interface FileImportResult {
  file: string;
  outcome: 'imported' | 'duplicate' | 'error';
  message: string;
  code?: string;
  statementIds: string[];
  warnings: string[];
}

/** Imports files one by one, each with its own idempotency key; one result per file. */
export function useImportBankStatements(organizationId: Ref<string>) {
  const mutation = useMutation(ImportBankStatementDocument, {
    update: (cache) => dropBankLists(cache),
  });
  const results = ref<FileImportResult[]>([]);
  const importing = ref(false);

  async function importOne(file: File): Promise<FileImportResult> {
    const base = { file: file.name, statementIds: [] as string[], warnings: [] as string[] };
    let document: string;
    try {
      document = await file.text();
    } catch (e) {
      return {
        ...base,
        outcome: 'error',
        message: `The file could not be read: ${errorMessage(e)}`,
      };
    }
    try {
      const res = await mutation.mutate({
        input: {
          organizationId: organizationId.value,
          document,
          idempotencyKey: `spa-${crypto.randomUUID()}`,
        },
      });
      const payload = res?.data?.importBankStatement;
      if (!payload) return { ...base, outcome: 'error', message: 'No answer from the server' };
      if (payload.userErrors.length) {
        return {
          ...base,
          outcome: 'error',
          code: payload.userErrors[0].code,
          message: payload.userErrors.map((e) => e.message).join(' '),
        };
      }
      const duplicate = payload.statements.every((s) => s.duplicate);
      return {
        ...base,
        outcome: duplicate ? 'duplicate' : 'imported',
        statementIds: payload.statements.map((s) => s.statement.id),
        warnings: payload.statements
          .map((s) => s.statement.balanceWarning)
          .filter((w): w is string => !!w),
        message: duplicate
          ? 'Imported before: nothing new.'
          : `${payload.importedEntries} new entries (${payload.duplicateEntries} seen before): ${payload.matchedEntries} matched and paid, ${payload.queuedEntries} waiting in the match queue.`,
      };
    } catch (e) {
      return { ...base, outcome: 'error', message: errorMessage(e) };
    }
  }

  async function importFiles(files: File[]) {
    importing.value = true;
    results.value = [];
    try {
      for (const file of files) results.value = [...results.value, await importOne(file)];
    } finally {
      importing.value = false;
    }
  }

  return { importFiles, results, importing };
}
