/**
 * Accounting connections (admin): connect an organization to an external accounting system,
 * change or test its credentials, disconnect it (back to the built-in ledger), refresh its
 * master data and run the drift check. The secret is sealed before it reaches an entity and
 * appears in no answer, audit row, log line or error message.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Permission } from '../../auth/permissions.js';
import { DomainError, UserErrorCode } from '../../common/errors.js';
import type { ServiceContext } from '../../common/service-context.js';
import { authorizeOrganizationInput } from '../../common/validation.js';
import { actorOf, recordAudit } from '../audit/audit.service.js';
import { Organization } from '../organizations/organization.entity.js';
import { LIVE_TRANSFER_STATUSES } from '../transfers/transfer.enums.js';
import { AccountingConnection, AccountingDriftReport } from './accounting-connection.entity.js';
import { AccountingSystemKind, ConnectionStatus } from './accounting-connection.enums.js';
import type {
  AccountingConnectionOrganizationInput,
  ConnectAccountingInput,
  UpdateAccountingConnectionInput,
} from './accounting-connection.inputs.js';
import type { ConnectedAccounting } from './connected-accounting.js';
import { runDriftCheck } from './drift-check.js';
import type { ConnectionTestResult, ExternalConnectionConfig } from './external-adapter.js';
import { maskSecret } from './secret-box.js';

export function requireConnections(connections: ConnectedAccounting | undefined) {
  if (!connections) throw new Error('accounting connections are not available in this process');
  return connections;
}

export function findConnection(em: EntityManager, organizationId: string) {
  return em.findOne(AccountingConnection, { organization: organizationId });
}

async function requireConnection(em: EntityManager, organizationId: string) {
  const connection = await findConnection(em, organizationId);
  if (!connection)
    throw new DomainError(
      UserErrorCode.NOT_CONNECTED,
      'The organization transfers into the built-in ledger: connect an accounting system first',
      ['organizationId'],
    );
  return connection;
}

/** Switching where documents go while some are on their way could book one in both systems. */
async function refuseWhileTransfersLive(em: EntityManager, organizationId: string) {
  const [row] = await em.execute<{ n: string }[]>(
    `select count(*) as n from transfer where organization_id = ? and status in (${LIVE_TRANSFER_STATUSES.map(() => '?').join(', ')})`,
    [organizationId, ...LIVE_TRANSFER_STATUSES],
  );
  const live = Number(row?.n ?? 0);
  if (live > 0)
    throw new DomainError(
      UserErrorCode.TRANSFERS_IN_PROGRESS,
      `${live} transfer(s) are queued, sending or in doubt: wait until they settle, then change the accounting system`,
    );
}

function required(value: string | null | undefined, field: string, problems: string[][]): string {
  const text = (value ?? '').trim();
  if (!text) problems.push([field]);
  return text;
}

function checkEndpoint(endpoint: string, problems: string[][]) {
  try {
    const url = new URL(endpoint);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') problems.push(['endpoint']);
  } catch {
    problems.push(['endpoint']);
  }
}

function invalid(problems: string[][]): never {
  throw new DomainError(
    problems.map((field) => ({
      code: UserErrorCode.VALIDATION,
      message:
        field[0] === 'endpoint' ? 'endpoint must be an http(s) URL' : `${field[0]} is required`,
      field,
    })),
  );
}

/** What an audit row may say of a connection: never the secret, only its hint. */
function auditDetails(c: AccountingConnection) {
  return {
    system: c.system,
    endpoint: c.endpoint,
    entity: c.entity,
    clientId: c.clientId,
    secretHint: c.secretHint,
  };
}

function audit(
  em: EntityManager,
  sctx: ServiceContext,
  organizationId: string,
  action: string,
  connection: AccountingConnection,
  extra: Record<string, unknown> = {},
) {
  recordAudit(em, {
    organizationId,
    action,
    actor: actorOf(sctx.caller),
    entityType: 'AccountingConnection',
    entityId: connection.id,
    details: { ...auditDetails(connection), ...extra },
    requestId: sctx.requestId,
  });
}

export async function connectAccounting(
  em: EntityManager,
  sctx: ServiceContext,
  connections: ConnectedAccounting,
  input: ConnectAccountingInput,
): Promise<AccountingConnection> {
  const organizationId = authorizeOrganizationInput(
    sctx.caller,
    input.organizationId,
    Permission.ADMIN,
  );
  const problems: string[][] = [];
  if (input.system === AccountingSystemKind.BUILTIN || !connections.drivers[input.system])
    throw new DomainError(
      UserErrorCode.VALIDATION,
      `${input.system} cannot be connected: choose an external accounting system (disconnect returns to the built-in ledger)`,
      ['system'],
    );
  const endpoint = required(input.endpoint, 'endpoint', problems);
  if (endpoint) checkEndpoint(endpoint, problems);
  const entity = required(input.entity, 'entity', problems);
  const clientId = required(input.clientId, 'clientId', problems);
  const secret = required(input.clientSecret, 'clientSecret', problems);
  if (problems.length) invalid(problems);
  if (await findConnection(em, organizationId))
    throw new DomainError(
      UserErrorCode.ALREADY_CONNECTED,
      'The organization is already connected: update or disconnect the connection',
      ['organizationId'],
    );
  await refuseWhileTransfersLive(em, organizationId);
  const sealed = connections.secrets.seal(secret);
  const connection = em.create(AccountingConnection, {
    organization: em.getReference(Organization, organizationId),
    system: input.system,
    endpoint,
    entity,
    clientId,
    secretCiphertext: sealed.ciphertext,
    secretKeyId: sealed.keyId,
    secretHint: maskSecret(secret),
  });
  await em.flush();
  audit(em, sctx, organizationId, 'accounting.connected', connection);
  await em.flush();
  connections.invalidate(organizationId);
  return connection;
}

export async function updateAccountingConnection(
  em: EntityManager,
  sctx: ServiceContext,
  connections: ConnectedAccounting,
  input: UpdateAccountingConnectionInput,
): Promise<AccountingConnection> {
  const organizationId = authorizeOrganizationInput(
    sctx.caller,
    input.organizationId,
    Permission.ADMIN,
  );
  const connection = await requireConnection(em, organizationId);
  if (connection.version !== input.version)
    throw new DomainError(
      UserErrorCode.STALE_VERSION,
      'The connection was changed meanwhile: reload it and try again',
      ['version'],
    );
  const problems: string[][] = [];
  const next = {
    endpoint:
      input.endpoint == null ? connection.endpoint : required(input.endpoint, 'endpoint', problems),
    entity: input.entity == null ? connection.entity : required(input.entity, 'entity', problems),
    clientId:
      input.clientId == null ? connection.clientId : required(input.clientId, 'clientId', problems),
  };
  if (input.endpoint != null && next.endpoint) checkEndpoint(next.endpoint, problems);
  const secret =
    input.clientSecret == null ? null : required(input.clientSecret, 'clientSecret', problems);
  if (problems.length) invalid(problems);
  // Another endpoint or company is another accounting system for the documents on their way.
  if (next.endpoint !== connection.endpoint || next.entity !== connection.entity)
    await refuseWhileTransfersLive(em, organizationId);
  const changed = Object.entries(next)
    .filter(([k, v]) => connection[k as keyof typeof next] !== v)
    .map(([k]) => k);
  if (secret) changed.push('clientSecret');
  Object.assign(connection, next);
  if (secret) {
    const sealed = connections.secrets.seal(secret);
    connection.secretCiphertext = sealed.ciphertext;
    connection.secretKeyId = sealed.keyId;
    connection.secretHint = maskSecret(secret);
  }
  if (changed.length) {
    connection.status = ConnectionStatus.UNTESTED;
    connection.lastTestCode = null;
    connection.lastTestMessage = null;
  }
  await em.flush();
  audit(em, sctx, organizationId, 'accounting.connection_updated', connection, { changed });
  await em.flush();
  connections.invalidate(organizationId);
  return connection;
}

export async function disconnectAccounting(
  em: EntityManager,
  sctx: ServiceContext,
  connections: ConnectedAccounting,
  input: AccountingConnectionOrganizationInput,
): Promise<void> {
  const organizationId = authorizeOrganizationInput(
    sctx.caller,
    input.organizationId,
    Permission.ADMIN,
  );
  const connection = await requireConnection(em, organizationId);
  await refuseWhileTransfersLive(em, organizationId);
  audit(em, sctx, organizationId, 'accounting.disconnected', connection);
  em.remove(connection);
  await em.flush();
  connections.invalidate(organizationId);
}

/** The adapter's words, with the secret (should it ever echo it) masked. */
function scrub(message: string, secret: string): string {
  return secret ? message.split(secret).join(maskSecret(secret)) : message;
}

export interface ConnectionTestOutcome {
  connection: AccountingConnection;
  result: ConnectionTestResult;
}

/** Signs in with the stored credentials and reads the company; the outcome is recorded either way. */
export async function testAccountingConnection(
  em: EntityManager,
  sctx: ServiceContext,
  connections: ConnectedAccounting,
  input: AccountingConnectionOrganizationInput,
): Promise<ConnectionTestOutcome> {
  const organizationId = authorizeOrganizationInput(
    sctx.caller,
    input.organizationId,
    Permission.ADMIN,
  );
  const connection = await requireConnection(em, organizationId);
  const driver = connections.drivers[connection.system as Exclude<AccountingSystemKind, 'BUILTIN'>];
  if (!driver)
    throw new Error(`no adapter for accounting system ${connection.system} in this build`);
  const secret = connections.secrets.open({
    keyId: connection.secretKeyId,
    ciphertext: connection.secretCiphertext,
  });
  const config: ExternalConnectionConfig = {
    endpoint: connection.endpoint,
    entity: connection.entity,
    clientId: connection.clientId,
    clientSecret: secret,
  };
  const adapter = driver.create(config);
  let result: ConnectionTestResult;
  try {
    result = await adapter.testConnection();
  } catch (err) {
    result = { ok: false, code: 'UNREACHABLE', message: (err as Error).message ?? String(err) };
  } finally {
    await adapter.close().catch(() => {});
  }
  if (!result.ok) result = { ...result, message: scrub(result.message, secret) };
  // A test is not a change of the connection: its version (and every adapter cache) stay, so
  // this is plain SQL (MikroORM bumps the version of any update it makes).
  await em.execute(
    `update accounting_connection
        set last_tested_at = now(), status = ?, last_test_code = ?, last_test_message = ?,
            company_name = coalesce(?, company_name)
      where id = ?`,
    [
      result.ok ? ConnectionStatus.CONNECTED : ConnectionStatus.FAILED,
      result.ok ? null : result.code,
      result.ok ? null : result.message,
      result.ok ? result.companyName : null,
      connection.id,
    ],
  );
  await em.refresh(connection);
  return { connection, result };
}

function unavailable(err: unknown, secret = ''): never {
  if (err instanceof DomainError) throw err;
  throw new DomainError(
    UserErrorCode.ACCOUNTING_UNAVAILABLE,
    `The accounting system did not answer: ${scrub((err as Error)?.message ?? String(err), secret)}`,
  );
}

/** Fetches the connected system's master data into the organization's cache now. */
export async function refreshMasterData(
  em: EntityManager,
  sctx: ServiceContext,
  connections: ConnectedAccounting,
  input: AccountingConnectionOrganizationInput,
): Promise<AccountingConnection> {
  const organizationId = authorizeOrganizationInput(
    sctx.caller,
    input.organizationId,
    Permission.ADMIN,
  );
  const connection = await requireConnection(em, organizationId);
  await connections.refreshMasterData(organizationId).catch((err) => unavailable(err));
  await em.refresh(connection);
  return connection;
}

export async function runDriftCheckNow(
  em: EntityManager,
  sctx: ServiceContext,
  connections: ConnectedAccounting,
  input: AccountingConnectionOrganizationInput,
): Promise<AccountingDriftReport> {
  const organizationId = authorizeOrganizationInput(
    sctx.caller,
    input.organizationId,
    Permission.ADMIN,
  );
  const connection = await requireConnection(em, organizationId);
  return driftCheckOf(em, connections, organizationId, connection).catch((err) => unavailable(err));
}

export async function driftCheckOf(
  em: EntityManager,
  connections: ConnectedAccounting,
  organizationId: string,
  connection: AccountingConnection,
): Promise<AccountingDriftReport> {
  const { system, adapter } = await connections.systemOf(organizationId);
  const driver = connections.drivers[connection.system as Exclude<AccountingSystemKind, 'BUILTIN'>];
  if (!adapter || !driver) throw new Error('the organization has no external accounting system');
  return runDriftCheck(em, organizationId, connection.createdAt, system, adapter, (id) =>
    driver.externalReferenceOf(id),
  );
}

export function latestDriftReport(em: EntityManager, organizationId: string) {
  return em.findOne(
    AccountingDriftReport,
    { organization: organizationId },
    { orderBy: { createdAt: 'desc', id: 'desc' } },
  );
}
