import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One copy of graphql for our sources and the server's dependencies (see server/vitest.config.ts).
    alias: [
      { find: /^graphql$/, replacement: require.resolve('graphql', { paths: ['../server'] }) },
    ],
  },
  test: {
    include: ['**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: '../.test-results/test.json' }]],
    exclude: ['node_modules/**', 'artifacts/**'],
    globalSetup: ['../server/src/testing/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // These suites run whole servers and browsers: one file at a time on two cores.
    fileParallelism: false,
  },
});
