import { computed, type Ref } from 'vue';
import { useMutation, useQuery } from '@vue/apollo-composable';
import {
  ApiTokensDocument,
  CreateApiTokenDocument,
  RevokeApiTokenDocument,
  type ApiScope,
} from '@/gql/graphql';
import type { FieldError } from '@/lib/errors';

export const API_TOKEN_PAGE_SIZE = 50;

/** The organization's API tokens (never their secrets), with create and revoke (admin). */
export function useApiTokens(organizationId: Ref<string>) {
  const variables = () => ({ organizationId: organizationId.value, first: API_TOKEN_PAGE_SIZE });
  const { result, loading, error, refetch } = useQuery(ApiTokensDocument, variables, () => ({
    enabled: !!organizationId.value,
  }));
  const create = useMutation(CreateApiTokenDocument, () => ({
    refetchQueries: [{ query: ApiTokensDocument, variables: variables() }],
    awaitRefetchQueries: true,
  }));
  // A revoked token comes back with revokedAt; the cache updates it by id.
  const revoke = useMutation(RevokeApiTokenDocument);

  async function createToken(
    name: string,
    scopes: ApiScope[],
  ): Promise<{ token: string | null; errors: FieldError[] }> {
    const res = await create.mutate({
      input: { organizationId: organizationId.value, name, scopes },
    });
    const payload = res?.data?.createApiToken;
    return { token: payload?.token ?? null, errors: payload?.userErrors ?? [] };
  }

  async function revokeToken(apiTokenId: string): Promise<FieldError[]> {
    const res = await revoke.mutate({ input: { apiTokenId } });
    return res?.data?.revokeApiToken.userErrors ?? [];
  }

  return {
    tokens: computed(() => result.value?.apiTokens.edges.map((e) => e.node) ?? []),
    totalCount: computed(() => result.value?.apiTokens.totalCount ?? 0),
    loaded: computed(() => !!result.value),
    loading,
    error,
    refetch,
    createToken,
    revokeToken,
    creating: create.loading,
    revoking: revoke.loading,
  };
}
