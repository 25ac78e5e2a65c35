import { findAll, type HtmlElement } from './html/tree';
import { nestsDeeperThan } from './json-depth';
import { collapseWhitespace } from './whitespace';

/** What a page's schema.org article states, as far as the page's own markup may lack it. */
export interface JsonLdArticle {
  headline: string | null;
  description: string | null;
  /** Author names, people or organizations, in the order given. */
  authors: string[];
  /** The publisher's name: the organization behind the story. */
  publisher: string | null;
  datePublished: string | null;
  url: string | null;
}

/** News article types, preferred over any other article when a page describes several things. */
const NEWS_TYPES = new Set([
  'NewsArticle',
  'ReportageNewsArticle',
  'AnalysisNewsArticle',
  'BackgroundNewsArticle',
  'OpinionNewsArticle',
  'ReviewNewsArticle',
  'AskPublicNewsArticle',
]);
const ARTICLE_TYPES = new Set(['Article', 'BlogPosting', 'Report', 'ScholarlyArticle', 'TechArticle']);

/** Enough for any page (WordPress writes one block of a dozen nodes); the rest is not read. */
const MAX_BLOCKS = 16;
const MAX_NODES = 500;

type JsonObject = Readonly<Record<string, unknown>>;

/**
 * The article a page describes in `<script type="application/ld+json">`: blocks holding one node,
 * a list of nodes or a `@graph`, with `@id` references (`"publisher": { "@id": "#org" }`)
 * resolved against every node of the page, as WordPress and most CMSs write them. A
 * `NewsArticle` (or a subtype) is preferred to a plain `Article` or `BlogPosting` when a page
 * has several. Blocks that are not JSON, or nest deeper than any article, are skipped: the
 * page's markup still stands on its own.
 */
export function findJsonLdArticle(document: HtmlElement): JsonLdArticle | null {
  const nodes = findAll(document, isJsonLdScript)
    .slice(0, MAX_BLOCKS)
    .flatMap((script) => nodesOf(scriptText(script)))
    .slice(0, MAX_NODES);
  const byId = new Map<string, JsonObject>();
  for (const node of nodes) {
    const id = node['@id'];
    if (typeof id === 'string' && !byId.has(id)) byId.set(id, node);
  }
  const article = nodes.find((node) => hasType(node, NEWS_TYPES)) ?? nodes.find((node) => hasType(node, ARTICLE_TYPES));
  if (!article) return null;
  // A reference names a node by its id (perhaps with its type) and not by its name; a node
  // written out in full stays as it is.
  const resolve = (value: unknown): unknown =>
    isObject(value) && typeof value['@id'] === 'string' && value['name'] === undefined
      ? (byId.get(value['@id']) ?? value)
      : value;
  return {
    headline: text(article['headline']) ?? text(article['name']),
    description: text(article['description']),
    authors: listOf(article['author'])
      .map(resolve)
      .map(nameOf)
      .filter((name): name is string => name !== null),
    publisher: nameOf(resolve(article['publisher'])),
    datePublished: text(article['datePublished']),
    url: text(article['url']) ?? idOf(resolve(article['mainEntityOfPage'])),
  };
}

function isJsonLdScript(element: HtmlElement): boolean {
  return element.name === 'script' && (element.attrs['type'] ?? '').trim().toLowerCase() === 'application/ld+json';
}

/** A script's content as written: the tokenizer keeps JSON-LD as one raw text child. */
function scriptText(script: HtmlElement): string {
  return script.children.map((child) => (child.kind === 'text' ? child.text : '')).join('');
}

/** The nodes of one block: the block itself, the items of a list, and the nodes of a `@graph`. */
function nodesOf(json: string): JsonObject[] {
  let value: unknown;
  try {
    value = JSON.parse(json) as unknown;
  } catch {
    return [];
  }
  if (nestsDeeperThan(json)) return [];
  const top = Array.isArray(value) ? value.filter(isObject) : isObject(value) ? [value] : [];
  return top.flatMap((node) => {
    const graph = node['@graph'];
    return Array.isArray(graph) ? [node, ...graph.filter(isObject)] : [node];
  });
}

function hasType(node: JsonObject, types: ReadonlySet<string>): boolean {
  return listOf(node['@type']).some((type) => typeof type === 'string' && types.has(type.replace(/^schema:/, '')));
}

/** A person's or organization's name; a plain string is a name too. */
function nameOf(value: unknown): string | null {
  if (typeof value === 'string') return text(value);
  return isObject(value) ? text(value['name']) : null;
}

function idOf(value: unknown): string | null {
  if (typeof value === 'string') return text(value);
  return isObject(value) ? text(value['@id']) : null;
}

function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const collapsed = collapseWhitespace(value);
  return collapsed === '' ? null : collapsed;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
