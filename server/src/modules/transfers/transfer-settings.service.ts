import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { Organization } from '../organizations/organization.entity.js';
import { TransferSettings } from './transfer.entity.js';

/** An organization's settings when it saved none: the entity's defaults (all automatic transfer off). */
function defaultTransferSettings(em: EntityManager, organizationId: string): TransferSettings {
  const defaults = new TransferSettings();
  defaults.organization = em.getReference(Organization, organizationId);
  return defaults;
}

/** The organization's settings; defaults (all automatic transfer off) when none were saved. */
export async function loadTransferSettings(
  em: EntityManager,
  organizationId: string,
): Promise<TransferSettings> {
  const found = await em.findOne(TransferSettings, { organization: organizationId });
  return found ?? defaultTransferSettings(em, organizationId);
}

/** loadTransferSettings for several organizations in one query, by organization id. */
export async function loadTransferSettingsOf(
  em: EntityManager,
  organizationIds: string[],
): Promise<Map<string, TransferSettings>> {
  const ids = [...new Set(organizationIds)];
  const found = ids.length ? await em.find(TransferSettings, { organization: { $in: ids } }) : [];
  const byOrg = new Map(found.map((s) => [s.organization.id, s]));
  for (const id of ids) if (!byOrg.has(id)) byOrg.set(id, defaultTransferSettings(em, id));
  return byOrg;
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
