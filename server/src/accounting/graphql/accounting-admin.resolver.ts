import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { runMutation } from '../../common/mutation.js';
import { serviceContext } from '../../common/service-context.js';
import type { RequestContext } from '../../context.js';
import {
  AdjustPostingPeriodInput,
  PeriodInput,
  SetLockDateInput,
} from './accounting-admin.inputs.js';
import {
  AdjustPostingPeriodPayload,
  ClosePeriodPayload,
  ReopenPeriodPayload,
  SetLockDatePayload,
} from './accounting-admin.payloads.js';
import { moveEntryToPeriod, setLockDate, setPeriodStatus } from './accounting-admin.service.js';
import { entryNode, periodNode } from './accounting.mappers.js';

@Resolver()
export class AccountingAdminResolver {
  @Mutation(() => AdjustPostingPeriodPayload, {
    description: 'Moves a ledger entry to another open period (admin).',
  })
  async adjustPostingPeriod(
    @Arg('input', () => AdjustPostingPeriodInput) input: AdjustPostingPeriodInput,
    @Ctx() ctx: RequestContext,
  ) {
    return runMutation(ctx, { ledgerEntry: null }, async (em) => ({
      ledgerEntry: entryNode(await moveEntryToPeriod(em, serviceContext(ctx), input)),
    }));
  }

  @Mutation(() => SetLockDatePayload, {
    description: 'Sets the accounts-payable lock date (admin): nothing is posted on or before it.',
  })
  async setLockDate(
    @Arg('input', () => SetLockDateInput) input: SetLockDateInput,
    @Ctx() ctx: RequestContext,
  ) {
    return runMutation(ctx, { lockDate: null }, async (em) => ({
      lockDate: await setLockDate(em, serviceContext(ctx), input),
    }));
  }

  @Mutation(() => ClosePeriodPayload, {
    description: 'Closes a period (admin); postings in flight finish first.',
  })
  async closePeriod(
    @Arg('input', () => PeriodInput) input: PeriodInput,
    @Ctx() ctx: RequestContext,
  ) {
    return this.setPeriod(input, ctx, 'close');
  }

  @Mutation(() => ReopenPeriodPayload, { description: 'Reopens a closed period (admin).' })
  async reopenPeriod(
    @Arg('input', () => PeriodInput) input: PeriodInput,
    @Ctx() ctx: RequestContext,
  ) {
    return this.setPeriod(input, ctx, 'reopen');
  }

  private async setPeriod(input: PeriodInput, ctx: RequestContext, action: 'close' | 'reopen') {
    return runMutation(ctx, { period: null }, async (em) => ({
      period: periodNode(await setPeriodStatus(em, serviceContext(ctx), input, action)),
    }));
  }
}
