import type { EntityManager } from '@mikro-orm/postgresql';
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../../auth/password.js';
import { newSecret, sha256 } from '../../auth/tokens.js';
import { DomainError, UserErrorCode } from '../../common/errors.js';
import { User, UserSession } from './user.entity.js';

const INVALID = 'The email or password is not right';

/** Checks the password and opens a session; the same answer for unknown emails and wrong passwords. */
export async function login(
  em: EntityManager,
  email: string,
  password: string,
  ttlHours: number,
): Promise<{ user: User; sessionToken: string; expiresAt: Date }> {
  const user = await em.findOne(User, { email: email.trim().toLowerCase(), active: true });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !ok) throw new DomainError(UserErrorCode.INVALID_CREDENTIALS, INVALID);
  const sessionToken = newSecret('');
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  em.create(UserSession, { tokenHash: sha256(sessionToken), user, expiresAt, createdAt: new Date() });
  await em.flush();
  return { user, sessionToken, expiresAt };
}

export async function logout(em: EntityManager, sessionTokenHash: string): Promise<void> {
  await em.nativeUpdate(UserSession, { tokenHash: sessionTokenHash, revokedAt: null }, { revokedAt: new Date() });
}
