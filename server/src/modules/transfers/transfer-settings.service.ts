import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { Permission } from '../../auth/permissions.js';
import type { ServiceContext } from '../../common/service-context.js';
import { authorizeOrganizationInput } from '../../common/validation.js';
import { actorOf, recordAudit } from '../audit/audit.service.js';
import { Organization } from '../organizations/organization.entity.js';
import { TransferSettings } from './transfer.entity.js';
import type { UpdateTransferSettingsInput } from './transfer.inputs.js';

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

/** Changes the organization's transfer settings (admin); the fields left null stay as they are. */
export async function updateTransferSettings(
  em: EntityManager,
  sctx: Pick<ServiceContext, 'caller' | 'requestId'>,
  input: UpdateTransferSettingsInput,
): Promise<TransferSettings> {
  const organizationId = authorizeOrganizationInput(
    sctx.caller,
    input.organizationId,
    Permission.ADMIN,
  );
  const settings = await lockTransferSettings(em, organizationId);
  const before = {
    autoTransferInvoices: settings.autoTransferInvoices,
    autoTransferPayments: settings.autoTransferPayments,
    exportMode: settings.exportMode,
    closedPeriodPolicy: settings.closedPeriodPolicy,
  };
  if (input.autoTransferInvoices != null)
    settings.autoTransferInvoices = input.autoTransferInvoices;
  if (input.autoTransferPayments != null)
    settings.autoTransferPayments = input.autoTransferPayments;
  if (input.exportMode != null) settings.exportMode = input.exportMode;
  if (input.closedPeriodPolicy != null) settings.closedPeriodPolicy = input.closedPeriodPolicy;
  recordAudit(em, {
    organizationId,
    action: 'settings.transfer_updated',
    actor: actorOf(sctx.caller),
    entityType: 'Organization',
    entityId: organizationId,
    details: {
      before,
      after: {
        ...before,
        ...Object.fromEntries(
          Object.entries(input).filter(([k, v]) => v != null && k !== 'organizationId'),
        ),
      },
    },
    requestId: sctx.requestId,
  });
  await em.flush();
  return settings;
}
