import type { FieldError } from '@/lib/errors';
import { computed, inject, ref, type ComputedRef, type InjectionKey, type Ref } from 'vue';
import type { ApolloClient } from '@apollo/client/core';
import {
  LoginDocument,
  LogoutDocument,
  ViewerDocument,
  type Role,
  type ViewerQuery,
} from '@/gql/graphql';

export type SessionViewer = ViewerQuery['viewer'];
export type SessionOrganization = SessionViewer['organizations'][number];

export interface Session {
  viewer: Ref<SessionViewer | null>;
  organization: ComputedRef<SessionOrganization | null>;
  /** The selected organization's id; every organization-scoped query uses it. */
  organizationId: ComputedRef<string | null>;
  role: ComputedRef<Role | null>;
  /** Loads who is signed in; null when nobody is. Cached after the first success. */
  load(options?: { force?: boolean }): Promise<SessionViewer | null>;
  selectOrganization(id: string): void;
  login(email: string, password: string): Promise<FieldError[]>;
  logout(): Promise<void>;
  /** Forgets the session locally (e.g. when the server says it expired). */
  clear(): void;
}

export const SessionKey: InjectionKey<Session> = Symbol('session');
export const ORGANIZATION_STORAGE_KEY = 'ledgerlink.organizationId';

function storedOrganizationId(): string | null {
  try {
    return globalThis.localStorage?.getItem(ORGANIZATION_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

function storeOrganizationId(id: string) {
  try {
    globalThis.localStorage?.setItem(ORGANIZATION_STORAGE_KEY, id);
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
}

function isUnauthenticated(error: unknown): boolean {
  const graphQLErrors = (error as { graphQLErrors?: { extensions?: { code?: unknown } }[] })
    ?.graphQLErrors;
  return !!graphQLErrors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}

export function createSession(client: ApolloClient<unknown>): Session {
  const viewer = ref<SessionViewer | null>(null);
  const selectedId = ref<string | null>(storedOrganizationId());

  const organization = computed(() => {
    const organizations = viewer.value?.organizations ?? [];
    return organizations.find((o) => o.id === selectedId.value) ?? organizations[0] ?? null;
  });

  async function load(options: { force?: boolean } = {}) {
    if (viewer.value && !options.force) return viewer.value;
    try {
      const result = await client.query({ query: ViewerDocument, fetchPolicy: 'network-only' });
      viewer.value = result.data.viewer.user ? result.data.viewer : null;
    } catch (error) {
      if (!isUnauthenticated(error)) throw error;
      viewer.value = null;
    }
    return viewer.value;
  }

  function selectOrganization(id: string) {
    selectedId.value = id;
    storeOrganizationId(id);
  }

  async function login(email: string, password: string) {
    const result = await client.mutate({
      mutation: LoginDocument,
      variables: { input: { email, password } },
    });
    const payload = result.data?.login;
    if (!payload || payload.userErrors.length) return payload?.userErrors ?? [];
    // Another user may have used this browser: nothing of theirs may stay in the cache.
    await client.clearStore();
    await load({ force: true });
    return [];
  }

  function clear() {
    viewer.value = null;
    void client.clearStore();
  }

  async function logout() {
    try {
      await client.mutate({ mutation: LogoutDocument });
    } finally {
      clear();
    }
  }

  return {
    viewer,
    organization,
    organizationId: computed(() => organization.value?.id ?? null),
    role: computed(() => organization.value?.role ?? null),
    load,
    selectOrganization,
    login,
    logout,
    clear,
  };
}

export function useSession(): Session {
  const session = inject(SessionKey);
  if (!session) throw new Error('useSession() needs the session provided by the app (SessionKey)');
  return session;
}

/** The selected organization's id for queries that cannot run without one. */
export function useOrganizationId(): ComputedRef<string> {
  const { organizationId } = useSession();
  return computed(() => organizationId.value ?? '');
}
