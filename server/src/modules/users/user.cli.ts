import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword } from '../../auth/password.js';
import { Membership, Organization, Role } from '../organizations/organization.entity.js';
import { User } from './user.entity.js';
import { CURSOR_TEXT_MAX } from '../../common/connection.js';

/** `pnpm ledgerlink user create --email E --name N --password P [--org SLUG --role ROLE]` */
export async function createUserCommand(
  em: EntityManager,
  flags: Record<string, string | true>,
): Promise<string> {
  const email = typeof flags.email === 'string' ? flags.email.trim().toLowerCase() : '';
  const name = typeof flags.name === 'string' ? flags.name.trim() : '';
  const password = typeof flags.password === 'string' ? flags.password : '';
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new Error('--email must be an email address');
  if (!name) throw new Error('--name is required');
  // Members page by name: a longer one could not be carried in a cursor.
  if (name.length > CURSOR_TEXT_MAX)
    throw new Error(`--name is at most ${CURSOR_TEXT_MAX} characters`);
  if (password.length < 10) throw new Error('--password must be at least 10 characters');
  const role = typeof flags.role === 'string' ? (flags.role.toUpperCase() as Role) : Role.VIEWER;
  if (!Object.values(Role).includes(role))
    throw new Error(`--role must be one of ${Object.values(Role).join(', ')}`);
  let org: Organization | null = null;
  if (typeof flags.org === 'string') {
    org = await em.findOne(Organization, { slug: flags.org });
    if (!org) throw new Error(`no organization with slug "${flags.org}"`);
  }
  if (await em.findOne(User, { email }))
    throw new Error(`a user with email ${email} exists already`);
  const user = em.create(User, { email, name, passwordHash: await hashPassword(password) });
  if (org) em.create(Membership, { organization: org, user, role });
  await em.flush();
  return `created user ${email}${org ? ` (${role} in ${org.slug})` : ''}`;
}
