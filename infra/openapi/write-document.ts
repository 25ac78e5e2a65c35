/**
 * `npm run openapi`: writes the generated OpenAPI document to docs/openapi.json, which is what
 * `GET /openapi.json` serves (the handler bundles the file, not the generator and its JSON
 * Schema emitter). The contract test fails while the committed file differs from a fresh one.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OPENAPI_FILE, renderOpenApiDocument } from './render';

async function main(): Promise<void> {
  await mkdir(dirname(OPENAPI_FILE), { recursive: true });
  await writeFile(OPENAPI_FILE, await renderOpenApiDocument());
  console.log(`Wrote ${OPENAPI_FILE}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
