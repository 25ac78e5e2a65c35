import { resolve } from 'node:path';
import { topology } from '../topology';
import { buildOpenApiDocument } from './document';

/** Where `npm run openapi` writes the document and where `GET /openapi.json` bundles it from. */
export const OPENAPI_FILE = resolve(__dirname, '..', '..', 'docs', 'openapi.json');

/** The document as committed: prettier's JSON, so `npm run lint` accepts the file as written. */
export async function renderOpenApiDocument(): Promise<string> {
  // Loaded here, not at the top: prettier is ESM inside, which jest's CommonJS modules cannot load.
  const { format } = await import('prettier');
  return format(JSON.stringify(buildOpenApiDocument(topology)), { parser: 'json', printWidth: 120 });
}
