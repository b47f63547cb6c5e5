import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type Tenant } from '../../testing/factories.js';
import { createTestDatabase, type TestDatabase } from '../../testing/db.js';
import { createUserCommand } from './user.cli.js';
import { User } from './user.entity.js';

describe('pnpm ledgerlink user create', () => {
  let db: TestDatabase;
  let t: Tenant;
  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTenant(db.orm, 'cli');
  });
  afterAll(() => db?.close());

  const run = (flags: Record<string, string>) =>
    createUserCommand(db.orm.em.fork(), {
      password: 'long enough password',
      ...flags,
    });

  it('creates a member with the given role', async () => {
    expect(
      await run({
        email: 'New.Person@CLI.test',
        name: 'New Person',
        org: t.org.slug,
        role: 'approver',
      }),
    ).toBe(`created user new.person@cli.test (APPROVER in ${t.org.slug})`);
    expect(await db.orm.em.fork().count(User, { email: 'new.person@cli.test' })).toBe(1);
  });

  it('refuses what would break the product later, creating nothing', async () => {
    const before = await db.orm.em.fork().count(User, {});
    await expect(run({ email: 'x@cli.test', name: 'N'.repeat(201) })).rejects.toThrow(
      /at most 200 characters/,
    );
    await expect(run({ email: 'not-an-email', name: 'X' })).rejects.toThrow(/email/);
    await expect(run({ email: 'y@cli.test', name: 'Y', role: 'OWNER' })).rejects.toThrow(/--role/);
    await expect(run({ email: 'new.person@cli.test', name: 'Again' })).rejects.toThrow(/exists/);
    expect(await db.orm.em.fork().count(User, {})).toBe(before);
  });
});
