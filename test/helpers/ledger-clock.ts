/**
 * Commit clocks for the ledger, installed into a test database: when each entry was committed,
 * and when each period changed status or each lock date moved. `created_at` is the start of the
 * posting's transaction, which may be before a period closed although the posting committed
 * after; deferred constraint triggers run at COMMIT, so their clock_timestamp() orders commits.
 *
 * Why that order is sound: a posting share-locks its organization's settings and period (or
 * holds the ledger's shared gate) until it commits, and closing a period or moving the lock date
 * takes them exclusively, so a correct ledger commits every posting of a period before the
 * close's own commit trigger runs. An entry whose commit clock is later than the close's, in that
 * period, slipped past the rule.
 */
import type { Sql } from './seed.js';

export async function installLedgerClock(sql: Sql): Promise<void> {
  await sql(`
    create schema if not exists test_clock;
    create table if not exists test_clock.entry_commit (entry_id uuid primary key, organization_id uuid not null, committed_at timestamptz not null);
    create table if not exists test_clock.period_change (period_id uuid not null, organization_id uuid not null, status text not null, committed_at timestamptz not null);
    create table if not exists test_clock.lock_change (organization_id uuid not null, lock_date date, committed_at timestamptz not null);

    create or replace function test_clock.entry_committed() returns trigger language plpgsql as $$
    begin
      insert into test_clock.entry_commit values (new.id, new.organization_id, clock_timestamp());
      return null;
    end $$;
    create or replace function test_clock.period_changed() returns trigger language plpgsql as $$
    begin
      insert into test_clock.period_change values (new.id, new.organization_id, new.status, clock_timestamp());
      return null;
    end $$;
    create or replace function test_clock.lock_changed() returns trigger language plpgsql as $$
    begin
      insert into test_clock.lock_change values (new.organization_id, new.ap_lock_date, clock_timestamp());
      return null;
    end $$;

    drop trigger if exists test_clock_entry on ledger.entry;
    create constraint trigger test_clock_entry after insert on ledger.entry
      deferrable initially deferred for each row execute function test_clock.entry_committed();
    drop trigger if exists test_clock_period on ledger.period;
    create constraint trigger test_clock_period after update on ledger.period
      deferrable initially deferred for each row when (old.status is distinct from new.status)
      execute function test_clock.period_changed();
    drop trigger if exists test_clock_lock on ledger.settings;
    create constraint trigger test_clock_lock after update on ledger.settings
      deferrable initially deferred for each row when (old.ap_lock_date is distinct from new.ap_lock_date)
      execute function test_clock.lock_changed();
  `);
}
