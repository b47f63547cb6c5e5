import { Arg, Ctx, Field, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { requireAuthenticated } from '../../auth/access.js';
import { SESSION_COOKIE, sessionTokenFromCookie } from '../../auth/authenticate.js';
import { UserErrorCode } from '../../common/errors.js';
import { UserError } from '../../common/payload.types.js';
import { runMutation } from '../../common/mutation.js';
import type { RequestContext } from '../../context.js';
import { Organization } from '../organizations/organization.entity.js';
import {
  apiClientNode,
  organizationNode,
  userNode,
} from '../organizations/organization.mappers.js';
import { UserType, ViewerType } from '../organizations/organization.types.js';
import { noteSignedInUser } from '../audit/api-audit.plugin.js';
import { clientAddress } from '../rate-limits/api-limits.plugin.js';
import { beginLoginAttempt } from './login-throttle.js';
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
  @Field(() => Boolean, {
    nullable: true,
    description: "Also end the user's other sessions (every browser).",
  })
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
      const orgs = await em.find(
        Organization,
        { id: { $in: [...caller.roles.keys()] } },
        { orderBy: { name: 'asc' } },
      );
      return {
        user: userNode(caller.user),
        apiClient: null,
        organizations: orgs.map((o) => organizationNode(o, caller.roles.get(o.id) ?? null)),
      };
    }
    if (caller.kind === 'apiClient') {
      const org = await em.findOneOrFail(Organization, { id: caller.organizationId });
      return {
        user: null,
        apiClient: apiClientNode(caller.apiClient),
        organizations: [organizationNode(org, null)],
      };
    }
    throw new Error('unreachable');
  }

  @Mutation(() => LoginPayload, {
    description:
      'Signs in and sets the session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS). Failed attempts are throttled per account and per address (THROTTLED, with a Retry-After header).',
  })
  async login(
    @Arg('input', () => LoginInput) input: LoginInput,
    @Ctx() ctx: RequestContext,
  ): Promise<LoginPayload> {
    const gate = await beginLoginAttempt(
      ctx.services.orm,
      ctx.services.config.apiLimits,
      input.email,
      clientAddress(ctx.req),
    );
    if (!gate.allowed) {
      ctx.res?.setHeader('Retry-After', String(gate.retryAfterSeconds));
      return {
        user: null,
        userErrors: [
          {
            code: UserErrorCode.THROTTLED,
            message: `Too many sign-in attempts; try again in ${gate.retryAfterSeconds} seconds`,
            field: null,
          },
        ],
      };
    }
    const payload = await runMutation<{ user: UserType | null }>(
      ctx,
      { user: null },
      async (em) => {
        const { user, sessionToken, expiresAt } = await login(
          em,
          input.email,
          input.password,
          ctx.services.config.sessionTtlHours,
          sessionTokenFromCookie(ctx.req?.header('cookie')),
        );
        ctx.res?.cookie(SESSION_COOKIE, sessionToken, {
          httpOnly: true,
          sameSite: 'lax',
          secure: ctx.services.config.nodeEnv === 'production' || ctx.req?.secure === true,
          expires: expiresAt,
          path: '/',
        });
        noteSignedInUser(ctx, user.id);
        return { user: userNode(user) };
      },
    );
    if (!payload.userErrors.length) await gate.attempt.succeeded();
    return payload;
  }

  @Mutation(() => LogoutPayload)
  async logout(
    @Arg('input', () => LogoutInput, { nullable: true }) input: LogoutInput | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<LogoutPayload> {
    return runMutation(ctx, {}, async (em) => {
      if (ctx.caller.kind === 'user') {
        await logout(
          em,
          ctx.caller.sessionTokenHash,
          input?.everywhere === true ? ctx.caller.user.id : undefined,
        );
      }
      ctx.res?.clearCookie(SESSION_COOKIE, { path: '/' });
      return {};
    });
  }
}
