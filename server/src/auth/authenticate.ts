import type { EntityManager } from '@mikro-orm/postgresql';
import { parse as parseCookie } from 'cookie';
import { ApiClient, type ApiScope } from '../modules/api-clients/api-client.entity.js';
import { Membership, type Role } from '../modules/organizations/organization.entity.js';
import { User, UserSession } from '../modules/users/user.entity.js';
import { API_TOKEN_PREFIX, sha256 } from './tokens.js';

export const SESSION_COOKIE = 'll_session';

export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'user'; user: User; sessionTokenHash: string; roles: Map<string, Role> }
  | { kind: 'apiClient'; apiClient: ApiClient; organizationId: string; scopes: ApiScope[] };

export const ANONYMOUS: Caller = { kind: 'anonymous' };

/** Refreshing last_used_at on every call would turn reads into writes; once a minute is enough. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function sessionTokenFromCookie(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  return parseCookie(cookieHeader)[SESSION_COOKIE] || undefined;
}

export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  return m ? m[1] : undefined;
}

/**
 * Who is calling: an API client (bearer token), a user (session cookie) or nobody. An invalid,
 * expired or revoked credential is treated as none: the operation then fails as unauthenticated.
 */
export async function authenticate(
  em: EntityManager,
  credentials: { authorization?: string; cookie?: string; sessionToken?: string },
): Promise<Caller> {
  const token = bearerToken(credentials.authorization);
  if (token?.startsWith(API_TOKEN_PREFIX)) {
    return authenticateApiToken(em, token);
  }
  const sessionToken = credentials.sessionToken ?? sessionTokenFromCookie(credentials.cookie);
  if (sessionToken) return authenticateSession(em, sessionToken);
  return ANONYMOUS;
}

export async function authenticateApiToken(em: EntityManager, token: string): Promise<Caller> {
  const client = await em.findOne(ApiClient, { tokenHash: sha256(token), revokedAt: null });
  if (!client) return ANONYMOUS;
  const now = Date.now();
  if (!client.lastUsedAt || now - client.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await em.nativeUpdate(ApiClient, { id: client.id }, { lastUsedAt: new Date(now) });
    client.lastUsedAt = new Date(now);
  }
  return {
    kind: 'apiClient',
    apiClient: client,
    organizationId: client.organization.id,
    scopes: client.scopes,
  };
}

export async function authenticateSession(
  em: EntityManager,
  sessionToken: string,
): Promise<Caller> {
  const tokenHash = sha256(sessionToken);
  const session = await em.findOne(
    UserSession,
    { tokenHash, revokedAt: null, expiresAt: { $gt: new Date() } },
    { populate: ['user'] },
  );
  if (!session || !session.user.active) return ANONYMOUS;
  const memberships = await em.find(Membership, { user: session.user });
  return {
    kind: 'user',
    user: session.user,
    sessionTokenHash: tokenHash,
    roles: new Map(memberships.map((m) => [m.organization.id, m.role])),
  };
}

/** Whether the credential behind a caller is still valid (for long-lived sockets). */
export async function callerStillValid(em: EntityManager, caller: Caller): Promise<boolean> {
  if (caller.kind === 'apiClient') {
    return (await em.count(ApiClient, { id: caller.apiClient.id, revokedAt: null })) > 0;
  }
  if (caller.kind === 'user') {
    return (
      (await em.count(UserSession, {
        tokenHash: caller.sessionTokenHash,
        revokedAt: null,
        expiresAt: { $gt: new Date() },
        user: { active: true },
      })) > 0
    );
  }
  return false;
}
