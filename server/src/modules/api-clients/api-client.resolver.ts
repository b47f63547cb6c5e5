import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { readableOrganization } from '../../auth/access.js';
import { Permission } from '../../auth/permissions.js';
import { pageSize } from '../../common/connection.js';
import { runMutation } from '../../common/mutation.js';
import { serviceContext } from '../../common/service-context.js';
import type { RequestContext } from '../../context.js';
import { apiClientNode } from '../organizations/organization.mappers.js';
import type { ApiClientType } from '../organizations/organization.types.js';
import { CreateApiTokenInput, RevokeApiTokenInput } from './api-client.inputs.js';
import {
  ApiClientConnection,
  CreateApiTokenPayload,
  RevokeApiTokenPayload,
} from './api-client.payloads.js';
import { createApiToken, listApiTokens, revokeApiToken } from './api-token.service.js';

@Resolver()
export class ApiTokenResolver {
  @Query(() => ApiClientConnection, {
    description: "The organization's API tokens, newest first (admin). Never their secrets.",
  })
  async apiTokens(
    @Arg('organizationId', () => ID) organizationId: string,
    @Arg('includeRevoked', () => Boolean, { nullable: true, defaultValue: true })
    includeRevoked: boolean,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    const orgId = readableOrganization(ctx.caller, organizationId, Permission.ADMIN);
    return listApiTokens(ctx.em, orgId, includeRevoked !== false, pageSize(first), after);
  }

  @Mutation(() => CreateApiTokenPayload, {
    description:
      'Creates an API token (admin). The payload carries the secret this once; only its hash is stored.',
  })
  async createApiToken(
    @Arg('input', () => CreateApiTokenInput) input: CreateApiTokenInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CreateApiTokenPayload> {
    return runMutation<{ apiToken: ApiClientType | null; token: string | null }>(
      ctx,
      { apiToken: null, token: null },
      async (em) => {
        const { client, token } = await createApiToken(em, serviceContext(ctx), input);
        return { apiToken: apiClientNode(client), token };
      },
    );
  }

  @Mutation(() => RevokeApiTokenPayload, {
    description:
      'Revokes an API token (admin): its next request is unauthenticated, its open subscriptions are closed.',
  })
  async revokeApiToken(
    @Arg('input', () => RevokeApiTokenInput) input: RevokeApiTokenInput,
    @Ctx() ctx: RequestContext,
  ): Promise<RevokeApiTokenPayload> {
    return runMutation<{ apiToken: ApiClientType | null }>(ctx, { apiToken: null }, async (em) => ({
      apiToken: apiClientNode(await revokeApiToken(em, serviceContext(ctx), input.apiTokenId)),
    }));
  }
}
