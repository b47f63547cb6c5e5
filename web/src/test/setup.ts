// happy-dom lacks a few browser APIs PrimeVue touches.
if (typeof window !== 'undefined' && !window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
}

// mock-apollo-client builds a default cache with the deprecated `addTypename` option before
// taking ours; Apollo warns about it once per client. Only deprecation notices are
// silenced; errors and other warnings still print.
(globalThis as Record<symbol, unknown>)[Symbol.for('apollo.deprecations')] = true;
