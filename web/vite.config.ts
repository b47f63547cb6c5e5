import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

const apiTarget = process.env.LEDGERLINK_API_URL ?? 'http://localhost:4000';

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    proxy: {
      // `ws: true` also forwards subscription websockets (graphql-ws) on the same path.
      '/graphql': { target: apiTarget, changeOrigin: true, ws: true },
      // E-invoice upload and the original XML / PDF downloads.
      '/api': { target: apiTarget, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test/setup.ts'],
    // Generous for loaded CI machines; the component tests take well under a second alone.
    testTimeout: 20_000,
    reporters: ['default', ['json', { outputFile: '../.test-results/web.json' }]],
  },
});
