// The package's single-file build: its per-module CommonJS build repeats TypeScript's interop
// helpers in each of its files, 7 KB more in a minified bundle, and the ingest bundle has a budget.
import { parseXml, XmlElement, XmlError } from '@rgrove/parse-xml/dist/browser.js';
import { decodeHTML } from 'entities';
import { ArticleRejectedError } from './errors';

export type { XmlElement } from '@rgrove/parse-xml/dist/browser.js';

/** The namespaces feeds use, by the names this code gives them. */
export const NAMESPACES = {
  atom: 'http://www.w3.org/2005/Atom',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  media: 'http://search.yahoo.com/mrss/',
  xhtml: 'http://www.w3.org/1999/xhtml',
  /** Elements in no namespace, as RSS 2.0's own are. */
  none: '',
} as const;

export type Namespace = (typeof NAMESPACES)[keyof typeof NAMESPACES];

/**
 * A feed is four levels deep to an item's fields, a few more inside XHTML content. Past this the
 * document is refused, so no walk over it (the parser's own `text`, ours) can exhaust the stack.
 */
export const MAX_XML_DEPTH = 64;

/**
 * Parses an XML document with `@rgrove/parse-xml`, a small, strict parser that never expands
 * entities a document declares: a doctype's internal subset is read past, so the "billion laughs"
 * and external-entity attacks have nothing to work with, and a reference to a declared entity is
 * an error. References that are not XML's five are resolved as HTML's named references, which
 * feeds use though XML does not define them (`&nbsp;`, `&rsquo;`); the `entities` package decodes
 * them, so nothing is looked up in a plain object.
 *
 * Offsets are kept on every node, so an item's own markup can be stored as it was received.
 *
 * @throws ArticleRejectedError `invalid-xml` for text that is not well-formed XML; `nesting-too-deep`
 *   when the elements nest deeper than `MAX_XML_DEPTH`
 */
export function parseXmlDocument(text: string): XmlElement {
  try {
    const document = parseXml(text, { includeOffsets: true, resolveUndefinedEntity: htmlNamedReference });
    const root = document.children.find((node): node is XmlElement => node instanceof XmlElement);
    if (!root) throw new ArticleRejectedError('invalid-xml', 'The XML document has no root element');
    if (nestsDeeperThan(root, MAX_XML_DEPTH)) {
      throw new ArticleRejectedError(
        'nesting-too-deep',
        `The XML document nests elements deeper than ${MAX_XML_DEPTH} levels; no feed does`,
        { maxDepth: MAX_XML_DEPTH },
      );
    }
    return root;
  } catch (error) {
    if (error instanceof XmlError) {
      throw new ArticleRejectedError('invalid-xml', `The input is not well-formed XML: ${firstLine(error.message)}`, {
        line: error.line,
        column: error.column,
      });
    }
    // The parser descends recursively: a document nested tens of thousands deep exhausts the
    // stack, which is a reason about the input, not a failure of ingest.
    if (error instanceof RangeError) {
      throw new ArticleRejectedError('nesting-too-deep', 'The XML document nests elements too deeply to be read');
    }
    throw error;
  }
}

/** Depth-first with an explicit stack, so checking the depth cannot itself overflow. */
function nestsDeeperThan(root: XmlElement, max: number): boolean {
  const pending: Array<[XmlElement, number]> = [[root, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [element, depth] = next;
    if (depth > max) return true;
    for (const child of element.children) if (child instanceof XmlElement) pending.push([child, depth + 1]);
  }
  return false;
}

function htmlNamedReference(reference: string): string | null {
  const decoded = decodeHTML(reference);
  return decoded === reference ? null : decoded;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.slice(0, 200);
}

/** The namespace URI of an element, from the `xmlns` declarations on it and its ancestors. */
export function namespaceOf(element: XmlElement): string {
  const colon = element.name.indexOf(':');
  const attribute = colon === -1 ? 'xmlns' : `xmlns:${element.name.slice(0, colon)}`;
  for (let at: XmlElement | null = element; at !== null; at = parentElement(at)) {
    const declared = at.attributes[attribute];
    if (declared !== undefined) return declared;
  }
  return '';
}

export function parentElement(element: XmlElement): XmlElement | null {
  return element.parent instanceof XmlElement ? element.parent : null;
}

export function localName(element: XmlElement): string {
  const colon = element.name.indexOf(':');
  return colon === -1 ? element.name : element.name.slice(colon + 1);
}

/** The child elements of `parent` with this namespace and local name, in document order. */
export function childElements(parent: XmlElement, namespace: Namespace, name: string): XmlElement[] {
  return parent.children.filter(
    (child): child is XmlElement =>
      child instanceof XmlElement && localName(child) === name && namespaceOf(child) === namespace,
  );
}

export function childElement(parent: XmlElement, namespace: Namespace, name: string): XmlElement | undefined {
  return childElements(parent, namespace, name)[0];
}

/** The text (character data and CDATA) of the first such child, trimmed; null when absent or blank. */
export function childText(parent: XmlElement, namespace: Namespace, name: string): string | null {
  const element = childElement(parent, namespace, name);
  const text = element?.text.trim() ?? '';
  return text === '' ? null : text;
}

/** An attribute's value, or null; attribute objects have no prototype, so any name is safe to read. */
export function attribute(element: XmlElement, name: string): string | null {
  return element.attributes[name] ?? null;
}

/** The markup of an element exactly as it appears in `source` (the text the document was parsed from). */
export function markupOf(element: XmlElement, source: string): string {
  return source.slice(element.start, element.end);
}
