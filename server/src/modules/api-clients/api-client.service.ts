import type { EntityManager } from '@mikro-orm/postgresql';
import { API_TOKEN_PREFIX, newSecret, sha256 } from '../../auth/tokens.js';
import { Organization } from '../organizations/organization.entity.js';
import type { User } from '../users/user.entity.js';
import { ApiClient, ApiScope } from './api-client.entity.js';

export function parseScopes(raw: string): ApiScope[] {
  const scopes = raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const valid = Object.values(ApiScope) as string[];
  const bad = scopes.filter((s) => !valid.includes(s));
  if (!scopes.length || bad.length) {
    throw new Error(
      `scopes must be a comma-separated list of ${valid.join(', ')}${bad.length ? ` (unknown: ${bad.join(', ')})` : ''}`,
    );
  }
  return [...new Set(scopes)] as ApiScope[];
}

/** Creates an API client; the returned token is shown once and only its hash is kept. */
export async function createApiClient(
  em: EntityManager,
  organization: Organization,
  name: string,
  scopes: ApiScope[],
  createdBy: User | null,
): Promise<{ client: ApiClient; token: string }> {
  const token = newSecret(API_TOKEN_PREFIX);
  const client = em.create(ApiClient, {
    organization,
    name,
    scopes,
    tokenHash: sha256(token),
    tokenPrefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
    createdBy,
  });
  await em.flush();
  return { client, token };
}
