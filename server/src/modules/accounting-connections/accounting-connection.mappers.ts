import { toGlobalId } from '../../common/ids.js';
import type {
  AccountingConnection,
  AccountingDriftReport,
} from './accounting-connection.entity.js';
import { AccountingSystemKind, SYSTEM_NAMES } from './accounting-connection.enums.js';
import type {
  AccountingConnectionType,
  AccountingDriftReportType,
} from './accounting-connection.types.js';

/** The organization's connection as the API shows it; no row is the built-in ledger. */
export function connectionNode(
  organizationId: string,
  c: AccountingConnection | null,
): AccountingConnectionType {
  const system = c?.system ?? AccountingSystemKind.BUILTIN;
  return {
    id: toGlobalId('AccountingConnection', organizationId),
    system,
    systemName: SYSTEM_NAMES[system],
    connected: !!c,
    endpoint: c?.endpoint ?? null,
    entity: c?.entity ?? null,
    clientId: c?.clientId ?? null,
    secretHint: c?.secretHint ?? null,
    status: c?.status ?? null,
    lastTestedAt: c?.lastTestedAt ?? null,
    lastTestCode: c?.lastTestCode ?? null,
    lastTestMessage: c?.lastTestMessage ?? null,
    companyName: c?.companyName ?? null,
    masterDataRefreshedAt: c?.masterDataRefreshedAt ?? null,
    version: c?.version ?? null,
  };
}

export function driftReportNode(r: AccountingDriftReport): AccountingDriftReportType {
  return {
    id: toGlobalId('AccountingDriftReport', r.id),
    createdAt: r.createdAt,
    system: r.system,
    checked: r.checked,
    items: r.items.map((i) => ({
      ...i,
      transferId: i.transferId ? toGlobalId('Transfer', i.transferId) : null,
    })),
  };
}
