import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for every operation under `src/modules/<domain>/graphql/`, generated from
 * the schema the server emits. `src/gql/codegen.test.ts` fails when an operation does not
 * validate or the committed output is stale: run `pnpm --filter @ledgerlink/web codegen`.
 */
const config: CodegenConfig = {
  schema: '../schema/schema.graphql',
  documents: ['src/modules/*/graphql/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      // Components receive plain typed objects; fragments only share selections.
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        skipTypename: false,
        dedupeFragments: true,
        // Only what the operations use: a schema change elsewhere does not churn src/gql.
        onlyOperationTypes: true,
        scalars: {
          Date: 'string',
          DateTime: 'string',
          Decimal: 'string',
          JSONObject: 'Record<string, unknown>',
        },
      },
    },
    // Unions and interfaces for Apollo's cache (fragments on Actor and Node).
    'src/gql/possible-types.ts': {
      plugins: ['fragment-matcher'],
      config: { useExplicitTyping: true },
    },
  },
};

export default config;
