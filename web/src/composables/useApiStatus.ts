import { onMounted, ref } from 'vue';

export type ApiStatus =
  { state: 'checking' } | { state: 'reachable' } | { state: 'unreachable'; error: string };

/** Asks the GraphQL API for `{ __typename }`: the cheapest query that proves it answers. */
export async function checkApi(endpoint = '/graphql'): Promise<ApiStatus> {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        // Apollo Server's CSRF prevention rejects "simple" requests without this header.
        'apollo-require-preflight': 'true',
      },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    if (!response.ok) {
      return {
        state: 'unreachable',
        error: `HTTP ${response.status} ${response.statusText}`.trim(),
      };
    }
    const body = (await response.json()) as {
      data?: { __typename?: string };
      errors?: { message: string }[];
    };
    if (body.errors?.length) {
      return { state: 'unreachable', error: body.errors.map((e) => e.message).join('; ') };
    }
    if (!body.data?.__typename) {
      return { state: 'unreachable', error: 'Unexpected response from the API' };
    }
    return { state: 'reachable' };
  } catch (error) {
    return {
      state: 'unreachable',
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

export function useApiStatus(endpoint = '/graphql') {
  const status = ref<ApiStatus>({ state: 'checking' });

  async function refresh() {
    status.value = { state: 'checking' };
    status.value = await checkApi(endpoint);
  }

  onMounted(refresh);

  return { status, refresh };
}
