import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import {
  organizationIdsOf,
  readableOrganization,
  requireAuthenticated,
} from '../../auth/access.js';
import { pageSize } from '../../common/connection.js';
import { fromGlobalId, toGlobalId } from '../../common/ids.js';
import { DecimalScalar } from '../../common/scalars.js';
import type { RequestContext } from '../../context.js';
import { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { PurchaseInvoiceType } from '../invoices/invoice.types.js';
import { PaymentType } from '../payments/payment.types.js';
import { userNode } from '../organizations/organization.mappers.js';
import { UserType } from '../organizations/organization.types.js';
import { Payment } from '../payments/payment.entity.js';
import { User } from '../users/user.entity.js';
import {
  BankAccount,
  BankEntryMatchState,
  BankEntryPayment,
  BankStatement,
  BankStatementEntry,
} from './bank-statement.entity.js';
import {
  listBankStatements,
  listEntryQueue,
  listStatementEntries,
} from './bank-statement.queries.js';
import {
  BankAccountType,
  BankStatementConnection,
  BankStatementEntryConnection,
  BankStatementEntryType,
  BankStatementType,
} from './bank-statement.types.js';

@ObjectType('BankEntrySuggestion', {
  description: 'A candidate invoice for a queued entry, and why.',
})
export class BankEntrySuggestionType {
  @Field(() => PurchaseInvoiceType, {
    nullable: true,
    description: 'Null if it has been removed since.',
  })
  invoice!: PurchaseInvoice | null;

  @Field(() => DecimalScalar, { description: 'The part of the entry it would pay.' })
  amount!: string;

  @Field(() => String)
  reason!: string;
}

@ObjectType('BankEntryPayment', { description: 'A payment recorded from the entry.' })
export class BankEntryPaymentType {
  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => PurchaseInvoiceType)
  invoice!: PurchaseInvoice;

  @Field(() => PaymentType)
  payment!: Payment;
}

@ObjectType('BankEntryStateCount')
export class BankEntryStateCount {
  @Field(() => BankEntryMatchState)
  state!: BankEntryMatchState;

  @Field(() => Int)
  count!: number;
}

/** A bank statement by global id, when the caller may read its organization; else null. */
export async function findReadableStatement(
  ctx: RequestContext,
  globalId: string,
): Promise<BankStatement | null> {
  requireAuthenticated(ctx.caller);
  const id = fromGlobalId(globalId, 'BankStatement');
  if (!id) return null;
  return ctx.em.findOne(BankStatement, {
    id,
    organization: { $in: organizationIdsOf(ctx.caller) },
  });
}

@Resolver(() => BankStatementType)
export class BankStatementResolver {
  @Query(() => [BankAccountType], { description: "The organization's bank accounts." })
  async bankAccounts(
    @Arg('organizationId', () => ID) organizationId: string,
    @Ctx() ctx: RequestContext,
  ) {
    const orgId = readableOrganization(ctx.caller, organizationId);
    return ctx.em.find(
      BankAccount,
      { organization: orgId },
      { orderBy: { name: 'asc', id: 'asc' } },
    );
  }

  @Query(() => BankStatementConnection, {
    description: 'Imported bank statements, latest import first; optionally of one account.',
  })
  async bankStatements(
    @Arg('organizationId', () => ID) organizationId: string,
    @Arg('accountId', () => ID, { nullable: true }) accountId: string | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    const orgId = readableOrganization(ctx.caller, organizationId);
    const limit = pageSize(first);
    const account = accountId
      ? (fromGlobalId(accountId, 'BankAccount') ?? '00000000-0000-0000-0000-000000000000')
      : null;
    return listBankStatements(ctx.em, orgId, account, limit, after);
  }

  @Query(() => BankStatementType, { nullable: true })
  async bankStatement(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return findReadableStatement(ctx, id);
  }

  @Query(() => BankStatementEntryConnection, {
    description: 'The match queue: outgoing entries waiting to be confirmed, assigned or ignored.',
  })
  async bankEntryQueue(
    @Arg('organizationId', () => ID) organizationId: string,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    const orgId = readableOrganization(ctx.caller, organizationId);
    return listEntryQueue(ctx.em, orgId, pageSize(first), after);
  }

  @FieldResolver(() => ID)
  id(@Root() s: BankStatement) {
    return toGlobalId('BankStatement', s.id);
  }

  @FieldResolver(() => BankAccountType)
  async account(@Root() s: BankStatement, @Ctx() ctx: RequestContext) {
    return ctx.em.findOneOrFail(BankAccount, { id: s.account.id, organization: s.organization.id });
  }

  @FieldResolver(() => UserType, { nullable: true })
  async importedBy(@Root() s: BankStatement, @Ctx() ctx: RequestContext) {
    if (!s.importedBy) return null;
    const user = await ctx.em.findOne(User, { id: s.importedBy.id });
    return user ? userNode(user) : null;
  }

  @FieldResolver(() => BankStatementEntryConnection, { description: 'Entries in file order.' })
  async entries(
    @Root() s: BankStatement,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return listStatementEntries(ctx.em, s, pageSize(first), after);
  }

  @FieldResolver(() => [BankEntryStateCount], {
    description: 'How many entries are in each match state.',
  })
  async entryCounts(@Root() s: BankStatement, @Ctx() ctx: RequestContext) {
    const rows = await ctx.em.execute<{ match_state: BankEntryMatchState; n: number }[]>(
      `select match_state, count(*)::int as n from bank_statement_entry where organization_id = ? and statement_id = ? group by match_state`,
      [s.organization.id, s.id],
    );
    return Object.values(BankEntryMatchState).map((state) => ({
      state,
      count: rows.find((r) => r.match_state === state)?.n ?? 0,
    }));
  }
}

@Resolver(() => BankStatementEntryType)
export class BankStatementEntryResolver {
  @FieldResolver(() => ID)
  id(@Root() e: BankStatementEntry) {
    return toGlobalId('BankStatementEntry', e.id);
  }

  @FieldResolver(() => BankStatementType)
  async statement(@Root() e: BankStatementEntry, @Ctx() ctx: RequestContext) {
    return ctx.em.findOneOrFail(BankStatement, {
      id: e.statement.id,
      organization: e.organization.id,
    });
  }

  @FieldResolver(() => [BankEntrySuggestionType])
  async suggestions(@Root() e: BankStatementEntry, @Ctx() ctx: RequestContext) {
    if (!e.suggestions.length) return [];
    const invoices = await ctx.em.find(PurchaseInvoice, {
      id: { $in: e.suggestions.map((s) => s.invoiceId) },
      organization: e.organization.id,
      removedAt: null,
    });
    return e.suggestions.map((s) => ({
      invoice: invoices.find((i) => i.id === s.invoiceId) ?? null,
      amount: s.amount,
      reason: s.reason,
    }));
  }

  @FieldResolver(() => [BankEntryPaymentType])
  async payments(@Root() e: BankStatementEntry, @Ctx() ctx: RequestContext) {
    const links = await ctx.em.find(
      BankEntryPayment,
      { entry: e.id, organization: e.organization.id },
      { populate: ['invoice', 'payment'], orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return links.map((l) => ({ amount: l.amount, invoice: l.invoice, payment: l.payment }));
  }

  @FieldResolver(() => UserType, {
    nullable: true,
    description: 'Who confirmed, assigned or ignored it.',
  })
  async resolvedBy(@Root() e: BankStatementEntry, @Ctx() ctx: RequestContext) {
    if (!e.resolvedBy) return null;
    const user = await ctx.em.findOne(User, { id: e.resolvedBy.id });
    return user ? userNode(user) : null;
  }
}

@Resolver(() => BankAccountType)
export class BankAccountResolver {
  @FieldResolver(() => ID)
  id(@Root() a: BankAccount) {
    return toGlobalId('BankAccount', a.id);
  }
}
