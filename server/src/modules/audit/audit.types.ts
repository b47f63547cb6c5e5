import { GraphQLJSONObject } from 'graphql-scalars';
import { createUnionType, Field, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../common/connection.js';
import { Node } from '../../common/node.js';
import { ApiClientType, UserType } from '../organizations/organization.types.js';

@ObjectType('SystemActor', {
  description: 'Ledgerlink itself, e.g. "Automatic transfer", acting for a user.',
})
export class SystemActorType {
  @Field(() => String)
  name!: string;

  @Field(() => UserType, { nullable: true })
  onBehalfOf!: UserType | null;
}

export const ActorUnion = createUnionType({
  name: 'Actor',
  types: () => [UserType, ApiClientType, SystemActorType] as const,
  resolveType: (value) => {
    const name = (value as { __typename?: string }).__typename;
    return name === 'SystemActor' ? 'SystemActor' : name === 'ApiClient' ? 'ApiClient' : 'User';
  },
});

@ObjectType('AuditEvent', { implements: Node })
export class AuditEventType extends Node {
  @Field(() => Date)
  at!: Date;

  @Field(() => String, {
    description: 'e.g. invoice.created, invoice.stage_saved, transfer.transferred',
  })
  action!: string;

  @Field(() => ActorUnion)
  actor!: typeof ActorUnion;

  @Field(() => GraphQLJSONObject)
  details!: Record<string, unknown>;
}

export const AuditEventConnection = ConnectionType('AuditEvent', () => AuditEventType);
