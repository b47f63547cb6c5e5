import { Migration } from '@mikro-orm/migrations';

/**
 * Hand-written: TRUNCATE skips row triggers, so the append-only audit log and the immutable
 * ledger rows could still be emptied by the application's role. A statement trigger refuses it.
 */
export class Migration20261121235343 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create trigger "audit_event_no_truncate" before truncate on "audit_event" for each statement execute function "audit_event_append_only"();`);
    this.addSql(`create trigger entry_no_truncate before truncate on ledger.entry for each statement execute function ledger.refuse_change();`);
    this.addSql(`create trigger entry_line_no_truncate before truncate on ledger.entry_line for each statement execute function ledger.refuse_change();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists entry_line_no_truncate on ledger.entry_line;`);
    this.addSql(`drop trigger if exists entry_no_truncate on ledger.entry;`);
    this.addSql(`drop trigger if exists "audit_event_no_truncate" on "audit_event";`);
  }

}
