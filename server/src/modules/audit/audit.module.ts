import type { ApiModule } from '../../common/api-module.js';
import { registerTenantEntity } from '../../common/tenant-objects.js';
import { AuditEvent } from './audit-event.entity.js';
import { AuditEventResolver } from './audit.resolver.js';
import './ledger-admin.audit.js';

registerTenantEntity('AuditEvent', AuditEvent);

export const auditModule: ApiModule = { name: 'audit', resolvers: [AuditEventResolver] };
