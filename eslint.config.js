// ESLint 9 flat config. Deliberately not type-aware (no parserOptions.project) so `pnpm lint`
// stays fast; type errors are caught by `pnpm typecheck` (tsc, vue-tsc).
// CommonJS because the root package.json is not "type": "module"; an ESM file here makes
// Node reparse it and print a warning on every run.
const js = require('@eslint/js');
const { defineConfig, globalIgnores } = require('eslint/config');
const prettier = require('eslint-config-prettier/flat');
const pluginVue = require('eslint-plugin-vue');
const globals = require('globals');
const tseslint = require('typescript-eslint');

module.exports = defineConfig(
  globalIgnores([
    '**/dist/',
    '**/node_modules/',
    '**/.data/',
    '**/.test-data/',
    '**/coverage/',
    'web/src/gql/',
    'server/src/migrations/',
    'test/artifacts/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  pluginVue.configs['flat/recommended'],
  {
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
  {
    files: ['eslint.config.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['web/src/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // vue-eslint-parser reads the template; <script lang="ts"> goes to typescript-eslint's
    // parser, with the same core-rule adjustments typescript-eslint makes for .ts files.
    files: ['**/*.vue'],
    languageOptions: {
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.vue'],
      },
    },
    rules: tseslint.configs.eslintRecommended.rules,
  },
  // Last: turns off the layout rules (eslint-plugin-vue's included) that Prettier owns.
  prettier,
);
