import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { GraphQLError } from 'graphql';
import { readableOrganization } from '../../auth/access.js';
import { encodeCursor, decodeCursor, pageSize, toConnection } from '../../common/connection.js';
import { DateScalar } from '../../common/scalars.js';
import type { RequestContext } from '../../context.js';
import { Journal } from '../accounting.enums.js';
import { entryNode, periodNode } from './accounting.mappers.js';
import { AccountingPeriodType, LedgerEntryConnection, MasterDataType } from './accounting.types.js';

@Resolver()
export class AccountingQueryResolver {
  @Query(() => MasterDataType, {
    description: "The ledger's master data, to code posting lines against.",
  })
  async masterData(
    @Arg('organizationId', () => ID) organizationId: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.accounting.getMasterData(readableOrganization(ctx.caller, organizationId));
  }

  @Query(() => [AccountingPeriodType], { description: 'Monthly periods, oldest first.' })
  async accountingPeriods(
    @Arg('organizationId', () => ID) organizationId: string,
    @Arg('fiscalYear', () => Int, { nullable: true }) fiscalYear: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    const orgId = readableOrganization(ctx.caller, organizationId);
    const periods = await ctx.services.accounting.listPeriods(orgId, fiscalYear ?? undefined);
    return periods.map(periodNode);
  }

  @Query(() => DateScalar, {
    nullable: true,
    description: 'The accounts-payable lock date: nothing is posted on or before it.',
  })
  async lockDate(
    @Arg('organizationId', () => ID) organizationId: string,
    @Ctx() ctx: RequestContext,
  ) {
    const settings = await ctx.services.accounting.getSettings(
      readableOrganization(ctx.caller, organizationId),
    );
    return settings.apLockDate;
  }

  @Query(() => LedgerEntryConnection, {
    description: 'Ledger entries, newest first; find an exported invoice by its Reference.',
  })
  async ledgerEntries(
    @Arg('organizationId', () => ID) organizationId: string,
    @Arg('journal', () => Journal, { nullable: true }) journal: Journal | null,
    @Arg('reference', () => String, { nullable: true }) reference: string | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    const orgId = readableOrganization(ctx.caller, organizationId);
    const limit = pageSize(first);
    if (reference && reference.length > 100) {
      throw new GraphQLError('reference is longer than 100 characters', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    const cursor = decodeCursor(after, ['uuid']);
    const page = await ctx.services.accounting.listEntries(orgId, {
      journal: journal ?? undefined,
      reference: reference?.trim() || undefined,
      first: limit,
      after: (cursor?.[0] as string | undefined) ?? undefined,
    });
    const rows = page.hasNextPage
      ? [...page.entries, page.entries[page.entries.length - 1]]
      : page.entries;
    return toConnection(
      rows,
      limit,
      (e) => encodeCursor([e.id]),
      entryNode,
      page.totalCount,
      !!cursor,
    );
  }
}
