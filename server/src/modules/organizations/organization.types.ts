import { Field, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../common/connection.js';
import { Node } from '../../common/node.js';
import { ApiScope } from '../api-clients/api-client.entity.js';
import { Role } from './organization.entity.js';

@ObjectType('Organization', { implements: Node })
export class OrganizationType extends Node {
  @Field(() => String)
  slug!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'ISO 4217 currency of the books.' })
  currency!: string;

  @Field(() => Role, {
    nullable: true,
    description: "The signed-in user's role; null for API clients.",
  })
  role!: Role | null;
}

@ObjectType('User', { implements: Node })
export class UserType extends Node {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType('Member', { description: "A user's membership of an organization." })
export class MemberType {
  @Field(() => UserType)
  user!: UserType;

  @Field(() => Role, { description: 'The role in this organization.' })
  role!: Role;

  @Field(() => Boolean, { description: 'False when the user may no longer sign in.' })
  active!: boolean;
}

export const MemberConnection = ConnectionType('Member', () => MemberType);

@ObjectType('ApiClient', { implements: Node })
export class ApiClientType extends Node {
  @Field(() => String)
  name!: string;

  @Field(() => [ApiScope])
  scopes!: ApiScope[];

  @Field(() => String, { description: 'The first characters of the token, to tell tokens apart.' })
  tokenPrefix!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType('Viewer')
export class ViewerType {
  @Field(() => UserType, { nullable: true })
  user!: UserType | null;

  @Field(() => ApiClientType, { nullable: true })
  apiClient!: ApiClientType | null;

  @Field(() => [OrganizationType])
  organizations!: OrganizationType[];
}
