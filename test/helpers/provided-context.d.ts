// The server's global setup (server/src/testing/global-setup.ts) provides this to every test
// file; its declaration lives outside this package's tsconfig, so it is repeated here.
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}
