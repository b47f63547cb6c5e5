/**
 * API token management for admins: issue (the secret is returned once, only its SHA-256 kept),
 * revoke, list. Runs inside the mutation's transaction like every write-side service.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { authorizeOrganization, organizationIdsOf } from '../../auth/access.js';
import { Permission } from '../../auth/permissions.js';
import { DomainError, UserErrorCode } from '../../common/errors.js';
import type { ServiceContext } from '../../common/service-context.js';
import {
  authorizeOrganizationInput,
  Problems,
  requireCaller,
  requireGlobalId,
} from '../../common/validation.js';
import { actorOf, recordAudit } from '../audit/audit.service.js';
import { Organization } from '../organizations/organization.entity.js';
import { apiClientNode } from '../organizations/organization.mappers.js';
import { User } from '../users/user.entity.js';
import { ApiClient, ApiScope } from './api-client.entity.js';
import { createApiClient } from './api-client.service.js';
import { newestFirstPage } from '../../common/newest-first.js';

export const TOKEN_NAME_MAX = 100;
/** Live (not revoked) tokens one organization may hold. */
export const MAX_ACTIVE_TOKENS = 50;

export interface CreateApiTokenData {
  organizationId: string;
  name: string;
  scopes: ApiScope[];
}

export async function createApiToken(
  em: EntityManager,
  sctx: ServiceContext,
  input: CreateApiTokenData,
): Promise<{ client: ApiClient; token: string }> {
  const organizationId = authorizeOrganizationInput(
    sctx.caller,
    input.organizationId,
    Permission.ADMIN,
  );
  const p = new Problems();
  const name = p.text(input.name, ['name'], { max: TOKEN_NAME_MAX, required: true, label: 'Name' });
  // eslint-disable-next-line no-control-regex
  if (name && /[\u0000-\u001f\u007f]/.test(name))
    p.add('Name must not contain control characters', ['name']);
  const scopes = [...new Set(input.scopes)];
  if (!scopes.length) p.add('Give the token at least one scope', ['scopes']);
  p.throwIfAny();
  const caller = sctx.caller;
  if (caller.kind === 'apiClient') {
    // A token cannot mint a token stronger than itself.
    const beyond = scopes.filter((s) => !caller.scopes.includes(s));
    if (beyond.length) {
      throw new DomainError(
        UserErrorCode.FORBIDDEN,
        `An API token may grant only scopes it has itself (not ${beyond.join(', ')}); an ADMIN user can create any token`,
        ['scopes'],
      );
    }
  }
  // Serializes concurrent creations in one organization, so the cap holds.
  const org = await em.findOneOrFail(
    Organization,
    { id: organizationId },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  const active = await em.count(ApiClient, { organization: organizationId, revokedAt: null });
  if (active >= MAX_ACTIVE_TOKENS) {
    throw new DomainError(
      UserErrorCode.VALIDATION,
      `An organization may have at most ${MAX_ACTIVE_TOKENS} active API tokens; revoke one that is no longer used`,
      ['organizationId'],
    );
  }
  const createdBy = caller.kind === 'user' ? em.getReference(User, caller.user.id) : null;
  const { client, token } = await createApiClient(em, org, name!, scopes, createdBy);
  recordAudit(em, {
    organizationId,
    action: 'api_token.created',
    actor: actorOf(caller),
    entityType: 'ApiClient',
    entityId: client.id,
    details: { name: client.name, scopes, tokenPrefix: client.tokenPrefix },
    requestId: sctx.requestId,
  });
  await em.flush();
  return { client, token };
}

/** Revokes a token of the caller's organization; revoking a revoked token changes nothing. */
export async function revokeApiToken(
  em: EntityManager,
  sctx: ServiceContext,
  apiTokenGlobalId: string,
): Promise<ApiClient> {
  requireCaller(sctx.caller);
  const id = requireGlobalId(apiTokenGlobalId, 'ApiClient', ['apiTokenId'], 'API token');
  const client = await em.findOne(
    ApiClient,
    { id, organization: { $in: organizationIdsOf(sctx.caller) } },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
  if (!client)
    throw new DomainError(UserErrorCode.NOT_FOUND, 'API token not found', ['apiTokenId']);
  const organizationId = authorizeOrganization(
    sctx.caller,
    client.organization.id,
    Permission.ADMIN,
    ['apiTokenId'],
  );
  if (client.revokedAt) return client;
  client.revokedAt = new Date();
  recordAudit(em, {
    organizationId,
    action: 'api_token.revoked',
    actor: actorOf(sctx.caller),
    entityType: 'ApiClient',
    entityId: client.id,
    details: { name: client.name, scopes: client.scopes, tokenPrefix: client.tokenPrefix },
    requestId: sctx.requestId,
  });
  await em.flush();
  return client;
}

/** The organization's tokens, newest first. */
export async function listApiTokens(
  em: EntityManager,
  organizationId: string,
  includeRevoked: boolean,
  limit: number,
  after: string | null | undefined,
) {
  const where: Record<string, unknown> = { organization: organizationId };
  if (!includeRevoked) where.revokedAt = null;
  return newestFirstPage(em, ApiClient, where, limit, after, apiClientNode);
}
