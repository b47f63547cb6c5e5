import { randomUUID } from 'node:crypto';
import {
  Entity,
  Enum,
  Index,
  ManyToOne,
  PrimaryKey,
  Property,
  Unique,
  type Opt,
} from '@mikro-orm/core';
import { User } from '../users/user.entity.js';

export enum Role {
  VIEWER = 'VIEWER',
  APPROVER = 'APPROVER',
  ACCOUNTANT = 'ACCOUNTANT',
  ADMIN = 'ADMIN',
}

@Entity({ tableName: 'organization' })
export class Organization {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Property({ type: 'text' })
  @Unique()
  slug!: string;

  @Property({ type: 'text' })
  name!: string;

  /** ISO 4217 code of the books' currency. */
  @Property({ type: 'text' })
  currency: Opt<string> = 'EUR';

  @Property({ type: 'text' })
  country: Opt<string> = 'FI';

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();
}

@Entity({ tableName: 'membership' })
@Index({ properties: ['user', 'organization'] })
export class Membership {
  @ManyToOne({ entity: () => Organization, primary: true, deleteRule: 'cascade' })
  organization!: Organization;

  @ManyToOne({ entity: () => User, primary: true, deleteRule: 'cascade' })
  user!: User;

  @Enum({ items: () => Role })
  role!: Role;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();
}
