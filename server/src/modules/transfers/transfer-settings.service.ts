import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { Organization } from '../organizations/organization.entity.js';
import { TransferSettings } from './transfer.entity.js';

/** The organization's settings; defaults (all automatic transfer off) when none were saved. */
export async function loadTransferSettings(
  em: EntityManager,
  organizationId: string,
): Promise<TransferSettings> {
  const found = await em.findOne(TransferSettings, { organization: organizationId });
  if (found) return found;
  const defaults = new TransferSettings();
  defaults.organization = em.getReference(Organization, organizationId);
  return defaults;
}

/** For updates: the settings row, created with defaults if missing, locked for this transaction. */
export async function lockTransferSettings(
  em: EntityManager,
  organizationId: string,
): Promise<TransferSettings> {
  await em
    .getConnection()
    .execute(
      `insert into transfer_settings (organization_id) values (?) on conflict do nothing`,
      [organizationId],
      'all',
      em.getTransactionContext(),
    );
  return em.findOneOrFail(
    TransferSettings,
    { organization: organizationId },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
}
