import { extname } from 'node:path';

const BY_EXTENSION: ReadonlyMap<string, string> = new Map([
  ['.txt', 'text/plain; charset=utf-8'],
  ['.html', 'text/html; charset=utf-8'],
  ['.htm', 'text/html; charset=utf-8'],
  ['.json', 'application/json'],
  ['.xml', 'application/xml'],
  ['.rss', 'application/rss+xml'],
  ['.atom', 'application/atom+xml'],
]);

/** The Content-Type to upload a story file with; the parser detects the format from content anyway. */
export function contentTypeFor(file: string): string {
  return BY_EXTENSION.get(extname(file).toLowerCase()) ?? 'application/octet-stream';
}
