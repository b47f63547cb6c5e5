import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { readableOrganization } from '../../auth/access.js';
import { Permission } from '../../auth/permissions.js';
import { fromGlobalId } from '../../common/ids.js';
import { runMutation } from '../../common/mutation.js';
import { serviceContext } from '../../common/service-context.js';
import type { RequestContext } from '../../context.js';
import { SYSTEM_NAMES } from './accounting-connection.enums.js';
import {
  AccountingConnectionOrganizationInput,
  ConnectAccountingInput,
  UpdateAccountingConnectionInput,
} from './accounting-connection.inputs.js';
import { connectionNode, driftReportNode } from './accounting-connection.mappers.js';
import {
  ConnectAccountingPayload,
  DisconnectAccountingPayload,
  RefreshMasterDataPayload,
  RunDriftCheckPayload,
  TestAccountingConnectionPayload,
  UpdateAccountingConnectionPayload,
} from './accounting-connection.payloads.js';
import {
  connectAccounting,
  disconnectAccounting,
  findConnection,
  latestDriftReport,
  refreshMasterData,
  requireConnections,
  runDriftCheckNow,
  testAccountingConnection,
  updateAccountingConnection,
} from './accounting-connection.service.js';
import {
  AccountingConnectionType,
  AccountingDriftReportType,
  AccountingSystemInfoType,
} from './accounting-connection.types.js';

const orgOf = (globalId: string) => fromGlobalId(globalId, 'Organization')!;

@Resolver()
export class AccountingConnectionResolver {
  @Query(() => AccountingConnectionType, {
    description: "The organization's accounting connection (admin). The secret is never returned.",
  })
  async accountingConnection(
    @Arg('organizationId', () => ID) organizationId: string,
    @Ctx() ctx: RequestContext,
  ) {
    const org = readableOrganization(ctx.caller, organizationId, Permission.ADMIN);
    return connectionNode(org, await findConnection(ctx.em, org));
  }

  @Query(() => AccountingSystemInfoType, {
    description:
      'Which accounting system the organization transfers into (anyone who can read it).',
  })
  async accountingSystem(
    @Arg('organizationId', () => ID) organizationId: string,
    @Ctx() ctx: RequestContext,
  ) {
    const org = readableOrganization(ctx.caller, organizationId);
    const c = await findConnection(ctx.em, org);
    const node = connectionNode(org, c);
    return { id: node.id, system: node.system, systemName: SYSTEM_NAMES[node.system] };
  }

  @Query(() => AccountingDriftReportType, {
    nullable: true,
    description: 'The newest drift check of the organization (admin); null before the first.',
  })
  async accountingDriftReport(
    @Arg('organizationId', () => ID) organizationId: string,
    @Ctx() ctx: RequestContext,
  ) {
    const org = readableOrganization(ctx.caller, organizationId, Permission.ADMIN);
    const report = await latestDriftReport(ctx.em, org);
    return report && driftReportNode(report);
  }

  @Mutation(() => ConnectAccountingPayload, {
    description: 'Connects the organization to an external accounting system (admin).',
  })
  async connectAccounting(
    @Arg('input', () => ConnectAccountingInput) input: ConnectAccountingInput,
    @Ctx() ctx: RequestContext,
  ) {
    const connections = requireConnections(ctx.services.connections);
    return runMutation(ctx, { connection: null }, async (em) => {
      const c = await connectAccounting(em, serviceContext(ctx), connections, input);
      return { connection: connectionNode(orgOf(input.organizationId), c) };
    });
  }

  @Mutation(() => UpdateAccountingConnectionPayload, {
    description: "Changes the connection's endpoint, company or credentials (admin).",
  })
  async updateAccountingConnection(
    @Arg('input', () => UpdateAccountingConnectionInput) input: UpdateAccountingConnectionInput,
    @Ctx() ctx: RequestContext,
  ) {
    const connections = requireConnections(ctx.services.connections);
    return runMutation(ctx, { connection: null }, async (em) => {
      const c = await updateAccountingConnection(em, serviceContext(ctx), connections, input);
      return { connection: connectionNode(orgOf(input.organizationId), c) };
    });
  }

  @Mutation(() => TestAccountingConnectionPayload, {
    description: 'Signs in with the stored credentials and reads the company (admin).',
  })
  async testAccountingConnection(
    @Arg('input', () => AccountingConnectionOrganizationInput)
    input: AccountingConnectionOrganizationInput,
    @Ctx() ctx: RequestContext,
  ) {
    const connections = requireConnections(ctx.services.connections);
    return runMutation(ctx, { connection: null, result: null }, async (em) => {
      const { connection, result } = await testAccountingConnection(
        em,
        serviceContext(ctx),
        connections,
        input,
      );
      return {
        connection: connectionNode(orgOf(input.organizationId), connection),
        result: result.ok
          ? { code: null, message: null, ...result }
          : { ...result, companyName: null, openPeriods: null },
      };
    });
  }

  @Mutation(() => DisconnectAccountingPayload, {
    description: 'Back to the built-in ledger (admin); refused while transfers are in flight.',
  })
  async disconnectAccounting(
    @Arg('input', () => AccountingConnectionOrganizationInput)
    input: AccountingConnectionOrganizationInput,
    @Ctx() ctx: RequestContext,
  ) {
    const connections = requireConnections(ctx.services.connections);
    return runMutation(ctx, { connection: null }, async (em) => {
      await disconnectAccounting(em, serviceContext(ctx), connections, input);
      return { connection: connectionNode(orgOf(input.organizationId), null) };
    });
  }

  @Mutation(() => RefreshMasterDataPayload, {
    description:
      "Fetches the connected system's accounts, tax codes, cost units and suppliers now (admin).",
  })
  async refreshMasterData(
    @Arg('input', () => AccountingConnectionOrganizationInput)
    input: AccountingConnectionOrganizationInput,
    @Ctx() ctx: RequestContext,
  ) {
    const connections = requireConnections(ctx.services.connections);
    return runMutation(ctx, { connection: null }, async (em) => {
      const c = await refreshMasterData(em, serviceContext(ctx), connections, input);
      return { connection: connectionNode(orgOf(input.organizationId), c) };
    });
  }

  @Mutation(() => RunDriftCheckPayload, {
    description:
      'Compares transferred documents with what the connected system holds (admin). Changes nothing.',
  })
  async runDriftCheck(
    @Arg('input', () => AccountingConnectionOrganizationInput)
    input: AccountingConnectionOrganizationInput,
    @Ctx() ctx: RequestContext,
  ) {
    const connections = requireConnections(ctx.services.connections);
    return runMutation(ctx, { report: null }, async (em) => ({
      report: driftReportNode(await runDriftCheckNow(em, serviceContext(ctx), connections, input)),
    }));
  }
}
