import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { organizationIdsOf } from '../../auth/access.js';
import { runMutation } from '../../common/mutation.js';
import { serviceContext } from '../../common/service-context.js';
import type { RequestContext } from '../../context.js';
import {
  assignBankEntry,
  confirmBankEntryMatch,
  ignoreBankEntry,
} from './bank-entry-queue.service.js';
import { addBankAccount } from './bank-account.service.js';
import {
  BankStatement,
  type BankAccount,
  type BankStatementEntry,
} from './bank-statement.entity.js';
import {
  AddBankAccountInput,
  AssignBankEntryInput,
  ConfirmBankEntryMatchInput,
  IgnoreBankEntryInput,
  ImportBankStatementInput,
} from './bank-statement.inputs.js';
import {
  AddBankAccountPayload,
  BankEntryPayload,
  ImportBankStatementPayload,
} from './bank-statement.payloads.js';
import { importBankStatement } from './bank-statement.service.js';

@Resolver()
export class BankStatementMutationResolver {
  @Mutation(() => ImportBankStatementPayload, {
    description:
      'Imports a camt.053 statement or camt.054 notification (idempotent by idempotencyKey; a statement or entry imported before is recognized and skipped). Outgoing entries are matched to open invoices by payment reference, then supplier IBAN + amount, then invoice number in the text; exact matches are paid (source BANK_STATEMENT) in the same transaction, the rest wait in bankEntryQueue. Needs ACCOUNTANT or ADMIN (tokens: write). Nothing is written on any error.',
  })
  async importBankStatement(
    @Arg('input', () => ImportBankStatementInput) input: ImportBankStatementInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ImportBankStatementPayload> {
    return runMutation<Omit<ImportBankStatementPayload, 'userErrors'>>(
      ctx,
      {
        statements: [],
        importedEntries: null,
        duplicateEntries: null,
        matchedEntries: null,
        queuedEntries: null,
      },
      async (em) => {
        const r = await importBankStatement(em, serviceContext(ctx), input);
        const statements = await em.find(BankStatement, {
          id: { $in: r.statements.map((s) => s.id) },
          organization: { $in: organizationIdsOf(ctx.caller) },
        });
        return {
          ...r,
          statements: r.statements.map((s) => ({
            statement: statements.find((x) => x.id === s.id)!,
            duplicate: s.duplicate,
          })),
        };
      },
    );
  }

  @Mutation(() => BankEntryPayload, {
    description:
      "Accepts a queued entry's suggestions (all, or those of invoiceIds) and records the payments; they must add up to the entry.",
  })
  async confirmBankEntryMatch(
    @Arg('input', () => ConfirmBankEntryMatchInput) input: ConfirmBankEntryMatchInput,
    @Ctx() ctx: RequestContext,
  ): Promise<BankEntryPayload> {
    return runMutation<{ entry: BankStatementEntry | null }>(ctx, { entry: null }, async (em) => ({
      entry: await confirmBankEntryMatch(em, serviceContext(ctx), input),
    }));
  }

  @Mutation(() => BankEntryPayload, {
    description:
      'Pays invoices with a queued (or ignored) entry, split as given; the amounts must add up to the entry. Overpayment is refused.',
  })
  async assignBankEntry(
    @Arg('input', () => AssignBankEntryInput) input: AssignBankEntryInput,
    @Ctx() ctx: RequestContext,
  ): Promise<BankEntryPayload> {
    return runMutation<{ entry: BankStatementEntry | null }>(ctx, { entry: null }, async (em) => ({
      entry: await assignBankEntry(em, serviceContext(ctx), input),
    }));
  }

  @Mutation(() => BankEntryPayload, {
    description:
      'Takes a queued entry out of the queue without paying anything (who and when are kept).',
  })
  async ignoreBankEntry(
    @Arg('input', () => IgnoreBankEntryInput) input: IgnoreBankEntryInput,
    @Ctx() ctx: RequestContext,
  ): Promise<BankEntryPayload> {
    return runMutation<{ entry: BankStatementEntry | null }>(ctx, { entry: null }, async (em) => ({
      entry: await ignoreBankEntry(em, serviceContext(ctx), input),
    }));
  }

  @Mutation(() => AddBankAccountPayload, {
    description:
      'Registers a bank account of the organization (IBAN, currency, name) so that its statements can be imported. Needs ADMIN (tokens: admin).',
  })
  async addBankAccount(
    @Arg('input', () => AddBankAccountInput) input: AddBankAccountInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AddBankAccountPayload> {
    return runMutation<{ bankAccount: BankAccount | null }>(
      ctx,
      { bankAccount: null },
      async (em) => ({ bankAccount: await addBankAccount(em, serviceContext(ctx), input) }),
    );
  }
}
