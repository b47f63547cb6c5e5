/**
 * Importing bank statements (camt.053) and notifications (camt.054): one transaction stores the
 * statements and their new entries, matches every outgoing entry to open purchase invoices and
 * records the payments of the exact matches (source BANK_STATEMENT) — which the transfer engine
 * then sends to the ledger as for any recorded payment. A statement or entry seen before (by
 * statement id, or by the bank's entry reference) is recognized and not counted again.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { electronicFormatIBAN } from 'ibantools';
import { Permission } from '../../auth/permissions.js';
import { DomainError, UserErrorCode } from '../../common/errors.js';
import { Decimal, formatMoney } from '../../common/money.js';
import type { ServiceContext } from '../../common/service-context.js';
import { authorizeOrganizationInput } from '../../common/validation.js';
import { actorOf, recordAudit } from '../audit/audit.service.js';
import { withIdempotency } from '../idempotency/idempotency.service.js';
import { Organization } from '../organizations/organization.entity.js';
import { User } from '../users/user.entity.js';
import { matchEntry } from './bank-matching.js';
import { recordEntryPayments } from './bank-entry-payments.js';
import {
  BankAccount,
  BankEntryDirection,
  BankEntryMatchState,
  BankStatement,
  BankStatementEntry,
  BankStatementKind,
} from './bank-statement.entity.js';
import { CamtError, parseCamt, type CamtStatement } from './camt.parser.js';

export interface ImportBankStatementData {
  organizationId: string;
  document: string;
  idempotencyKey: string;
}

export interface ImportResult {
  statements: { id: string; duplicate: boolean }[];
  importedEntries: number;
  duplicateEntries: number;
  matchedEntries: number;
  queuedEntries: number;
}

const CAMT_CODES: Record<CamtError['code'], UserErrorCode> = {
  XML_FORBIDDEN: UserErrorCode.XML_FORBIDDEN,
  DOCUMENT_TOO_LARGE: UserErrorCode.DOCUMENT_TOO_LARGE,
  MALFORMED_DOCUMENT: UserErrorCode.MALFORMED_DOCUMENT,
  UNSUPPORTED_DOCUMENT: UserErrorCode.UNSUPPORTED_DOCUMENT,
};

/** How the importer is named on the statement: a user, a token's name, or the command line. */
function importerOf(em: EntityManager, sctx: ServiceContext) {
  return {
    user: sctx.caller.kind === 'user' ? em.getReference(User, sctx.caller.user.id) : null,
    via: sctx.caller.kind === 'apiClient' ? `API token ${sctx.caller.apiClient.name}` : null,
  };
}

function accountIdentifier(s: CamtStatement): string {
  return s.accountIsIban ? (electronicFormatIBAN(s.account) ?? s.account) : s.account;
}

export async function importBankStatement(
  em: EntityManager,
  sctx: ServiceContext,
  input: ImportBankStatementData,
): Promise<ImportResult> {
  const organizationId = authorizeOrganizationInput(
    sctx.caller,
    input.organizationId,
    Permission.WRITE,
  );
  let doc: ReturnType<typeof parseCamt>;
  try {
    doc = parseCamt(input.document);
  } catch (err) {
    if (err instanceof CamtError)
      throw new DomainError(CAMT_CODES[err.code], err.message, ['document']);
    throw err;
  }
  const { result } = await withIdempotency(
    em,
    {
      organizationId,
      key: input.idempotencyKey,
      operation: 'importBankStatement',
      input: { organizationId, checksum: doc.checksum },
    },
    () => importParsed(em, sctx, organizationId, doc),
  );
  return result;
}

async function importParsed(
  em: EntityManager,
  sctx: ServiceContext,
  organizationId: string,
  doc: ReturnType<typeof parseCamt>,
): Promise<ImportResult> {
  const org = await em.findOneOrFail(Organization, { id: organizationId });
  // Every statement's account must be the organization's, in its currency: checked for all
  // before anything is written.
  const accounts = new Map<CamtStatement, BankAccount>();
  for (const [n, s] of doc.statements.entries()) {
    const field = ['document'];
    const identifier = accountIdentifier(s);
    const account = await em.findOne(BankAccount, { organization: organizationId, identifier });
    if (!account) {
      throw new DomainError(
        UserErrorCode.UNKNOWN_ACCOUNT,
        `Statement ${n + 1} (${s.statementId}) is for account ${identifier}, which is not a bank account of ${org.name}`,
        field,
      );
    }
    const wrong = [s.currency, ...s.entries.map((e) => e.currency)].find(
      (c) => c !== null && c !== account.currency,
    );
    if (wrong !== undefined) {
      throw new DomainError(
        UserErrorCode.CURRENCY_MISMATCH,
        `Statement ${n + 1} (${s.statementId}) has amounts in ${wrong || 'no currency'}; account ${identifier} is kept in ${account.currency}`,
        field,
      );
    }
    accounts.set(s, account);
  }
  // One import per account at a time: the second of two concurrent imports of a file then sees
  // the first's statement and entries instead of colliding with them.
  const accountIds = [...new Set([...accounts.values()].map((a) => a.id))].sort();
  for (const id of accountIds) {
    await em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [
      `bank-account:${id}`,
    ]);
  }

  const importer = importerOf(em, sctx);
  const result: ImportResult = {
    statements: [],
    importedEntries: 0,
    duplicateEntries: 0,
    matchedEntries: 0,
    queuedEntries: 0,
  };
  const toMatch: BankStatementEntry[] = [];
  const takenKeys = new Map<string, Set<string>>();
  const createdHere = new Map<string, BankStatement>();
  for (const s of doc.statements) {
    const account = accounts.get(s)!;
    const sameInFile = createdHere.get(`${account.id}:${s.statementId}`);
    const existing =
      sameInFile ??
      (await em.findOne(BankStatement, {
        organization: organizationId,
        account,
        statementId: s.statementId,
      }));
    if (existing) {
      result.statements.push({ id: existing.id, duplicate: true });
      continue;
    }
    const total = s.entries.reduce((a, e) => a.plus(e.amount), new Decimal(0));
    const dates = s.entries
      .map((e) => e.bookingDate)
      .filter((d): d is string => !!d)
      .sort();
    const statement = em.create(BankStatement, {
      organization: org,
      account,
      kind: s.kind === 'STATEMENT' ? BankStatementKind.STATEMENT : BankStatementKind.NOTIFICATION,
      camtVersion: s.version,
      messageId: s.messageId,
      statementId: s.statementId,
      electronicSequence: s.electronicSequence,
      legalSequence: s.legalSequence,
      currency: account.currency,
      fromDate: s.fromDate ?? dates[0] ?? null,
      toDate: s.toDate ?? dates[dates.length - 1] ?? null,
      openingBalance: s.openingBalance,
      closingBalance: s.closingBalance,
      entriesTotal: formatMoney(total),
      balanceWarning: balanceWarning(s, total),
      checksum: doc.checksum,
      importedBy: importer.user,
      importedVia: importer.via,
    });
    createdHere.set(`${account.id}:${s.statementId}`, statement);
    const keys = s.entries.map((e) => e.key);
    const seen = new Set(
      keys.length
        ? (
            await em.execute<{ entry_key: string }[]>(
              // An array binding expands to a list: `in (?)`.
              `select entry_key from bank_statement_entry where organization_id = ? and account_id = ? and entry_key in (?)`,
              [organizationId, account.id, keys],
            )
          ).map((r) => r.entry_key)
        : [],
    );
    const taken = takenKeys.get(account.id) ?? new Set<string>();
    takenKeys.set(account.id, taken);
    for (const [position, e] of s.entries.entries()) {
      // Seen in the database, or in an earlier statement of this same document.
      if (seen.has(e.key) || taken.has(e.key)) {
        result.duplicateEntries++;
        continue;
      }
      const first = e.transactions.length === 1 ? e.transactions[0] : null;
      const applicable = e.direction === 'DEBIT' && !e.reversal;
      const entry = em.create(BankStatementEntry, {
        organization: org,
        statement,
        account,
        position,
        entryKey: e.key,
        accountServicerReference: e.accountServicerReference,
        bookingDate: e.bookingDate,
        valueDate: e.valueDate,
        amount: e.amount,
        direction: e.direction as BankEntryDirection,
        reversal: e.reversal,
        currency: account.currency,
        counterpartyName: first?.counterpartyName ?? null,
        counterpartyIban: first?.counterpartyIban ?? null,
        reference: e.transactions.find((t) => t.reference)?.reference ?? null,
        remittanceText: first?.remittanceText ?? null,
        endToEndId: first?.endToEndId ?? null,
        transactions: e.transactions.map((t) => ({
          amount: t.amount,
          reference: t.reference,
          documentNumbers: t.documentNumbers,
          remittanceText: t.remittanceText,
          counterpartyName: t.counterpartyName,
          counterpartyIban: t.counterpartyIban,
          endToEndId: t.endToEndId,
        })),
        matchState: applicable ? BankEntryMatchState.QUEUED : BankEntryMatchState.NOT_APPLICABLE,
        reason: applicable
          ? null
          : e.reversal
            ? 'A reversal: nothing to pay'
            : 'Incoming money: not a payment of a purchase invoice',
      });
      taken.add(e.key);
      result.importedEntries++;
      if (applicable) toMatch.push(entry);
    }
    result.statements.push({ id: statement.id, duplicate: false });
    recordAudit(em, {
      organizationId,
      action: 'bank_statement.imported',
      actor: actorOf(sctx.caller),
      entityType: 'BankStatement',
      entityId: statement.id,
      requestId: sctx.requestId,
      details: {
        statementId: s.statementId,
        account: account.identifier,
        camtVersion: s.version,
        entries: s.entries.length,
        checksum: doc.checksum,
      },
    });
  }
  await em.flush();

  for (const entry of toMatch) {
    const outcome = await matchEntry(em, organizationId, entry);
    if (outcome.matched) {
      const refused = await recordEntryPayments(em, sctx, entry, outcome.allocations, {
        savepoint: true,
      });
      if (!refused) {
        entry.matchState = BankEntryMatchState.MATCHED;
        entry.reason = outcome.allocations.map((a) => a.rule).join('; ');
        entry.suggestions = [];
        result.matchedEntries++;
        continue;
      }
      entry.reason = `Matched (${outcome.allocations.map((a) => a.rule).join('; ')}), but the payment was refused: ${refused}`;
      entry.suggestions = outcome.allocations.map((a) => ({
        invoiceId: a.invoiceId,
        amount: a.amount,
        reason: a.rule,
      }));
    } else {
      entry.reason = outcome.reason;
      entry.suggestions = outcome.suggestions;
    }
    result.queuedEntries++;
  }
  await em.flush();
  return result;
}

function balanceWarning(s: CamtStatement, total: Decimal): string | null {
  if (s.openingBalance == null || s.closingBalance == null) return null;
  const expected = new Decimal(s.openingBalance).plus(total);
  if (expected.eq(s.closingBalance)) return null;
  return `Opening balance ${s.openingBalance} + entries ${formatMoney(total)} = ${formatMoney(expected)}, but the closing balance is ${s.closingBalance}: booked entries may be missing from the file`;
}
