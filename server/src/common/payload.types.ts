import { Field, ObjectType } from 'type-graphql';
import { UserErrorCode, type UserErrorDetail } from './errors.js';

@ObjectType({ description: 'A business rule refused the mutation; nothing was changed.' })
export class UserError {
  @Field(() => UserErrorCode)
  code!: UserErrorCode;

  @Field(() => String)
  message!: string;

  @Field(() => [String], { nullable: true, description: 'Path to the input field at fault.' })
  field?: string[] | null;
}

@ObjectType({ description: 'Something to look at that did not stop the mutation.' })
export class Warning {
  @Field(() => String)
  code!: string;

  @Field(() => String)
  message!: string;

  @Field(() => [String], { nullable: true })
  field?: string[] | null;
}

export function toUserErrors(errors: UserErrorDetail[]): UserError[] {
  return errors.map((e) => ({ code: e.code, message: e.message, field: e.field ?? null }));
}
