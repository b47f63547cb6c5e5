import type { EntityManager } from '@mikro-orm/postgresql';
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { Permission } from '../../auth/permissions.js';
import { DomainError, UserErrorCode, type UserErrorDetail } from '../../common/errors.js';
import type { ServiceContext } from '../../common/service-context.js';
import { authorizeOrganizationInput } from '../../common/validation.js';
import { BankAccount } from './bank-statement.entity.js';

export interface AddBankAccountData {
  organizationId: string;
  iban: string;
  currency: string;
  name: string;
}

/**
 * Registers an account of the organization, so that its statements can be imported (a statement
 * of an unknown account is refused). ADMIN only: which accounts are the company's is a setting.
 */
export async function addBankAccount(
  em: EntityManager,
  sctx: ServiceContext,
  input: AddBankAccountData,
): Promise<BankAccount> {
  const organizationId = authorizeOrganizationInput(
    sctx.caller,
    input.organizationId,
    Permission.ADMIN,
  );
  const iban = electronicFormatIBAN(input.iban) ?? '';
  const currency = input.currency.trim().toUpperCase();
  const name = input.name.trim();
  const problems: UserErrorDetail[] = [];
  if (!isValidIBAN(iban)) {
    problems.push({
      code: UserErrorCode.VALIDATION,
      message: `"${input.iban.slice(0, 40)}" is not a valid IBAN (its country, length or check digits are wrong).`,
      field: ['iban'],
    });
  }
  if (!/^[A-Z]{3}$/.test(currency)) {
    problems.push({
      code: UserErrorCode.VALIDATION,
      message: 'The currency must be a three-letter ISO 4217 code, e.g. EUR.',
      field: ['currency'],
    });
  }
  if (!name || name.length > 100) {
    problems.push({
      code: UserErrorCode.VALIDATION,
      message: 'The name must be 1 to 100 characters.',
      field: ['name'],
    });
  }
  if (problems.length) throw new DomainError(problems);
  // The organization row serializes concurrent additions of the same account.
  await em
    .getConnection()
    .execute('select 1 from organization where id = ? for update', [organizationId]);
  if (await em.findOne(BankAccount, { organization: organizationId, identifier: iban })) {
    throw new DomainError(
      UserErrorCode.DUPLICATE_BANK_ACCOUNT,
      `The account ${iban} is already registered.`,
      ['iban'],
    );
  }
  const account = em.create(BankAccount, {
    organization: organizationId,
    identifier: iban,
    currency,
    name,
  });
  await em.flush();
  return account;
}
