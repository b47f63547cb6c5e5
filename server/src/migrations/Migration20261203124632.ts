import { Migration } from '@mikro-orm/migrations';

export class Migration20261203124632 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "bank_account" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "identifier" text not null, "currency" text not null, "name" text not null, constraint "bank_account_pkey" primary key ("id"));`);
    this.addSql(`alter table "bank_account" add constraint "bank_account_organization_id_identifier_unique" unique ("organization_id", "identifier");`);

    this.addSql(`create table "bank_statement" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "account_id" uuid not null, "kind" text check ("kind" in ('STATEMENT', 'NOTIFICATION')) not null, "camt_version" text not null, "message_id" text null, "statement_id" text not null, "electronic_sequence" text null, "legal_sequence" text null, "currency" text not null, "from_date" date null, "to_date" date null, "opening_balance" numeric(19,2) null, "closing_balance" numeric(19,2) null, "entries_total" numeric(19,2) not null, "balance_warning" text null, "checksum" text not null, "imported_by_id" uuid null, "imported_via" text null, constraint "bank_statement_pkey" primary key ("id"));`);
    this.addSql(`create index "bank_statement_organization_id_to_date_id_index" on "bank_statement" ("organization_id", "to_date", "id");`);
    this.addSql(`alter table "bank_statement" add constraint "bank_statement_organization_id_account_id_statement_id_unique" unique ("organization_id", "account_id", "statement_id");`);

    this.addSql(`create table "bank_statement_entry" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "statement_id" uuid not null, "account_id" uuid not null, "position" int not null, "entry_key" text not null, "account_servicer_reference" text null, "booking_date" date null, "value_date" date null, "amount" numeric(19,2) not null, "direction" text not null, "reversal" boolean not null default false, "currency" text not null, "counterparty_name" text null, "counterparty_iban" text null, "reference" text null, "remittance_text" text null, "end_to_end_id" text null, "transactions" jsonb not null, "match_state" text check ("match_state" in ('MATCHED', 'QUEUED', 'IGNORED', 'NOT_APPLICABLE')) not null, "reason" text null, "suggestions" jsonb not null, "resolved_by_id" uuid null, "resolved_via" text null, "resolved_at" timestamptz null, constraint "bank_statement_entry_pkey" primary key ("id"));`);
    this.addSql(`create index "bank_statement_entry_organization_id_match_state_b_f4042_index" on "bank_statement_entry" ("organization_id", "match_state", "booking_date", "id");`);
    this.addSql(`create index "bank_statement_entry_organization_id_statement_id__8b205_index" on "bank_statement_entry" ("organization_id", "statement_id", "position");`);
    this.addSql(`alter table "bank_statement_entry" add constraint "bank_statement_entry_organization_id_account_id_e_48527_unique" unique ("organization_id", "account_id", "entry_key");`);

    this.addSql(`create table "bank_entry_payment" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "entry_id" uuid not null, "invoice_id" uuid not null, "payment_id" uuid not null, "amount" numeric(19,2) not null, constraint "bank_entry_payment_pkey" primary key ("id"));`);
    this.addSql(`create index "bank_entry_payment_organization_id_invoice_id_index" on "bank_entry_payment" ("organization_id", "invoice_id");`);
    this.addSql(`create index "bank_entry_payment_organization_id_entry_id_index" on "bank_entry_payment" ("organization_id", "entry_id");`);
    this.addSql(`alter table "bank_entry_payment" add constraint "bank_entry_payment_organization_id_payment_id_unique" unique ("organization_id", "payment_id");`);

    this.addSql(`alter table "bank_account" add constraint "bank_account_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "bank_statement" add constraint "bank_statement_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "bank_statement" add constraint "bank_statement_account_id_foreign" foreign key ("account_id") references "bank_account" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "bank_statement" add constraint "bank_statement_imported_by_id_foreign" foreign key ("imported_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "bank_statement_entry" add constraint "bank_statement_entry_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "bank_statement_entry" add constraint "bank_statement_entry_statement_id_foreign" foreign key ("statement_id") references "bank_statement" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "bank_statement_entry" add constraint "bank_statement_entry_account_id_foreign" foreign key ("account_id") references "bank_account" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "bank_statement_entry" add constraint "bank_statement_entry_resolved_by_id_foreign" foreign key ("resolved_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "bank_entry_payment" add constraint "bank_entry_payment_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "bank_entry_payment" add constraint "bank_entry_payment_entry_id_foreign" foreign key ("entry_id") references "bank_statement_entry" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "bank_entry_payment" add constraint "bank_entry_payment_invoice_id_foreign" foreign key ("invoice_id") references "purchase_invoice" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "bank_entry_payment" add constraint "bank_entry_payment_payment_id_foreign" foreign key ("payment_id") references "payment" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "purchase_invoice" add column "payment_reference" text null;`);
    this.addSql(`create index "purchase_invoice_organization_id_payment_reference_index" on "purchase_invoice" ("organization_id", "payment_reference");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "bank_statement" drop constraint "bank_statement_account_id_foreign";`);

    this.addSql(`alter table "bank_statement_entry" drop constraint "bank_statement_entry_account_id_foreign";`);

    this.addSql(`alter table "bank_statement_entry" drop constraint "bank_statement_entry_statement_id_foreign";`);

    this.addSql(`alter table "bank_entry_payment" drop constraint "bank_entry_payment_entry_id_foreign";`);

    this.addSql(`drop table if exists "bank_account" cascade;`);

    this.addSql(`drop table if exists "bank_statement" cascade;`);

    this.addSql(`drop table if exists "bank_statement_entry" cascade;`);

    this.addSql(`drop table if exists "bank_entry_payment" cascade;`);

    this.addSql(`drop index "purchase_invoice_organization_id_payment_reference_index";`);
    this.addSql(`alter table "purchase_invoice" drop column "payment_reference";`);
  }

}
