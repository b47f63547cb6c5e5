/**
 * One `api.mutation` audit event per mutation field that ran: who (user, API client, or
 * anonymous), in which organization, which operation, its result (OK, REFUSED with the
 * userError codes, PARTIAL, ERROR) and the request id. The domain history events the services
 * write stay as they are; this is the access log beside them.
 *
 * The organization is the one the input names (organizationId, else the first id such as
 * invoiceId) when the caller can see it; for anything else (a foreign or missing id) an API
 * client's own organization, and none for users and anonymous callers: such rows are
 * platform-level and no tenant sees them through the API. The row is written after the
 * mutation's own transaction ended, so refused mutations are recorded too.
 */
import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLRequestContextExecutionDidStart } from '@apollo/server';
import {
  getArgumentValues,
  getVariableValues,
  Kind,
  type FieldNode,
  type GraphQLFormattedError,
  type SelectionSetNode,
} from 'graphql';
import { organizationIdsOf } from '../../auth/access.js';
import { parseGlobalId } from '../../common/ids.js';
import { tenantObjectType } from '../../common/tenant-objects.js';
import type { RequestContext } from '../../context.js';
import { clientAddress } from '../rate-limits/api-limits.plugin.js';
import { ActorType } from './audit-event.entity.js';

export const API_MUTATION_ACTION = 'api.mutation';

export type MutationResult = 'OK' | 'REFUSED' | 'PARTIAL' | 'ERROR';

const signedIn = new WeakMap<RequestContext, string>();

/** The sign-in mutation tells who it signed in, so its audit row names the user, not "anonymous". */
export function noteSignedInUser(ctx: RequestContext, userId: string): void {
  signedIn.set(ctx, userId);
}

interface RootCall {
  responseKey: string;
  operation: string;
  args: Record<string, unknown>;
}

function rootFields(
  set: SelectionSetNode,
  fragments: Map<string, SelectionSetNode>,
  out: FieldNode[] = [],
): FieldNode[] {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value !== '__typename') out.push(sel);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) rootFields(sel.selectionSet, fragments, out);
    else {
      const frag = fragments.get(sel.name.value);
      if (frag) rootFields(frag, fragments, out);
    }
  }
  return out;
}

function rootCalls(rc: GraphQLRequestContextExecutionDidStart<RequestContext>): RootCall[] {
  const { operation, document, schema, request } = rc;
  const mutationType = schema.getMutationType();
  if (operation.operation !== 'mutation' || !mutationType) return [];
  const coerced = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    request.variables ?? {},
  );
  // Variables that do not coerce stop the request before any mutation runs.
  if (coerced.errors) return [];
  const fragments = new Map<string, SelectionSetNode>();
  for (const def of document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def.selectionSet);
  const seen = new Set<string>();
  const calls: RootCall[] = [];
  for (const node of rootFields(operation.selectionSet, fragments)) {
    const responseKey = node.alias?.value ?? node.name.value;
    if (seen.has(responseKey)) continue;
    seen.add(responseKey);
    const def = mutationType.getFields()[node.name.value];
    if (!def) continue;
    let args: Record<string, unknown> = {};
    try {
      args = getArgumentValues(def, node, coerced.coerced);
    } catch {
      args = {};
    }
    calls.push({ responseKey, operation: node.name.value, args });
  }
  return calls;
}

/** Global ids an input names, organizationId first, then `...Id` and `...Ids` fields in order. */
function namedIds(args: Record<string, unknown>): string[] {
  const input = (args.input && typeof args.input === 'object' ? args.input : args) as Record<
    string,
    unknown
  >;
  const ids: string[] = [];
  if (typeof input.organizationId === 'string') ids.push(input.organizationId);
  for (const [key, value] of Object.entries(input)) {
    if (key === 'organizationId') continue;
    if (/Id$/.test(key) && typeof value === 'string') ids.push(value);
    if (/Ids$/.test(key) && Array.isArray(value) && typeof value[0] === 'string')
      ids.push(value[0]);
  }
  return ids;
}

function resultOf(
  payload: unknown,
  errors: readonly GraphQLFormattedError[],
  responseKey: string,
): { result: MutationResult; userErrors: string[]; errors: string[] } {
  const topLevel = errors
    .filter((e) => e.path?.[0] === responseKey)
    .map((e) => String(e.extensions?.code ?? 'ERROR'));
  if (!payload || typeof payload !== 'object')
    return {
      result: 'ERROR',
      userErrors: [],
      errors: topLevel.length ? topLevel : ['NOT_EXECUTED'],
    };
  const p = payload as Record<string, unknown>;
  const userErrors = Array.isArray(p.userErrors)
    ? [...new Set((p.userErrors as { code?: string }[]).map((e) => String(e?.code)))]
    : [];
  if (topLevel.length) return { result: 'ERROR', userErrors, errors: topLevel };
  if (!userErrors.length) return { result: 'OK', userErrors, errors: [] };
  const someData = Object.entries(p).some(
    ([k, v]) => k !== 'userErrors' && v != null && !(Array.isArray(v) && v.length === 0),
  );
  return { result: someData ? 'PARTIAL' : 'REFUSED', userErrors, errors: [] };
}

/**
 * Caller-supplied text made storable: jsonb refuses NUL and lone surrogates, and a row that
 * cannot be written would let a caller keep its calls out of the audit log.
 */
const clip = (s: string, n = 200) => {
  const cut = s.length > n ? `${s.slice(0, n)}…` : s;
  return cut.replace(
    // eslint-disable-next-line no-control-regex -- NUL is exactly what must go
    /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\uFFFD',
  );
};

async function recordCalls(
  ctx: RequestContext,
  calls: RootCall[],
  data: Record<string, unknown> | null | undefined,
  errors: readonly GraphQLFormattedError[],
) {
  const em = ctx.services.orm.em.fork();
  const conn = em.getConnection();
  const caller = ctx.caller;
  const visible = new Set(organizationIdsOf(caller));
  const signedInUser = signedIn.get(ctx);
  const rows: unknown[][] = [];
  for (const call of calls) {
    let organizationId: string | null = null;
    let entity: { type: string; id: string } | null = null;
    let target: string | null = null;
    for (const globalId of namedIds(call.args)) {
      const parsed = parseGlobalId(globalId);
      if (!parsed) {
        target ??= clip(globalId);
        continue;
      }
      target ??= clip(globalId);
      // Tenant objects are registered by their modules (common/tenant-objects.ts).
      const ownerOf = tenantObjectType(parsed.type)?.ownerOf;
      if (!ownerOf) continue;
      const org = await ownerOf(em, parsed.id);
      if (org && visible.has(org)) {
        organizationId = org;
        entity = { type: parsed.type, id: parsed.id };
      }
      break;
    }
    if (!organizationId && caller.kind === 'apiClient') organizationId = caller.organizationId;

    const actor =
      caller.kind === 'user'
        ? { type: ActorType.USER, user: caller.user.id, client: null, system: null }
        : caller.kind === 'apiClient'
          ? { type: ActorType.API_CLIENT, user: null, client: caller.apiClient.id, system: null }
          : signedInUser
            ? { type: ActorType.USER, user: signedInUser, client: null, system: null }
            : { type: ActorType.SYSTEM, user: null, client: null, system: 'anonymous' };
    entity ??= actor.client
      ? { type: 'ApiClient', id: actor.client }
      : actor.user
        ? { type: 'User', id: actor.user }
        : { type: 'Request', id: randomUUID() };

    const outcome = resultOf(data?.[call.responseKey], errors, call.responseKey);
    const details: Record<string, unknown> = {
      operation: call.operation,
      result: outcome.result,
      ip: clientAddress(ctx.req),
    };
    if (outcome.userErrors.length) details.userErrors = outcome.userErrors.slice(0, 20);
    if (outcome.errors.length) details.errors = [...new Set(outcome.errors)].slice(0, 20);
    if (target) details.target = target;
    if (call.operation === 'login') {
      const email = (call.args.input as { email?: unknown } | undefined)?.email;
      if (typeof email === 'string') details.email = clip(email.trim().toLowerCase(), 254);
    }
    rows.push([
      randomUUID(),
      organizationId,
      API_MUTATION_ACTION,
      actor.type,
      actor.user,
      actor.client,
      actor.system,
      entity.type,
      entity.id,
      JSON.stringify(details),
      ctx.requestId,
    ]);
  }
  if (!rows.length) return;
  await conn.execute(
    `insert into audit_event (id, organization_id, at, action, actor_type, actor_user_id, actor_api_client_id, system_name, entity_type, entity_id, details, request_id)
     values ${rows.map(() => '(?, ?, clock_timestamp(), ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)').join(', ')}`,
    rows.flat(),
    'run',
  );
}

export function apiAuditPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      let calls: RootCall[] = [];
      return {
        async executionDidStart(rc) {
          calls = rootCalls(rc);
        },
        async willSendResponse({ response, contextValue: ctx }) {
          if (!calls.length || response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          try {
            await recordCalls(ctx, calls, data, errors ?? []);
          } catch (err) {
            ctx.log.error(
              { err, operations: calls.map((c) => c.operation) },
              'could not write the api.mutation audit events',
            );
          }
        },
      };
    },
  };
}
