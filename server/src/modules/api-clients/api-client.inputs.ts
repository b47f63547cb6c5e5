import { Field, ID, InputType } from 'type-graphql';
import { ApiScope } from './api-client.entity.js';

@InputType()
export class CreateApiTokenInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => String, {
    description:
      'What the token is for, e.g. "Accounting firm X, nightly sync" (1 to 100 characters).',
  })
  name!: string;

  @Field(() => [ApiScope], {
    description: 'At least one. An API token creating a token may grant only scopes it has itself.',
  })
  scopes!: ApiScope[];
}

@InputType()
export class RevokeApiTokenInput {
  @Field(() => ID)
  apiTokenId!: string;
}
