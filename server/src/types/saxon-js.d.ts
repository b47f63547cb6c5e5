// The part of SaxonJS 2 (no bundled types) that the e-invoice validation uses.
declare module 'saxon-js' {
  interface TransformOptions {
    stylesheetInternal: unknown;
    sourceText: string;
    destination: 'serialized';
  }
  interface TransformResult {
    principalResult: string;
  }
  interface SaxonJSApi {
    transform(options: TransformOptions, mode: 'sync'): TransformResult;
    getProcessorInfo(): { productName: string; productVersion: string };
  }
  const SaxonJS: SaxonJSApi;
  export default SaxonJS;
}
