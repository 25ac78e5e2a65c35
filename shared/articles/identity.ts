import { createHash } from 'node:crypto';
import { slugify } from '../slug';
import type { NormalizedArticle, ParsedArticle, SourceFormat } from './article';

/** Article ids are 16 lower-case hex digits: short in URLs, and checkable at the edge. */
export const ARTICLE_ID_PATTERN = /^[0-9a-f]{16}$/;

/**
 * A story's identity, which survives edits to its text: its canonical URL (or the id its source
 * assigns) when the input names one, otherwise who published it, when, and under what headline. Ingesting a changed body of
 * the same story therefore updates it in place instead of creating a second article.
 */
export function identityKey(parsed: ParsedArticle): string {
  if (parsed.canonicalUrl) {
    // An id the source assigns (a ninjs `uri`, a feed item's `guid` or `id`) is compared as
    // written when it is not a plain web address: in `https://site.example/?p=10452` the query is
    // what tells WordPress's items apart, and `tag:`/`urn:` ids have no host to fold.
    return SOURCE_ASSIGNED_IDS.has(parsed.format) && !isPlainWebAddress(parsed.canonicalUrl)
      ? `id:${parsed.canonicalUrl.trim()}`
      : `url:${canonicalizeUrl(parsed.canonicalUrl)}`;
  }
  const organization = foldForIdentity(parsed.byline.organization ?? '');
  return `story:${organization}|${parsed.publishedAt}|${foldForIdentity(parsed.headline)}`;
}

export function articleIdFor(parsed: ParsedArticle): string {
  return sha256Hex(identityKey(parsed)).slice(0, 16);
}

/** Hash of everything parsed, in a key order that does not depend on how the input was written. */
export function contentHashOf(parsed: ParsedArticle): string {
  return sha256Hex(stableStringify(parsed));
}

export function normalize(parsed: ParsedArticle): NormalizedArticle {
  return {
    id: articleIdFor(parsed),
    slug: slugify(parsed.headline),
    contentHash: contentHashOf(parsed),
    schemaVersion: 1,
    ...parsed,
  };
}

export function sha256Hex(input: string | Buffer): string {
  return createHash('sha256').update(input).digest('hex');
}

/** Formats whose `canonicalUrl` is the identifier their source assigns rather than a page's address. */
const SOURCE_ASSIGNED_IDS: ReadonlySet<SourceFormat> = new Set<SourceFormat>(['ninjs', 'rss-item', 'atom-item']);

/** An http(s) address with neither query nor fragment: one a page and a feed item may share. */
function isPlainWebAddress(raw: string): boolean {
  try {
    const url = new URL(raw.trim());
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}

function foldForIdentity(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function canonicalizeUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.hash = '';
    url.search = '';
    return `${url.host.toLowerCase()}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return raw.trim();
  }
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
