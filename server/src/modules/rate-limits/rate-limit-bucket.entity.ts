import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A token bucket shared by every replica: `available` points as of `updatedAt`; it regains
 * points at the bucket's rate up to its size. Keys name the subject, e.g. `cost:api_client:<id>`,
 * `cost:user:<id>`, `cost:ip:<address>`, `login:account:<sha256>`, `login:ip:<address>`.
 * The table is UNLOGGED (see its migration): losing it in a crash only refills every bucket.
 */
@Entity({ tableName: 'rate_limit_bucket' })
export class RateLimitBucket {
  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'double' })
  available!: number;

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
