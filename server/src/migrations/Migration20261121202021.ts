import { Migration } from '@mikro-orm/migrations';

export class Migration20261121202021 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "ledger";`);
    this.addSql(`create table "ledger"."account" ("organization_id" uuid not null, "code" text not null, "name" text not null, "type" text check ("type" in ('ASSET', 'LIABILITY', 'EQUITY', 'REVENUE', 'EXPENSE')) not null, "postable" boolean not null default true, "active" boolean not null default true, constraint "account_pkey" primary key ("organization_id", "code"));`);

    this.addSql(`create table "ledger"."cost_unit" ("organization_id" uuid not null, "code" text not null, "name" text not null, "active" boolean not null default true, constraint "cost_unit_pkey" primary key ("organization_id", "code"));`);

    this.addSql(`create table "ledger"."period" ("id" uuid not null, "organization_id" uuid not null, "fiscal_year" int not null, "name" text not null, "start_date" date not null, "end_date" date not null, "status" text check ("status" in ('OPEN', 'CLOSED')) not null default 'OPEN', "closed_at" timestamptz null, constraint "period_pkey" primary key ("id"), constraint period_dates_check check (end_date >= start_date));`);
    this.addSql(`create index "period_organization_id_fiscal_year_index" on "ledger"."period" ("organization_id", "fiscal_year");`);
    this.addSql(`alter table "ledger"."period" add constraint "period_organization_id_start_date_unique" unique ("organization_id", "start_date");`);

    this.addSql(`create table "ledger"."entry" ("id" uuid not null, "organization_id" uuid not null, "journal" text check ("journal" in ('ITEM_INVOICES', 'BATCH_INVOICES', 'PAYMENTS')) not null, "kind" text check ("kind" in ('INVOICE', 'PAYMENT', 'REVERSAL')) not null, "reference" text not null, "supplier_account_name" text not null, "idempotency_key" text not null, "document_date" date not null, "posting_date" date not null, "period_id" uuid not null, "description" text null, "currency" text not null, "total" numeric(19,2) not null, "reverses_entry_id" uuid null, "reversed_by_entry_id" uuid null, "created_at" timestamptz not null default now(), constraint "entry_pkey" primary key ("id"));`);
    this.addSql(`create unique index "entry_supplier_reference_unique" on "ledger"."entry" ("organization_id", "supplier_account_name", "reference", "kind") where "kind" <> 'REVERSAL' and "reversed_by_entry_id" is null;`);
    this.addSql(`create index "entry_organization_id_posting_date_index" on "ledger"."entry" ("organization_id", "posting_date");`);
    this.addSql(`create index "entry_organization_id_journal_reference_index" on "ledger"."entry" ("organization_id", "journal", "reference");`);
    this.addSql(`alter table "ledger"."entry" add constraint "entry_organization_id_idempotency_key_unique" unique ("organization_id", "idempotency_key");`);

    this.addSql(`create table "ledger"."entry_line" ("id" uuid not null, "organization_id" uuid not null, "entry_id" uuid not null, "line_no" int not null, "account_code" text not null, "cost_unit_code" text null, "vat_code" text null, "debit" numeric(19,2) not null, "credit" numeric(19,2) not null, "description" text null, constraint "entry_line_pkey" primary key ("id"), constraint entry_line_one_side_check check ((debit >= 0 and credit >= 0) and (debit = 0) <> (credit = 0)));`);
    this.addSql(`create index "entry_line_organization_id_account_code_index" on "ledger"."entry_line" ("organization_id", "account_code");`);
    this.addSql(`create index "entry_line_organization_id_entry_id_index" on "ledger"."entry_line" ("organization_id", "entry_id");`);

    this.addSql(`create table "ledger"."settings" ("organization_id" uuid not null, "ap_lock_date" date null, "accounts_payable_account" text not null, "vat_receivable_account" text not null, "vat_payable_account" text not null, "bank_account" text not null, "fiscal_year_start_month" int not null default 1, constraint "settings_pkey" primary key ("organization_id"));`);

    this.addSql(`create table "ledger"."supplier_account" ("organization_id" uuid not null, "account_name" text not null, "name" text not null, "business_id" text null, "active" boolean not null default true, constraint "supplier_account_pkey" primary key ("organization_id", "account_name"));`);

    this.addSql(`create table "ledger"."vat_code" ("organization_id" uuid not null, "code" text not null, "name" text not null, "rate" numeric(5,2) not null, "reverse_charge" boolean not null default false, "valid_from" date null, "valid_to" date null, constraint "vat_code_pkey" primary key ("organization_id", "code"));`);

    this.addSql(`create table "organization" ("id" uuid not null, "slug" text not null, "name" text not null, "currency" text not null default 'EUR', "country" text not null default 'FI', "created_at" timestamptz not null default now(), constraint "organization_pkey" primary key ("id"));`);
    this.addSql(`alter table "organization" add constraint "organization_slug_unique" unique ("slug");`);

    this.addSql(`create table "idempotency_record" ("organization_id" uuid not null, "key" text not null, "operation" text not null, "request_hash" text not null, "response" jsonb not null, "created_at" timestamptz not null default now(), constraint "idempotency_record_pkey" primary key ("organization_id", "key"));`);

    this.addSql(`create table "document_sequence" ("organization_id" uuid not null, "kind" text check ("kind" in ('INVOICE', 'PAYMENT')) not null, "fiscal_year" int not null, "next_number" int not null default 1, constraint "document_sequence_pkey" primary key ("organization_id", "kind", "fiscal_year"));`);

    this.addSql(`create table "approval_process" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" text not null, "is_default" boolean not null default false, "version" int not null default 1, "deleted_at" timestamptz null, constraint "approval_process_pkey" primary key ("id"));`);
    this.addSql(`create index "approval_process_organization_id_name_index" on "approval_process" ("organization_id", "name");`);

    this.addSql(`create table "approval_stage" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "process_id" uuid not null, "position" int not null, "name" text not null, "approver_role" text check ("approver_role" in ('VIEWER', 'APPROVER', 'ACCOUNTANT', 'ADMIN')) null, "transfer_from_this_step" boolean not null default false, constraint "approval_stage_pkey" primary key ("id"));`);
    this.addSql(`create index "approval_stage_organization_id_process_id_position_index" on "approval_stage" ("organization_id", "process_id", "position");`);

    this.addSql(`create table "supplier" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" text not null, "account_name" text not null, "business_id" text null, "iban" text null, "country" text not null default 'FI', constraint "supplier_pkey" primary key ("id"));`);
    this.addSql(`create index "supplier_organization_id_account_name_index" on "supplier" ("organization_id", "account_name");`);
    this.addSql(`alter table "supplier" add constraint "supplier_organization_id_name_unique" unique ("organization_id", "name");`);

    this.addSql(`create table "transfer_settings" ("organization_id" uuid not null, "auto_transfer_invoices" boolean not null default false, "auto_transfer_payments" boolean not null default false, "export_mode" text check ("export_mode" in ('ITEM', 'BATCH')) not null default 'ITEM', "closed_period_policy" text check ("closed_period_policy" in ('SHIFT_TO_NEXT_OPEN', 'BLOCK')) not null default 'SHIFT_TO_NEXT_OPEN', "updated_at" timestamptz not null default now(), constraint "transfer_settings_pkey" primary key ("organization_id"));`);

    this.addSql(`create table "app_user" ("id" uuid not null, "email" text not null, "name" text not null, "password_hash" text not null, "active" boolean not null default true, "created_at" timestamptz not null default now(), constraint "app_user_pkey" primary key ("id"));`);
    this.addSql(`alter table "app_user" add constraint "app_user_email_unique" unique ("email");`);

    this.addSql(`create table "purchase_invoice" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "supplier_id" uuid not null, "invoice_number" text not null, "bill_date" date not null, "due_date" date not null, "currency" text not null, "net_amount" numeric(19,2) not null, "vat_amount" numeric(19,2) not null, "gross_amount" numeric(19,2) not null, "status" text check ("status" in ('DRAFT', 'IN_CIRCULATION', 'APPROVED', 'REJECTED', 'REMOVED')) not null default 'DRAFT', "posted" boolean not null default false, "document_number" int null, "fiscal_year" int null, "approval_process_id" uuid null, "current_stage_id" uuid null, "version" int not null default 1, "posting_version" int not null default 1, "ledger_version" int null, "ledger_entry_id" uuid null, "transfer_status" text check ("transfer_status" in ('QUEUED', 'SENDING', 'RETRYING', 'IN_DOUBT', 'TRANSFERRED', 'FAILED', 'CANCELLED')) null, "last_transfer_id" uuid null, "created_by_id" uuid null, "removed_at" timestamptz null, constraint "purchase_invoice_pkey" primary key ("id"));`);
    this.addSql(`create index "purchase_invoice_organization_id_supplier_id_invoi_bdd3e_index" on "purchase_invoice" ("organization_id", "supplier_id", "invoice_number");`);
    this.addSql(`create index "purchase_invoice_organization_id_status_bill_date_id_index" on "purchase_invoice" ("organization_id", "status", "bill_date", "id");`);
    this.addSql(`create index "purchase_invoice_organization_id_bill_date_id_index" on "purchase_invoice" ("organization_id", "bill_date", "id");`);
    this.addSql(`alter table "purchase_invoice" add constraint "purchase_invoice_organization_id_fiscal_year_docu_a6598_unique" unique ("organization_id", "fiscal_year", "document_number");`);

    this.addSql(`create table "invoice_line" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "invoice_id" uuid not null, "position" int not null, "account_code" text not null, "cost_unit_code" text null, "vat_code" text not null, "net_amount" numeric(19,2) not null, "vat_amount" numeric(19,2) not null, "description" text null, constraint "invoice_line_pkey" primary key ("id"));`);
    this.addSql(`create index "invoice_line_organization_id_invoice_id_position_index" on "invoice_line" ("organization_id", "invoice_id", "position");`);

    this.addSql(`create table "payment" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "invoice_id" uuid not null, "amount" numeric(19,2) not null, "payment_date" date not null, "source" text check ("source" in ('MANUAL', 'BANK_STATEMENT')) not null, "bank_reference" text null, "document_number" int not null, "fiscal_year" int not null, "version" int not null default 1, "posting_version" int not null default 1, "ledger_version" int null, "ledger_entry_id" uuid null, "transfer_status" text check ("transfer_status" in ('QUEUED', 'SENDING', 'RETRYING', 'IN_DOUBT', 'TRANSFERRED', 'FAILED', 'CANCELLED')) null, "last_transfer_id" uuid null, "created_by_id" uuid null, "removed_at" timestamptz null, constraint "payment_pkey" primary key ("id"));`);
    this.addSql(`create index "payment_organization_id_payment_date_id_index" on "payment" ("organization_id", "payment_date", "id");`);
    this.addSql(`create index "payment_organization_id_invoice_id_index" on "payment" ("organization_id", "invoice_id");`);
    this.addSql(`alter table "payment" add constraint "payment_organization_id_fiscal_year_document_number_unique" unique ("organization_id", "fiscal_year", "document_number");`);

    this.addSql(`create table "membership" ("organization_id" uuid not null, "user_id" uuid not null, "role" text check ("role" in ('VIEWER', 'APPROVER', 'ACCOUNTANT', 'ADMIN')) not null, "created_at" timestamptz not null default now(), constraint "membership_pkey" primary key ("organization_id", "user_id"));`);
    this.addSql(`create index "membership_user_id_organization_id_index" on "membership" ("user_id", "organization_id");`);

    this.addSql(`create table "approval_stage_approver" ("stage_id" uuid not null, "user_id" uuid not null, "organization_id" uuid not null, constraint "approval_stage_approver_pkey" primary key ("stage_id", "user_id"));`);
    this.addSql(`create index "approval_stage_approver_organization_id_user_id_index" on "approval_stage_approver" ("organization_id", "user_id");`);

    this.addSql(`create table "api_client" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" text not null, "token_hash" text not null, "token_prefix" text not null, "scopes" text[] not null, "created_by_id" uuid null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_client_pkey" primary key ("id"));`);
    this.addSql(`alter table "api_client" add constraint "api_client_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "api_client_organization_id_created_at_index" on "api_client" ("organization_id", "created_at");`);

    this.addSql(`create table "transfer_batch" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "document_type" text check ("document_type" in ('INVOICE', 'PAYMENT')) not null, "trigger" text check ("trigger" in ('MANUAL', 'AUTOMATIC')) not null, "total" int not null default 0, "status" text check ("status" in ('RUNNING', 'DONE')) not null default 'RUNNING', "requested_by_user_id" uuid null, "requested_by_api_client_id" uuid null, "finished_at" timestamptz null, constraint "transfer_batch_pkey" primary key ("id"));`);
    this.addSql(`create index "transfer_batch_organization_id_created_at_index" on "transfer_batch" ("organization_id", "created_at");`);

    this.addSql(`create table "transfer_report" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "batch_id" uuid null, "trigger" text check ("trigger" in ('MANUAL', 'AUTOMATIC')) not null, "total" int not null, "not_transferred" int not null, "items" jsonb not null, constraint "transfer_report_pkey" primary key ("id"));`);
    this.addSql(`create index "transfer_report_organization_id_created_at_id_index" on "transfer_report" ("organization_id", "created_at", "id");`);

    this.addSql(`create table "transfer" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "document_type" text check ("document_type" in ('INVOICE', 'PAYMENT')) not null, "invoice_id" uuid null, "payment_id" uuid null, "document_version" int not null, "kind" text check ("kind" in ('POST', 'CORRECTION', 'REVERSAL')) not null, "status" text check ("status" in ('QUEUED', 'SENDING', 'RETRYING', 'IN_DOUBT', 'TRANSFERRED', 'FAILED', 'CANCELLED')) not null default 'QUEUED', "trigger" text check ("trigger" in ('MANUAL', 'AUTOMATIC')) not null, "batch_id" uuid null, "attempts" int not null default 0, "next_attempt_at" timestamptz null, "heartbeat_at" timestamptz null, "original_date" date null, "posting_date" date null, "errors" jsonb not null, "ledger_entry_id" uuid null, "reverses_entry_id" uuid null, "requested_by_user_id" uuid null, "requested_by_api_client_id" uuid null, "performer" text null, "finished_at" timestamptz null, constraint "transfer_pkey" primary key ("id"));`);
    this.addSql(`create index "transfer_sending_heartbeat_index" on "transfer" ("heartbeat_at") where "status" = 'SENDING';`);
    this.addSql(`create unique index "transfer_live_payment_unique" on "transfer" ("organization_id", "payment_id") where "payment_id" is not null and "status" in ('QUEUED', 'SENDING', 'RETRYING', 'IN_DOUBT');`);
    this.addSql(`create unique index "transfer_live_invoice_unique" on "transfer" ("organization_id", "invoice_id") where "invoice_id" is not null and "status" in ('QUEUED', 'SENDING', 'RETRYING', 'IN_DOUBT');`);
    this.addSql(`create index "transfer_organization_id_batch_id_index" on "transfer" ("organization_id", "batch_id");`);
    this.addSql(`create index "transfer_organization_id_payment_id_index" on "transfer" ("organization_id", "payment_id");`);
    this.addSql(`create index "transfer_organization_id_invoice_id_index" on "transfer" ("organization_id", "invoice_id");`);
    this.addSql(`create index "transfer_organization_id_status_index" on "transfer" ("organization_id", "status");`);
    this.addSql(`create index "transfer_organization_id_created_at_id_index" on "transfer" ("organization_id", "created_at", "id");`);

    this.addSql(`create table "audit_event" ("id" uuid not null, "organization_id" uuid not null, "at" timestamptz not null default clock_timestamp(), "action" text not null, "actor_type" text check ("actor_type" in ('USER', 'API_CLIENT', 'SYSTEM')) not null, "actor_user_id" uuid null, "actor_api_client_id" uuid null, "system_name" text null, "on_behalf_of_id" uuid null, "entity_type" text not null, "entity_id" uuid not null, "invoice_id" uuid null, "details" jsonb not null, "request_id" text null, constraint "audit_event_pkey" primary key ("id"));`);
    this.addSql(`create index "audit_event_organization_id_at_index" on "audit_event" ("organization_id", "at");`);
    this.addSql(`create index "audit_event_organization_id_entity_type_entity_id_at_index" on "audit_event" ("organization_id", "entity_type", "entity_id", "at");`);
    this.addSql(`create index "audit_event_organization_id_invoice_id_at_index" on "audit_event" ("organization_id", "invoice_id", "at");`);

    this.addSql(`create table "user_session" ("token_hash" text not null, "user_id" uuid not null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "revoked_at" timestamptz null, constraint "user_session_pkey" primary key ("token_hash"));`);
    this.addSql(`create index "user_session_user_id_index" on "user_session" ("user_id");`);

    this.addSql(`alter table "ledger"."entry" add constraint "entry_period_id_foreign" foreign key ("period_id") references "ledger"."period" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "ledger"."entry_line" add constraint "entry_line_entry_id_foreign" foreign key ("entry_id") references "ledger"."entry" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "idempotency_record" add constraint "idempotency_record_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "document_sequence" add constraint "document_sequence_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "approval_process" add constraint "approval_process_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "approval_stage" add constraint "approval_stage_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "approval_stage" add constraint "approval_stage_process_id_foreign" foreign key ("process_id") references "approval_process" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "supplier" add constraint "supplier_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "transfer_settings" add constraint "transfer_settings_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "purchase_invoice" add constraint "purchase_invoice_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "purchase_invoice" add constraint "purchase_invoice_supplier_id_foreign" foreign key ("supplier_id") references "supplier" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "purchase_invoice" add constraint "purchase_invoice_approval_process_id_foreign" foreign key ("approval_process_id") references "approval_process" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "purchase_invoice" add constraint "purchase_invoice_current_stage_id_foreign" foreign key ("current_stage_id") references "approval_stage" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "purchase_invoice" add constraint "purchase_invoice_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "invoice_line" add constraint "invoice_line_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "invoice_line" add constraint "invoice_line_invoice_id_foreign" foreign key ("invoice_id") references "purchase_invoice" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "payment" add constraint "payment_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "payment" add constraint "payment_invoice_id_foreign" foreign key ("invoice_id") references "purchase_invoice" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "payment" add constraint "payment_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "membership" add constraint "membership_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "membership" add constraint "membership_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "approval_stage_approver" add constraint "approval_stage_approver_stage_id_foreign" foreign key ("stage_id") references "approval_stage" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "approval_stage_approver" add constraint "approval_stage_approver_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "approval_stage_approver" add constraint "approval_stage_approver_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "api_client" add constraint "api_client_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "api_client" add constraint "api_client_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "transfer_batch" add constraint "transfer_batch_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "transfer_batch" add constraint "transfer_batch_requested_by_user_id_foreign" foreign key ("requested_by_user_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "transfer_batch" add constraint "transfer_batch_requested_by_api_client_id_foreign" foreign key ("requested_by_api_client_id") references "api_client" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "transfer_report" add constraint "transfer_report_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "transfer_report" add constraint "transfer_report_batch_id_foreign" foreign key ("batch_id") references "transfer_batch" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "transfer" add constraint "transfer_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "transfer" add constraint "transfer_invoice_id_foreign" foreign key ("invoice_id") references "purchase_invoice" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "transfer" add constraint "transfer_payment_id_foreign" foreign key ("payment_id") references "payment" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "transfer" add constraint "transfer_batch_id_foreign" foreign key ("batch_id") references "transfer_batch" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "transfer" add constraint "transfer_requested_by_user_id_foreign" foreign key ("requested_by_user_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "transfer" add constraint "transfer_requested_by_api_client_id_foreign" foreign key ("requested_by_api_client_id") references "api_client" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "audit_event" add constraint "audit_event_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_actor_user_id_foreign" foreign key ("actor_user_id") references "app_user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_actor_api_client_id_foreign" foreign key ("actor_api_client_id") references "api_client" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_on_behalf_of_id_foreign" foreign key ("on_behalf_of_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "user_session" add constraint "user_session_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
    // The ledger enforces its own invariants, whatever code calls it (hand-written after generation,
    // before this migration landed).
    this.addSql(`create function ledger.check_entry_balanced() returns trigger language plpgsql as $$
declare
  e_id uuid;
  o_id uuid;
  d numeric; c numeric; n int; t numeric;
begin
  -- Fields are resolved when a statement runs, so each branch names only its table's columns.
  if tg_table_name = 'entry' then
    e_id := new.id; o_id := new.organization_id;
  elsif tg_op = 'DELETE' then
    e_id := old.entry_id; o_id := old.organization_id;
  else
    e_id := new.entry_id; o_id := new.organization_id;
  end if;
  -- organization_id first, so the (organization_id, entry_id) index serves it.
  select coalesce(sum(debit), 0), coalesce(sum(credit), 0), count(*) into d, c, n
    from ledger.entry_line where organization_id = o_id and entry_id = e_id;
  select total into t from ledger.entry where id = e_id;
  if t is null then return null; end if;
  if n < 2 or d <> c or d <> t then
    raise exception 'ledger entry % is unbalanced: debit %, credit %, total %, lines %', e_id, d, c, t, n
      using errcode = '23514', constraint = 'entry_balanced';
  end if;
  return null;
end $$;`);
    this.addSql(`create constraint trigger entry_line_balanced after insert or update or delete on ledger.entry_line
  deferrable initially deferred for each row execute function ledger.check_entry_balanced();`);
    this.addSql(`create constraint trigger entry_balanced after insert or update on ledger.entry
  deferrable initially deferred for each row execute function ledger.check_entry_balanced();`);

    this.addSql(`create function ledger.check_entry_period() returns trigger language plpgsql as $$
declare
  p ledger.period%rowtype;
  lock_date date;
begin
  -- FOR SHARE: closing the period or moving the lock date waits for this posting, and vice versa.
  select * into p from ledger.period where id = new.period_id and organization_id = new.organization_id for share;
  if not found then
    raise exception 'period % does not exist', new.period_id using errcode = '23503', constraint = 'entry_period_open';
  end if;
  if p.status <> 'OPEN' then
    raise exception 'period % is closed', p.name using errcode = '23514', constraint = 'entry_period_open';
  end if;
  if new.posting_date < p.start_date or new.posting_date > p.end_date then
    raise exception 'posting date % is outside period %', new.posting_date, p.name
      using errcode = '23514', constraint = 'entry_period_open';
  end if;
  select ap_lock_date into lock_date from ledger.settings where organization_id = new.organization_id for share;
  if lock_date is not null and new.posting_date <= lock_date then
    raise exception 'posting date % is on or before the lock date %', new.posting_date, lock_date
      using errcode = '23514', constraint = 'entry_after_lock_date';
  end if;
  return new;
end $$;`);
    this.addSql(`create trigger entry_period_open before insert or update of period_id, posting_date on ledger.entry
  for each row execute function ledger.check_entry_period();`);

    this.addSql(`create function ledger.refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'ledger % rows are immutable', tg_table_name using errcode = '42501';
end $$;`);
    this.addSql(`create trigger entry_line_immutable before update or delete on ledger.entry_line
  for each row execute function ledger.refuse_change();`);
    this.addSql(`create trigger entry_no_delete before delete on ledger.entry
  for each row execute function ledger.refuse_change();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists ledger.check_entry_balanced() cascade;`);
    this.addSql(`drop function if exists ledger.check_entry_period() cascade;`);
    this.addSql(`drop function if exists ledger.refuse_change() cascade;`);
    this.addSql(`alter table "ledger"."entry" drop constraint "entry_period_id_foreign";`);

    this.addSql(`alter table "ledger"."entry_line" drop constraint "entry_line_entry_id_foreign";`);

    this.addSql(`alter table "idempotency_record" drop constraint "idempotency_record_organization_id_foreign";`);

    this.addSql(`alter table "document_sequence" drop constraint "document_sequence_organization_id_foreign";`);

    this.addSql(`alter table "approval_process" drop constraint "approval_process_organization_id_foreign";`);

    this.addSql(`alter table "approval_stage" drop constraint "approval_stage_organization_id_foreign";`);

    this.addSql(`alter table "supplier" drop constraint "supplier_organization_id_foreign";`);

    this.addSql(`alter table "transfer_settings" drop constraint "transfer_settings_organization_id_foreign";`);

    this.addSql(`alter table "purchase_invoice" drop constraint "purchase_invoice_organization_id_foreign";`);

    this.addSql(`alter table "invoice_line" drop constraint "invoice_line_organization_id_foreign";`);

    this.addSql(`alter table "payment" drop constraint "payment_organization_id_foreign";`);

    this.addSql(`alter table "membership" drop constraint "membership_organization_id_foreign";`);

    this.addSql(`alter table "approval_stage_approver" drop constraint "approval_stage_approver_organization_id_foreign";`);

    this.addSql(`alter table "api_client" drop constraint "api_client_organization_id_foreign";`);

    this.addSql(`alter table "transfer_batch" drop constraint "transfer_batch_organization_id_foreign";`);

    this.addSql(`alter table "transfer_report" drop constraint "transfer_report_organization_id_foreign";`);

    this.addSql(`alter table "transfer" drop constraint "transfer_organization_id_foreign";`);

    this.addSql(`alter table "audit_event" drop constraint "audit_event_organization_id_foreign";`);

    this.addSql(`alter table "approval_stage" drop constraint "approval_stage_process_id_foreign";`);

    this.addSql(`alter table "purchase_invoice" drop constraint "purchase_invoice_approval_process_id_foreign";`);

    this.addSql(`alter table "purchase_invoice" drop constraint "purchase_invoice_current_stage_id_foreign";`);

    this.addSql(`alter table "approval_stage_approver" drop constraint "approval_stage_approver_stage_id_foreign";`);

    this.addSql(`alter table "purchase_invoice" drop constraint "purchase_invoice_supplier_id_foreign";`);

    this.addSql(`alter table "purchase_invoice" drop constraint "purchase_invoice_created_by_id_foreign";`);

    this.addSql(`alter table "payment" drop constraint "payment_created_by_id_foreign";`);

    this.addSql(`alter table "membership" drop constraint "membership_user_id_foreign";`);

    this.addSql(`alter table "approval_stage_approver" drop constraint "approval_stage_approver_user_id_foreign";`);

    this.addSql(`alter table "api_client" drop constraint "api_client_created_by_id_foreign";`);

    this.addSql(`alter table "transfer_batch" drop constraint "transfer_batch_requested_by_user_id_foreign";`);

    this.addSql(`alter table "transfer" drop constraint "transfer_requested_by_user_id_foreign";`);

    this.addSql(`alter table "audit_event" drop constraint "audit_event_actor_user_id_foreign";`);

    this.addSql(`alter table "audit_event" drop constraint "audit_event_on_behalf_of_id_foreign";`);

    this.addSql(`alter table "user_session" drop constraint "user_session_user_id_foreign";`);

    this.addSql(`alter table "invoice_line" drop constraint "invoice_line_invoice_id_foreign";`);

    this.addSql(`alter table "payment" drop constraint "payment_invoice_id_foreign";`);

    this.addSql(`alter table "transfer" drop constraint "transfer_invoice_id_foreign";`);

    this.addSql(`alter table "transfer" drop constraint "transfer_payment_id_foreign";`);

    this.addSql(`alter table "transfer_batch" drop constraint "transfer_batch_requested_by_api_client_id_foreign";`);

    this.addSql(`alter table "transfer" drop constraint "transfer_requested_by_api_client_id_foreign";`);

    this.addSql(`alter table "audit_event" drop constraint "audit_event_actor_api_client_id_foreign";`);

    this.addSql(`alter table "transfer_report" drop constraint "transfer_report_batch_id_foreign";`);

    this.addSql(`alter table "transfer" drop constraint "transfer_batch_id_foreign";`);

    this.addSql(`drop table if exists "ledger"."account" cascade;`);

    this.addSql(`drop table if exists "ledger"."cost_unit" cascade;`);

    this.addSql(`drop table if exists "ledger"."period" cascade;`);

    this.addSql(`drop table if exists "ledger"."entry" cascade;`);

    this.addSql(`drop table if exists "ledger"."entry_line" cascade;`);

    this.addSql(`drop table if exists "ledger"."settings" cascade;`);

    this.addSql(`drop table if exists "ledger"."supplier_account" cascade;`);

    this.addSql(`drop table if exists "ledger"."vat_code" cascade;`);

    this.addSql(`drop table if exists "organization" cascade;`);

    this.addSql(`drop table if exists "idempotency_record" cascade;`);

    this.addSql(`drop table if exists "document_sequence" cascade;`);

    this.addSql(`drop table if exists "approval_process" cascade;`);

    this.addSql(`drop table if exists "approval_stage" cascade;`);

    this.addSql(`drop table if exists "supplier" cascade;`);

    this.addSql(`drop table if exists "transfer_settings" cascade;`);

    this.addSql(`drop table if exists "app_user" cascade;`);

    this.addSql(`drop table if exists "purchase_invoice" cascade;`);

    this.addSql(`drop table if exists "invoice_line" cascade;`);

    this.addSql(`drop table if exists "payment" cascade;`);

    this.addSql(`drop table if exists "membership" cascade;`);

    this.addSql(`drop table if exists "approval_stage_approver" cascade;`);

    this.addSql(`drop table if exists "api_client" cascade;`);

    this.addSql(`drop table if exists "transfer_batch" cascade;`);

    this.addSql(`drop table if exists "transfer_report" cascade;`);

    this.addSql(`drop table if exists "transfer" cascade;`);

    this.addSql(`drop table if exists "audit_event" cascade;`);

    this.addSql(`drop table if exists "user_session" cascade;`);

    this.addSql(`drop schema if exists "ledger";`);
  }

}
