import { Migration } from '@mikro-orm/migrations';

export class Migration20261121232422 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "transfer" add column "claim_token" uuid null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "transfer" drop column "claim_token";`);
  }

}
