import { Field, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../common/connection.js';
import { UserError } from '../../common/payload.types.js';
import { ApiClientType } from '../organizations/organization.types.js';

@ObjectType()
export class CreateApiTokenPayload {
  @Field(() => ApiClientType, { nullable: true })
  apiToken!: ApiClientType | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The secret (Authorization: Bearer <token>). Shown this once: only its hash is kept, it cannot be read again.',
  })
  token!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class RevokeApiTokenPayload {
  @Field(() => ApiClientType, { nullable: true })
  apiToken!: ApiClientType | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

export const ApiClientConnection = ConnectionType('ApiClient', () => ApiClientType);
