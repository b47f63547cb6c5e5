// The live-status list is written down once (LIVE_TRANSFER_STATUSES) and every check is derived
// from it, except the partial unique indexes that a migration created: they must say the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/db.js';
import {
  isLiveTransferStatus,
  LIVE_TRANSFER_STATUSES,
  sqlLiveStatus,
  TransferStatus,
} from './transfer.enums.js';

describe('live transfer statuses', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  it.each(['transfer_live_invoice_unique', 'transfer_live_payment_unique'])(
    'match the predicate of the partial unique index %s',
    async (name) => {
      const [index] = await db.sql<{ indexdef: string }>(
        `select indexdef from pg_indexes where schemaname = current_schema() and indexname = $1`,
        [name],
      );
      expect(index, `index ${name}`).toBeDefined();
      const predicate = index.indexdef.slice(index.indexdef.indexOf(' WHERE ') + 7);
      expect(predicate).toMatch(/\bstatus\b/);
      const statuses = [...predicate.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
      expect(statuses.sort()).toEqual([...LIVE_TRANSFER_STATUSES].sort());
    },
  );

  it('are what the SQL condition selects and isLiveTransferStatus accepts', async () => {
    const all = Object.values(TransferStatus);
    const selected = await db.sql<{ status: string }>(
      `select status from unnest($1::text[]) as s(status) where ${sqlLiveStatus()} order by status`,
      [all],
    );
    expect(selected.map((r) => r.status)).toEqual([...LIVE_TRANSFER_STATUSES].sort());
    expect(all.filter(isLiveTransferStatus)).toEqual([...LIVE_TRANSFER_STATUSES]);
  });
});
