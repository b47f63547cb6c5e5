import {
  Kind,
  parse,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSchema } from '../../schema.js';
import { actualCost, requestedCost, type CostInput } from './query-cost.js';

let schema: GraphQLSchema;

function input(query: string, variables?: Record<string, unknown>): CostInput {
  const doc = parse(query);
  const operation = doc.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of doc.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return { schema, operation, fragments, variables };
}

const cost = (query: string, variables?: Record<string, unknown>) =>
  requestedCost(input(query, variables));

describe('query cost model (the examples of docs/partner-api.md)', () => {
  beforeAll(async () => {
    schema = await createSchema();
  });

  it('scalars are free, every object costs 1', () => {
    expect(cost(`{ viewer { user { id email } apiClient { name } organizations { id } } }`)).toBe(
      1 + 1 + 1 + 3 * 1, // viewer, user, apiClient, organizations (a plain list: 3 assumed)
    );
    expect(cost(`{ __typename }`)).toBe(0);
  });

  it('a connection costs 1 plus `first` items; totalCount 1; pageInfo and edges free', () => {
    const q = `query($org: ID!) { invoices(organizationId: $org, tab: ALL, first: 10) { nodes { id supplier { name } } } }`;
    expect(cost(q)).toBe(1 + 10 * (1 + 1));
    expect(
      cost(`query($org: ID!) { invoices(organizationId: $org, tab: ALL, first: 50) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`),
    ).toBe(1 + 1 + 50 * 1);
  });

  it('without first, a connection is priced at the default page of 20', () => {
    expect(
      cost(`query($org: ID!) { invoices(organizationId: $org, tab: ALL) { nodes { id } } }`),
    ).toBe(1 + 20);
  });

  it('first may come from a variable; out-of-range values are priced at most at 100', () => {
    const q = `query($org: ID!, $n: Int) { transfers(organizationId: $org, first: $n) { nodes { id } } }`;
    expect(cost(q, { n: 7 })).toBe(1 + 7);
    expect(cost(q, { n: 100_000 })).toBe(1 + 100);
    expect(cost(q, {})).toBe(1 + 20);
  });

  it('nested connections multiply', () => {
    const q = `query($org: ID!) { invoices(organizationId: $org, tab: ALL, first: 100) {
      nodes { id history(first: 100) { nodes { id } } } } }`;
    expect(cost(q)).toBe(1 + 100 * (1 + 1 + 100));
  });

  it('a mutation costs 10 plus its payload; userErrors and warnings are free', () => {
    const q = `mutation($i: CreatePurchaseInvoiceInput!) { createPurchaseInvoice(input: $i) {
      invoice { id supplier { name } } warnings { code } userErrors { code message field } } }`;
    expect(cost(q)).toBe(10 + 1 + 1);
    expect(
      cost(
        `mutation($i: LoginInput!) { a: login(input: $i) { userErrors { code } } b: login(input: $i) { userErrors { code } } }`,
      ),
    ).toBe(20);
  });

  it('fragments count as the fields they contain', () => {
    const q = `query($id: ID!) { invoice(id: $id) { ...F } } fragment F on PurchaseInvoice { id supplier { id } currentStage { id } }`;
    expect(cost(q)).toBe(1 + 1 + 1);
    const inline = `query($id: ID!) { node(id: $id) { ... on PurchaseInvoice { supplier { id } } ... on Payment { invoice { id } } } }`;
    expect(cost(inline)).toBe(1 + 1 + 1);
  });

  it('plain lists are priced at their estimates, nested ones multiply', () => {
    // The SPA's approval process settings: 5 processes × (1 + 5 stages × (1 + 3 approvers)).
    const q = `query($org: ID!) { approvalProcesses(organizationId: $org) {
      id stages { id approvers { id email } } } }`;
    expect(cost(q)).toBe(5 * (1 + 5 * (1 + 3)));
    // Unknown lists: 5; value objects (TransferError) are free.
    expect(cost(`query($id: ID!) { invoice(id: $id) { transfers { id errors { code } } } }`)).toBe(
      1 + 3 * 1,
    );
  });

  it('introspection is a flat 10', () => {
    expect(
      cost(`{ __schema { types { name fields { name type { name ofType { name } } } } } }`),
    ).toBe(10);
  });

  it('the actual cost counts what came back', () => {
    const q = input(
      `query($org: ID!) { invoices(organizationId: $org, tab: ALL, first: 10) { totalCount nodes { id supplier { name } } } }`,
    );
    expect(requestedCost(q)).toBe(1 + 1 + 10 * 2);
    const data = {
      invoices: {
        totalCount: 3,
        nodes: [
          { id: 'a', supplier: { name: 'x' } },
          { id: 'b', supplier: null },
          { id: 'c', supplier: { name: 'y' } },
        ],
      },
    };
    // connection 1, totalCount 1, three invoices 1 each, three supplier look-ups (one null) 1 each
    expect(actualCost(q, data)).toBe(1 + 1 + 3 + 3);
    expect(actualCost(q, { invoices: null })).toBe(1);
    expect(actualCost(q, null)).toBe(0);
  });

  it('a mutation that ran costs at least 10, one that did not run nothing', () => {
    const q = input(
      `mutation($i: PostInvoiceInput!) { postInvoice(input: $i) { invoice { id } userErrors { code } } }`,
    );
    expect(
      actualCost(q, { postInvoice: { invoice: null, userErrors: [{ code: 'NOT_FOUND' }] } }),
    ).toBe(10 + 1);
    expect(actualCost(q, { postInvoice: { invoice: { id: 'x' }, userErrors: [] } })).toBe(10 + 1);
    expect(actualCost(q, null)).toBe(0);
  });
});
