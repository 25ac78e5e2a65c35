import { extname } from 'node:path';

const BY_EXTENSION: Record<string, string> = {
  '.txt': 'text/plain; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.json': 'application/json',
};

/** The Content-Type to upload a story file with; the parser detects the format from content anyway. */
export function contentTypeFor(file: string): string {
  return BY_EXTENSION[extname(file).toLowerCase()] ?? 'application/octet-stream';
}
