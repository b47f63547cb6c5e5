import { Arg, Ctx, Field, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { requireAuthenticated } from '../../auth/access.js';
import { SESSION_COOKIE } from '../../auth/authenticate.js';
import { UserError } from '../../common/payload.types.js';
import { runMutation } from '../../common/mutation.js';
import type { RequestContext } from '../../context.js';
import { Organization } from '../organizations/organization.entity.js';
import { apiClientNode, organizationNode, userNode } from '../organizations/organization.mappers.js';
import { UserType, ViewerType } from '../organizations/organization.types.js';
import { login, logout } from './session.service.js';

@InputType()
class LoginInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;
}

@ObjectType()
class LoginPayload {
  @Field(() => UserType, { nullable: true })
  user!: UserType | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
class LogoutInput {
  @Field(() => Boolean, { nullable: true, description: 'Reserved; logout always ends this session.' })
  everywhere?: boolean;
}

@ObjectType()
class LogoutPayload {
  @Field(() => [UserError])
  userErrors!: UserError[];
}

@Resolver()
export class AuthResolver {
  @Query(() => ViewerType, { description: 'Who is calling, and the organizations they can see.' })
  async viewer(@Ctx() ctx: RequestContext): Promise<ViewerType> {
    const { caller, em } = ctx;
    requireAuthenticated(caller);
    if (caller.kind === 'user') {
      const orgs = await em.find(Organization, { id: { $in: [...caller.roles.keys()] } }, { orderBy: { name: 'asc' } });
      return {
        user: userNode(caller.user),
        apiClient: null,
        organizations: orgs.map((o) => organizationNode(o, caller.roles.get(o.id) ?? null)),
      };
    }
    if (caller.kind === 'apiClient') {
      const org = await em.findOneOrFail(Organization, { id: caller.organizationId });
      return { user: null, apiClient: apiClientNode(caller.apiClient), organizations: [organizationNode(org, null)] };
    }
    throw new Error('unreachable');
  }

  @Mutation(() => LoginPayload, { description: 'Signs in and sets the session cookie (httpOnly, SameSite=Lax).' })
  async login(@Arg('input', () => LoginInput) input: LoginInput, @Ctx() ctx: RequestContext): Promise<LoginPayload> {
    return runMutation<{ user: UserType | null }>(ctx, { user: null }, async (em) => {
      const { user, sessionToken, expiresAt } = await login(
        em,
        input.email,
        input.password,
        ctx.services.config.sessionTtlHours,
      );
      ctx.res?.cookie(SESSION_COOKIE, sessionToken, {
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.services.config.nodeEnv === 'production' || ctx.req?.secure === true,
        expires: expiresAt,
        path: '/',
      });
      return { user: userNode(user) };
    });
  }

  @Mutation(() => LogoutPayload)
  async logout(
    @Arg('input', () => LogoutInput, { nullable: true }) _input: LogoutInput | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<LogoutPayload> {
    return runMutation(ctx, {}, async (em) => {
      if (ctx.caller.kind === 'user') await logout(em, ctx.caller.sessionTokenHash);
      ctx.res?.clearCookie(SESSION_COOKIE, { path: '/' });
      return {};
    });
  }
}
