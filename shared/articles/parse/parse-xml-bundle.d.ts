/**
 * `@rgrove/parse-xml`'s single-file build (its `browser` entry, the same code as its `main`),
 * typed as the package is. See xml.ts for why ingest imports this build.
 */
declare module '@rgrove/parse-xml/dist/browser.js' {
  export * from '@rgrove/parse-xml';
}
