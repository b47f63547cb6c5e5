/**
 * Fuzzed input for every mutation of the built schema (a new mutation is fuzzed without a line
 * here): at least 1,000 generated inputs each — wrong types, huge strings, unicode, negative and
 * huge amounts, bad dates, foreign, missing and wrong-type ids, mixed with plausible values so
 * the checks behind the first one run too. Every answer must be a userError or a GraphQL
 * validation error, never a 500; a refused call must leave the database as it was (a hash of
 * every table), and every mutation call that ran leaves exactly one `api.mutation` audit event.
 *
 * Inputs travel over real HTTP. Type-valid ones go 20 to a request as aliased fields (each runs
 * in its own transaction) with the database hashed before and after; when a request holds an
 * accepted call, its refused ones are sent again one by one, each hashed on its own. Type-invalid
 * ones (rejected before anything runs) go one per request, several at a time.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  getNamedType,
  getNullableType,
  getVariableValues,
  isLeafType,
  isNonNullType,
  isObjectType,
  parse,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_LIMITS } from '../modules/rate-limits/api-limits.js';
import { InvoiceStatus } from '../modules/invoices/invoice.entity.js';
import { createSchema } from '../schema.js';
import {
  createInvoice,
  createTenant,
  gid,
  TEST_PASSWORD,
  type Tenant,
} from '../testing/factories.js';
import { startTestServer, type GqlClient, type TestServer } from '../testing/server.js';

import {
  camt,
  corrupt,
  FUZZ_BANK_IBAN,
  fuzzEntry,
  valueFor,
  wrongType,
  type Pools,
} from './mutation-fuzz.inputs.js';

export const INPUTS_PER_MUTATION = Number(process.env.FUZZ_INPUTS ?? 1_000);
/** Calls per request (the alias limit), and inputs per property run (requests sent side by side). */
const BATCH = DOCUMENT_LIMITS.maxAliases;
const ROUND = BATCH * 5;
const SEED = Number(process.env.FUZZ_SEED ?? 20261121);

// ---- the database hash ------------------------------------------------------------------------

async function hashQuery(srv: TestServer): Promise<string> {
  const tables = await srv.db.sql<{ s: string; t: string }>(
    `select table_schema as s, table_name as t from information_schema.tables
     where table_schema in ('public', 'ledger', 'graphile_worker') and table_type = 'BASE TABLE' order by 1, 2`,
  );
  const source = (s: string, t: string) => {
    const q = `"${s}"."${t}"`;
    if (s === 'public' && t === 'rate_limit_bucket') return null; // throttling state, not data
    if (s === 'public' && t === 'mikro_orm_migrations') return null;
    if (s === 'public' && t === 'audit_event')
      return `(select * from ${q} where action <> 'api.mutation')`;
    // Refreshed at most once a minute by any authenticated call.
    if (s === 'public' && t === 'api_client')
      return `(select id, organization_id, name, token_hash, token_prefix, scopes, created_by_id, revoked_at from ${q})`;
    return q;
  };
  return (
    tables
      // Schema-qualified: two schemas may hold a table of the same name.
      .map(({ s, t }) => [`${s}.${t}`, source(s, t)] as const)
      .filter(([, src]) => src)
      .map(
        ([t, src]) =>
          `select '${t}' as t, count(*)::int as n, coalesce(sum(hashtext(x::text)::bigint), 0)::text as h from ${src} x`,
      )
      .join(' union all ')
      // A union's row order is the plan's: with enough tables PostgreSQL may run it in parallel.
      .replace(/^/, 'select * from (')
      .concat(') hashes order by t')
  );
}

// ---- the fuzzer -------------------------------------------------------------------------------

/** Fuzzes the mutations whose index in the schema is `part` modulo `parts` (files run in parallel). */
export function fuzzMutations(part: number, parts: number): void {
  describe(`mutation fuzzing (part ${part + 1} of ${parts})`, () => {
    let srv: TestServer;
    let A: Tenant;
    let B: Tenant;
    let admin: GqlClient;
    let schema: GraphQLSchema;
    let hashSql: string;
    const pools: Pools = {};
    const report: Record<
      string,
      { inputs: number; typeInvalid: number; refused: number; accepted: number; rechecked: number }
    > = {};

    const dbHash = async () => JSON.stringify(await srv.db.sql(hashSql));
    /** The hash of every table, and the number of api.mutation audit events (left out of the hash). */
    const snapshot = async () => {
      const [hash, [{ n }]] = await Promise.all([
        dbHash(),
        srv.db.sql<{ n: number }>(
          `select count(*)::int as n from audit_event where action = 'api.mutation'`,
        ),
      ]);
      return { hash, calls: n };
    };
    /** The tables whose hash differs between two dbHash() results. */
    const changedTables = (a: string, b: string) => {
      const before = new Map(
        (JSON.parse(a) as { t: string; h: string; n: number }[]).map((r) => [r.t, `${r.n}:${r.h}`]),
      );
      return (JSON.parse(b) as { t: string; h: string; n: number }[])
        .filter((r) => before.get(r.t) !== `${r.n}:${r.h}`)
        .map((r) => r.t);
    };

    beforeAll(async () => {
      srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
      schema = await createSchema();
      A = await createTenant(srv.db.orm, 'fza');
      B = await createTenant(srv.db.orm, 'fzb');
      admin = await srv.login('admin@fza.test', TEST_PASSWORD);
      const add = (type: string, side: 'own' | 'foreign', id: string) => {
        pools[type] ??= { own: [], foreign: [] };
        pools[type][side].push(id);
      };
      for (const [tenant, side] of [
        [A, 'own'],
        [B, 'foreign'],
      ] as const) {
        const em = srv.db.orm.em.fork();
        add('Organization', side, tenant.orgId);
        for (const s of tenant.suppliers) add('Supplier', side, gid('Supplier', s.id));
        add('ApprovalProcess', side, gid('ApprovalProcess', tenant.process.id));
        for (const s of tenant.stages) add('ApprovalStage', side, gid('ApprovalStage', s.id));
        for (const u of Object.values(tenant.users)) add('User', side, gid('User', u.id));
        const specs: Parameters<typeof createInvoice>[2][] = [
          { status: InvoiceStatus.DRAFT, posted: false },
          {
            status: InvoiceStatus.DRAFT,
            posted: false,
            lines: [{ netAmount: '60.00' }, { netAmount: '40.00', accountCode: '6800' }],
          },
          { status: InvoiceStatus.DRAFT, posted: true },
          { status: InvoiceStatus.IN_CIRCULATION, stage: tenant.stages[0] },
          { status: InvoiceStatus.IN_CIRCULATION, stage: tenant.stages[2] },
          { status: InvoiceStatus.APPROVED },
          { status: InvoiceStatus.APPROVED, ledgerVersion: 1 },
          { status: InvoiceStatus.REJECTED },
        ];
        for (const spec of specs) {
          const inv = await createInvoice(em, tenant, spec);
          add('PurchaseInvoice', side, gid('PurchaseInvoice', inv.id));
        }
        const periods = await srv.db.sql<{ id: string }>(
          `select id from ledger.period where organization_id = $1 order by start_date limit 30`,
          [tenant.org.id],
        );
        for (const p of periods) add('AccountingPeriod', side, gid('AccountingPeriod', p.id));
        const clients = await srv.db.sql<{ id: string }>(
          `select id from api_client where organization_id = $1`,
          [tenant.org.id],
        );
        for (const c of clients) add('ApiClient', side, gid('ApiClient', c.id));
      }
      // A bank account per tenant, and queued bank entries to confirm, assign or ignore.
      for (const [tenant, side] of [
        [A, 'own'],
        [B, 'foreign'],
      ] as const) {
        await srv.db.sql(
          `insert into bank_account (id, organization_id, identifier, currency, name) values ($1, $2, $3, 'EUR', 'Main')`,
          [randomUUID(), tenant.org.id, FUZZ_BANK_IBAN],
        );
        const c = side === 'own' ? admin : await srv.login('admin@fzb.test', TEST_PASSWORD);
        const r = await c(
          `mutation($i: ImportBankStatementInput!) { importBankStatement(input: $i) { statements { statement { entries(first: 10) { nodes { id } } } } userErrors { code } } }`,
          {
            i: {
              organizationId: tenant.orgId,
              document: camt(
                `FZ-SETUP-${side}`,
                fuzzEntry(`FZ-S1-${side}`, '10.00') + fuzzEntry(`FZ-S2-${side}`, '33.33'),
              ),
              idempotencyKey: randomUUID(),
            },
          },
        );
        expect(r.data!.importBankStatement.userErrors).toEqual([]);
        for (const e of r.data!.importBankStatement.statements[0].statement.entries.nodes)
          add('BankStatementEntry', side, e.id);
      }
      // A payment per tenant, recorded over the API.
      for (const [tenant, side] of [
        [A, 'own'],
        [B, 'foreign'],
      ] as const) {
        const c = side === 'own' ? admin : await srv.login('admin@fzb.test', TEST_PASSWORD);
        const inv = await createInvoice(srv.db.orm.em.fork(), tenant, {
          status: InvoiceStatus.APPROVED,
        });
        const r = await c(
          `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { payment { id } userErrors { code } } }`,
          {
            i: {
              invoiceId: gid('PurchaseInvoice', inv.id),
              amount: '10.00',
              paymentDate: new Date().toISOString().slice(0, 10),
              source: 'MANUAL',
              idempotencyKey: randomUUID(),
            },
          },
        );
        add('Payment', side, r.data!.recordPayment.payment.id);
        add('PurchaseInvoice', side, gid('PurchaseInvoice', inv.id));
      }
      hashSql = await hashQuery(srv);
      const t0 = Date.now();
      for (let i = 0; i < 10; i++) await dbHash();
      console.log(`database hash: ${(Date.now() - t0) / 10} ms`);
    }, 120_000);
    afterAll(async () => {
      console.log(
        `fuzzer (seed ${SEED}):\n${Object.entries(report)
          .map(([m, r]) => `  ${m}: ${JSON.stringify(r)}`)
          .join('\n')}`,
      );
      await srv?.stop();
    });

    /** The selection of a payload: its scalars, `__typename` of its objects, userErrors in full. */
    function selectionOf(field: GraphQLField<unknown, unknown>): string {
      const payload = getNamedType(field.type);
      if (!isObjectType(payload)) return '';
      return Object.values(payload.getFields())
        .map((f) => {
          if (f.name === 'userErrors') return 'userErrors { code message field }';
          const named = getNamedType(f.type);
          if (isLeafType(named)) return f.name;
          if (f.name === 'results') return 'results { userErrors { code } }';
          return `${f.name} { __typename }`;
        })
        .join(' ');
    }

    const allMutations = () => Object.keys(schema.getMutationType()!.getFields());
    const mutationNames = () => allMutations().filter((_, i) => i % parts === part);

    it('knows every mutation of the schema', async () => {
      schema ??= await createSchema();
      // Every mutation falls in exactly one part.
      expect(allMutations().length).toBeGreaterThanOrEqual(25);
      expect(mutationNames().length).toBe(Math.ceil((allMutations().length - part) / parts));
    });

    it(
      `every mutation answers ${INPUTS_PER_MUTATION}+ fuzzed inputs with userErrors or validation errors, never a 500, never a partial write`,
      { timeout: 900_000 },
      async () => {
        const started = Date.now();
        const problems: string[] = [];
        for (const name of mutationNames()) {
          const field = schema.getMutationType()!.getFields()[name];
          const arg = field.args.find((a) => a.name === 'input');
          if (!arg) throw new Error(`${name} has no input argument`);
          const inputType = getNullableType(arg.type) as GraphQLInputType;
          const typeName = getNamedType(arg.type).name;
          const required = isNonNullType(arg.type) ? '!' : '';
          const selection = selectionOf(field);
          const single = `mutation($input: ${typeName}${required}) { m: ${name}(input: $input) { ${selection} } }`;
          const varDefs =
            (parse(single).definitions[0] as OperationDefinitionNode).variableDefinitions ?? [];
          // Signing in and out act on the caller's own session: fuzz those anonymously.
          const client = name === 'login' || name === 'logout' ? srv.client() : admin;
          const stats = (report[name] = {
            inputs: 0,
            typeInvalid: 0,
            refused: 0,
            accepted: 0,
            rechecked: 0,
          });

          const inputArb = fc
            .tuple(
              valueFor(inputType, 'input', pools),
              // One input in six gets a value of the wrong type somewhere.
              fc.oneof(
                { weight: 5, arbitrary: fc.constant(null) },
                {
                  weight: 1,
                  arbitrary: fc.tuple(
                    wrongType,
                    fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
                  ),
                },
              ),
            )
            // What travels is JSON: classify and send the value as the server will see it.
            .map(
              ([input, corruption]) =>
                JSON.parse(
                  JSON.stringify(corruption ? corrupt(input, corruption[1], corruption[0]) : input),
                ) as unknown,
            );

          const isAccepted = (payload: Record<string, unknown>) => {
            const results = payload.results as { userErrors: unknown[] }[] | undefined;
            if (results) return results.some((r) => r.userErrors.length === 0);
            if ((payload.userErrors as unknown[]).length === 0) return true;
            return Object.entries(payload).some(
              ([k, v]) => k !== 'userErrors' && v != null && !(Array.isArray(v) && v.length === 0),
            );
          };

          const checkTypeInvalid = async (input: unknown) => {
            const res = await client(single, { input });
            if (res.status >= 500 || res.status !== 400 || res.data !== undefined) {
              problems.push(
                `${name}: type-invalid input answered ${res.status} ${JSON.stringify(res.errors ?? res.data).slice(0, 300)} for ${JSON.stringify(input).slice(0, 300)}`,
              );
              return;
            }
            const codes = new Set(res.errors!.map((e) => e.extensions?.code));
            for (const c of codes) {
              if (c !== 'BAD_USER_INPUT' && c !== 'GRAPHQL_VALIDATION_FAILED')
                problems.push(`${name}: type-invalid input got ${c}`);
            }
          };

          const sendOne = async (input: unknown) => {
            const before = await snapshot();
            const res = await client(single, { input });
            const payload = res.data?.m as Record<string, unknown> | undefined;
            if (res.status >= 500 || res.errors || !payload) {
              problems.push(
                `${name}: answered ${res.status} ${JSON.stringify(res.errors).slice(0, 400)} for ${JSON.stringify(input).slice(0, 300)}`,
              );
              return;
            }
            const after = await snapshot();
            if (!isAccepted(payload) && after.hash !== before.hash) {
              problems.push(
                `${name}: a refused call (${JSON.stringify(payload.userErrors).slice(0, 200)}) changed ${changedTables(before.hash, after.hash).join(', ')}; input ${JSON.stringify(input).slice(0, 300)}`,
              );
            }
            if (after.calls !== before.calls + 1)
              problems.push(`${name}: not exactly one api.mutation audit event for one call`);
          };

          /** One request of aliased calls; null (and a problem) unless it answered with data and no errors. */
          const sendRequest = async (inputs: unknown[]) => {
            const doc = `mutation(${inputs.map((_, i) => `$i${i}: ${typeName}${required}`).join(', ')}) { ${inputs
              .map((_, i) => `m${i}: ${name}(input: $i${i}) { ${selection} }`)
              .join(' ')} }`;
            const res = await client(doc, Object.fromEntries(inputs.map((v, i) => [`i${i}`, v])));
            if (res.status >= 500 || res.errors || !res.data) {
              problems.push(
                `${name}: a request answered ${res.status} ${JSON.stringify(res.errors).slice(0, 500)}`,
              );
              return null;
            }
            return inputs.map((_, i) => isAccepted(res.data![`m${i}`] as Record<string, unknown>));
          };

          /**
           * Sends type-valid inputs, BATCH to a request, the requests side by side, and hashes the
           * database (and counts api.mutation events) once before and once after all of them.
           */
          const sendAll = async (inputs: unknown[]) => {
            const before = await snapshot();
            const chunks: unknown[][] = [];
            for (let i = 0; i < inputs.length; i += BATCH) chunks.push(inputs.slice(i, i + BATCH));
            const answers = await Promise.all(chunks.map(sendRequest));
            const after = await snapshot();
            if (answers.some((a) => a === null)) {
              for (const input of inputs) await sendOne(input); // find the culprit(s)
              return null;
            }
            if (after.calls !== before.calls + inputs.length) {
              problems.push(
                `${name}: ${inputs.length} calls left ${after.calls - before.calls} api.mutation audit events`,
              );
            }
            return {
              accepted: answers.flat() as boolean[],
              before: before.hash,
              after: after.hash,
            };
          };

          await fc.assert(
            fc.asyncProperty(
              fc.array(inputArb, { minLength: ROUND, maxLength: ROUND }),
              async (inputs) => {
                stats.inputs += inputs.length;
                const valid: unknown[] = [];
                const invalid: unknown[] = [];
                for (const input of inputs)
                  (getVariableValues(schema, varDefs, { input }).errors ? invalid : valid).push(
                    input,
                  );
                stats.typeInvalid += invalid.length;
                for (let i = 0; i < invalid.length; i += 20)
                  await Promise.all(invalid.slice(i, i + 20).map(checkTypeInvalid));
                if (!valid.length) return;

                const first = await sendAll(valid);
                if (!first) return;
                stats.accepted += first.accepted.filter(Boolean).length;
                stats.refused += first.accepted.filter((a) => !a).length;
                if (!first.accepted.some(Boolean)) {
                  if (first.after !== first.before) {
                    problems.push(
                      `${name}: refused calls changed ${changedTables(first.before, first.after).join(', ')}: ${JSON.stringify(valid).slice(0, 300)}`,
                    );
                    for (const input of valid) await sendOne(input);
                  }
                  return;
                }
                // Something was accepted (the database changed rightly). Send the refused ones again,
                // hashing around them; repeat while some of them are now accepted; then one by one.
                let refused = valid.filter((_, i) => !first.accepted[i]);
                for (let round = 0; round < 3 && refused.length; round++) {
                  stats.rechecked += refused.length;
                  const again = await sendAll(refused);
                  if (!again) return;
                  if (!again.accepted.some(Boolean)) {
                    if (again.after !== again.before) {
                      problems.push(
                        `${name}: refused calls changed ${changedTables(again.before, again.after).join(', ')} when sent again: ${JSON.stringify(refused).slice(0, 300)}`,
                      );
                      for (const input of refused) await sendOne(input);
                    }
                    return;
                  }
                  refused = refused.filter((_, i) => !again.accepted[i]);
                }
                for (const input of refused) await sendOne(input);
              },
            ),
            { numRuns: Math.ceil(INPUTS_PER_MUTATION / ROUND), seed: SEED, endOnFailure: true },
          );
          expect(stats.inputs).toBeGreaterThanOrEqual(INPUTS_PER_MUTATION);
          if (problems.length > 20) break;
        }
        console.log(
          `fuzzed ${Object.keys(report).length} mutations in ${Math.round((Date.now() - started) / 1000)} s`,
        );
        if (problems.length) console.log(problems.join('\n'));
        expect(problems.slice(0, 30)).toEqual([]);
        expect(Object.keys(report).sort()).toEqual(mutationNames().sort());
      },
    );
  });
}
