import type { EntityManager } from '@mikro-orm/postgresql';
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../../auth/password.js';
import { newSecret, sha256 } from '../../auth/tokens.js';
import { DomainError, UserErrorCode } from '../../common/errors.js';
import { User, UserSession } from './user.entity.js';

const INVALID = 'The email or password is not right';

/** Longer input is no email or password of ours; it is refused without hashing megabytes. */
const EMAIL_MAX = 320;
const PASSWORD_MAX = 1024;

/**
 * Checks the password and opens a session; the same answer for unknown emails and wrong
 * passwords (a dummy hash is verified for unknown ones, so timing tells nothing either). Each
 * sign-in gets a new session token; the session the browser presented, if any, is revoked, so a
 * token planted before sign-in (session fixation) or left from an earlier one dies here.
 */
export async function login(
  em: EntityManager,
  email: string,
  password: string,
  ttlHours: number,
  previousSessionToken?: string,
): Promise<{ user: User; sessionToken: string; expiresAt: Date }> {
  // NUL cannot reach PostgreSQL text (it would fail as an internal error); no account has it.
  const oversized =
    email.length > EMAIL_MAX || password.length > PASSWORD_MAX || email.includes('\u0000');
  const user = oversized
    ? null
    : await em.findOne(User, { email: email.trim().toLowerCase(), active: true });
  const ok = await verifyPassword(
    oversized ? '' : password,
    user?.passwordHash ?? DUMMY_PASSWORD_HASH,
  );
  if (!user || !ok) throw new DomainError(UserErrorCode.INVALID_CREDENTIALS, INVALID);
  if (previousSessionToken) {
    await em.nativeUpdate(
      UserSession,
      { tokenHash: sha256(previousSessionToken), revokedAt: null },
      { revokedAt: new Date() },
    );
  }
  const sessionToken = newSecret('');
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  em.create(UserSession, {
    tokenHash: sha256(sessionToken),
    user,
    expiresAt,
    createdAt: new Date(),
  });
  await em.flush();
  return { user, sessionToken, expiresAt };
}

/** Ends this session, or with `everywhereForUserId` every session of that user. */
export async function logout(
  em: EntityManager,
  sessionTokenHash: string,
  everywhereForUserId?: string,
): Promise<void> {
  const now = new Date();
  await em.nativeUpdate(
    UserSession,
    { tokenHash: sessionTokenHash, revokedAt: null },
    { revokedAt: now },
  );
  if (everywhereForUserId)
    await em.nativeUpdate(
      UserSession,
      { user: everywhereForUserId, revokedAt: null },
      { revokedAt: now },
    );
}
