import { ArrayType, Entity, Index, ManyToOne, Property, Unique, type Opt } from '@mikro-orm/core';
import { TenantEntity } from '../../common/base.entity.js';
import { User } from '../users/user.entity.js';

export enum ApiScope {
  READ = 'read',
  WRITE = 'write',
  EXPORT = 'export',
  ADMIN = 'admin',
}

/** A partner's API token, bound to one organization. Only the token's SHA-256 is stored. */
@Entity({ tableName: 'api_client' })
@Index({ properties: ['organization', 'createdAt'] })
export class ApiClient extends TenantEntity {
  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', hidden: true })
  @Unique()
  tokenHash!: string;

  /** First characters of the token, shown in lists so people can tell tokens apart. */
  @Property({ type: 'text' })
  tokenPrefix!: string;

  @Property({ type: new ArrayType<ApiScope>(), columnType: 'text[]' })
  scopes: Opt<ApiScope[]> = [];

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  createdBy?: User | null;

  @Property({ type: 'datetime', nullable: true })
  lastUsedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;
}
