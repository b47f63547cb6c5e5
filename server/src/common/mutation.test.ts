import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../context.js';
import { createTestDatabase, type TestDatabase } from '../testing/db.js';
import { DomainError, UserErrorCode } from './errors.js';
import { runMutation } from './mutation.js';

describe('runMutation', () => {
  let db: TestDatabase;
  const ctx = () =>
    ({ em: db.orm.em.fork(), log: pino({ level: 'silent' }) }) as unknown as RequestContext;
  const rows = async () =>
    (await db.sql<{ n: number }>(`select count(*)::int as n from retry_probe`))[0].n;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(`create table retry_probe (attempt int not null)`);
  });
  afterAll(() => db?.close());

  const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });
  const insert = (em: Parameters<Parameters<typeof runMutation>[2]>[0], attempt: number) =>
    em
      .getConnection()
      .execute(`insert into retry_probe values (?)`, [attempt], 'run', em.getTransactionContext());

  it('runs a deadlock victim again: the rolled-back attempt leaves nothing, the next one commits', async () => {
    let attempts = 0;
    const result = await runMutation<{ done: number | null }>(ctx(), { done: null }, async (em) => {
      attempts++;
      await insert(em, attempts);
      if (attempts < 3) throw deadlock();
      return { done: attempts };
    });
    expect(result).toEqual({ userErrors: [], done: 3 });
    expect(await db.sql(`select attempt from retry_probe`)).toEqual([{ attempt: 3 }]);
  });

  it('gives up after three attempts, and never retries other errors or userErrors', async () => {
    await db.sql(`delete from retry_probe`);
    let attempts = 0;
    await expect(
      runMutation<{ done: number | null }>(ctx(), { done: null }, async () => {
        attempts++;
        throw deadlock();
      }),
    ).rejects.toThrow(/deadlock/);
    expect(attempts).toBe(3);

    attempts = 0;
    await expect(
      runMutation<{ done: number | null }>(ctx(), { done: null }, async (em) => {
        attempts++;
        await insert(em, attempts);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(attempts).toBe(1);

    attempts = 0;
    const refused = await runMutation<{ done: number | null }>(
      ctx(),
      { done: null },
      async (em) => {
        attempts++;
        await insert(em, attempts);
        throw new DomainError(UserErrorCode.VALIDATION, 'no', ['x']);
      },
    );
    expect(attempts).toBe(1);
    expect(refused.userErrors.map((e) => e.code)).toEqual(['VALIDATION']);
    expect(await rows()).toBe(0);
  });
});
