/**
 * `LEDGERLINK_DEMO_ACCOUNTSIQ=on`: starts the local accountsIQ service in this process, seeds a
 * company from Borealis AB's built-in master data (accounts, tax codes, cost units, suppliers,
 * periods) and connects Borealis AB to it, so transfers of the demo land in "accountsIQ".
 * The service keeps its documents in memory: after a restart the drift check shows the earlier
 * transfers as missing there, which is what it is for.
 */
import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import {
  startLocalAccountsIq,
  type LocalAccountsIq,
  type LocalCompanySeed,
} from '../../accounting/accountsiq/index.js';
import { Organization } from '../organizations/organization.entity.js';
import { AccountingConnection } from './accounting-connection.entity.js';
import { AccountingSystemKind, ConnectionStatus } from './accounting-connection.enums.js';
import type { ConnectedAccounting } from './connected-accounting.js';
import { maskSecret } from './secret-box.js';

export const DEMO_ORGANIZATION = 'borealis';
export const DEMO_ENTITY = 'BOREALIS';
const DEMO_CLIENT = 'ledgerlink-demo';

/** A company with the organization's built-in master data and periods. */
async function companyFrom(
  connections: ConnectedAccounting,
  org: Organization,
  clientSecret: string,
): Promise<LocalCompanySeed> {
  const ledger = connections.builtin;
  const md = await ledger.getMasterData(org.id);
  const settings = await ledger.getSettings(org.id);
  const periods = await ledger.listPeriods(org.id);
  const control: Record<string, string> = {
    [settings.accountsPayableAccount]: 'CREDITORS_CONTROL',
    [settings.vatReceivableAccount]: 'VAT',
    [settings.vatPayableAccount]: 'VAT',
    [settings.bankAccount]: 'BANK',
  };
  return {
    entity: DEMO_ENTITY,
    clientId: DEMO_CLIENT,
    clientSecret,
    companyName: `${org.name} (local accountsIQ)`,
    currencies: [org.currency],
    glAccounts: md.accounts.map((a) => ({
      code: a.code,
      name: a.name,
      type: control[a.code] ?? a.type,
      postable: a.postable,
      active: a.active,
    })),
    taxCodes: md.vatCodes.map((v) => ({
      code: v.code,
      description: v.name,
      rate: v.rate,
      reverseCharge: v.reverseCharge,
    })),
    departments: md.costUnits.map((c) => ({ code: c.code, name: c.name, active: c.active })),
    suppliers: md.supplierAccounts.map((s) => ({
      code: s.accountName,
      name: s.name,
      active: s.active,
    })),
    periods: periods.map((p) => ({
      name: p.name,
      start: p.startDate,
      end: p.endDate,
      open: p.status === 'OPEN',
    })),
  };
}

export async function startDemoAccountsIq(
  orm: MikroORM,
  connections: ConnectedAccounting,
  log: Logger,
): Promise<LocalAccountsIq | null> {
  const em = orm.em.fork();
  const org = await em.findOne(Organization, { slug: DEMO_ORGANIZATION });
  if (!org) {
    log.warn('LEDGERLINK_DEMO_ACCOUNTSIQ: no borealis organization (demo data not seeded)');
    return null;
  }
  const existing = await em.findOne(AccountingConnection, { organization: org.id });
  if (existing && existing.entity !== DEMO_ENTITY) {
    log.warn('LEDGERLINK_DEMO_ACCOUNTSIQ: borealis is connected elsewhere; left alone');
    return null;
  }
  // A fresh secret per start: the service is new, and nothing outside this process knows it.
  const secret = randomBytes(18).toString('base64url');
  const aiq = await startLocalAccountsIq();
  aiq.addCompany(await companyFrom(connections, org, secret));
  const sealed = connections.secrets.seal(secret);
  const values = {
    system: AccountingSystemKind.ACCOUNTSIQ,
    endpoint: aiq.url,
    entity: DEMO_ENTITY,
    clientId: DEMO_CLIENT,
    secretCiphertext: sealed.ciphertext,
    secretKeyId: sealed.keyId,
    secretHint: maskSecret(secret),
    status: ConnectionStatus.UNTESTED,
  };
  if (existing) Object.assign(existing, values);
  else em.create(AccountingConnection, { organization: org, ...values });
  await em.flush();
  connections.invalidate(org.id);
  await connections.refreshMasterData(org.id);
  log.info({ endpoint: aiq.url }, 'demo: local accountsIQ started; Borealis AB is connected to it');
  return aiq;
}
