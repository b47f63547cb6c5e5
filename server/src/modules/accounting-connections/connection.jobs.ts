/**
 * The scheduled work of connections, run by the transfer worker's job machinery (once per
 * schedule across all workers): refresh every connected organization's master data cache, and
 * run the drift check of each. A failure of one organization is logged and the rest go on.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { AccountingConnection } from './accounting-connection.entity.js';
import { driftCheckOf } from './accounting-connection.service.js';
import type { ConnectedAccounting } from './connected-accounting.js';

export const MASTER_DATA_TASK = 'accounting_master_data_refresh';
export const DRIFT_CHECK_TASK = 'accounting_drift_check';
/** Master data every hour (at :41), the drift check nightly (03:23). */
export const CONNECTION_CRONTAB = `41 * * * * ${MASTER_DATA_TASK}\n23 3 * * * ${DRIFT_CHECK_TASK}`;

async function connectedOrganizations(orm: MikroORM): Promise<AccountingConnection[]> {
  return orm.em.fork().find(AccountingConnection, {}, { orderBy: { id: 'asc' } });
}

export async function refreshAllMasterData(
  orm: MikroORM,
  connections: ConnectedAccounting,
  log: Logger,
): Promise<number> {
  let refreshed = 0;
  for (const c of await connectedOrganizations(orm)) {
    const organizationId = c.organization.id;
    try {
      await connections.refreshMasterData(organizationId);
      refreshed++;
    } catch (err) {
      log.warn({ organizationId, err: (err as Error).message }, 'master data refresh failed');
    }
  }
  return refreshed;
}

export async function runAllDriftChecks(
  orm: MikroORM,
  connections: ConnectedAccounting,
  log: Logger,
): Promise<number> {
  let checked = 0;
  for (const c of await connectedOrganizations(orm)) {
    const organizationId = c.organization.id;
    try {
      const report = await driftCheckOf(orm.em.fork(), connections, organizationId, c);
      if (report.items.length)
        log.warn({ organizationId, differences: report.items.length }, 'accounting drift found');
      checked++;
    } catch (err) {
      log.warn({ organizationId, err: (err as Error).message }, 'drift check failed');
    }
  }
  return checked;
}

/** The crontab lines and tasks to add to the worker. */
export function connectionTasks(orm: MikroORM, connections: ConnectedAccounting, log: Logger) {
  return {
    crontab: CONNECTION_CRONTAB,
    taskList: {
      [MASTER_DATA_TASK]: async () => {
        const refreshed = await refreshAllMasterData(orm, connections, log);
        log.info({ refreshed }, 'accounting master data refreshed');
      },
      [DRIFT_CHECK_TASK]: async () => {
        const checked = await runAllDriftChecks(orm, connections, log);
        log.info({ checked }, 'accounting drift checks run');
      },
    },
  };
}
