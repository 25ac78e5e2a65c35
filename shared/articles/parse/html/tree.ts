import { collapseWhitespace } from '../whitespace';
import { type HtmlToken, tokenizeHtml } from './tokenizer';

export interface HtmlElement {
  kind: 'element';
  name: string;
  attrs: Readonly<Record<string, string>>;
  children: HtmlNode[];
  parent: HtmlElement | null;
}

export interface HtmlText {
  kind: 'text';
  text: string;
}

export type HtmlNode = HtmlElement | HtmlText;

/**
 * Nesting deeper than this is flattened (further elements become leaves), as browsers do,
 * so a hostile page of nested `<div>`s cannot overflow the stack of the recursive walks.
 */
export const MAX_NESTING_DEPTH = 256;

/** A parsed page: its element tree, and whether markup past `MAX_NESTING_DEPTH` was flattened into it. */
export interface HtmlDocument {
  root: HtmlElement;
  /**
   * True when some element would have been nested deeper than the limit. What lies below it
   * is then not where the markup put it, so a story part missing from the tree may be there.
   */
  nestingLimitReached: boolean;
}

const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/** Opening any of these closes an open `<p>`, as browsers do: `<p>One<div>…` is not a div inside a paragraph. */
const CLOSES_PARAGRAPH = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'details',
  'div',
  'dl',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'ul',
]);

/** An open `<p>` or `<li>` above one of these is not closed by what opens inside it. */
const PARAGRAPH_SCOPE = new Set(['button', 'td', 'th', 'figure', 'blockquote', 'li']);
const LIST_ITEM_SCOPE = new Set(['ul', 'ol']);

/** Elements whose boundaries separate words: their text never runs into a neighbour's. */
const BLOCK_ELEMENTS = new Set([
  ...CLOSES_PARAGRAPH,
  'br',
  'li',
  'dd',
  'dt',
  'td',
  'th',
  'tr',
  'caption',
  'legend',
  'label',
  'option',
  'button',
  'time',
  'title',
  'body',
  'head',
  'html',
]);

/**
 * Builds an element tree from HTML with the few recovery rules story pages need: void
 * elements, implicit `</p>` and `</li>`, and end tags that close whatever is still open
 * inside them. Stray end tags are ignored.
 */
export function parseHtml(html: string): HtmlDocument {
  return buildTree(tokenizeHtml(html));
}

/**
 * The tree builder behind `parseHtml`, on any source of tokens: `npm run bench -- html` feeds
 * it another tokenizer's output to compare them on the same tree.
 */
export function buildTree(tokens: Iterable<HtmlToken>): HtmlDocument {
  const root: HtmlElement = { kind: 'element', name: '#document', attrs: {}, children: [], parent: null };
  let nestingLimitReached = false;
  const open: HtmlElement[] = [root];
  const current = (): HtmlElement => open[open.length - 1]!;
  const closeThrough = (index: number): void => {
    open.length = index;
  };
  const lastOpen = (name: string, stopAt: ReadonlySet<string> = new Set()): number => {
    for (let i = open.length - 1; i > 0; i--) {
      if (open[i]!.name === name) return i;
      if (stopAt.has(open[i]!.name)) return -1;
    }
    return -1;
  };

  for (const token of tokens) {
    if (token.type === 'text') {
      current().children.push({ kind: 'text', text: token.text });
    } else if (token.type === 'end') {
      const at = lastOpen(token.name);
      if (at !== -1) closeThrough(at);
    } else {
      if (CLOSES_PARAGRAPH.has(token.name)) {
        const p = lastOpen('p', PARAGRAPH_SCOPE);
        if (p !== -1) closeThrough(p);
      }
      if (token.name === 'li') {
        const li = lastOpen('li', LIST_ITEM_SCOPE);
        if (li !== -1) closeThrough(li);
      }
      const element: HtmlElement = {
        kind: 'element',
        name: token.name,
        attrs: token.attrs,
        children: [],
        parent: current(),
      };
      current().children.push(element);
      if (VOID_ELEMENTS.has(token.name) || token.selfClosing) continue;
      if (open.length < MAX_NESTING_DEPTH) open.push(element);
      else nestingLimitReached = true;
    }
  }
  return { root, nestingLimitReached };
}

/**
 * Elements under `root` (not `root` itself) in document order that satisfy `predicate`.
 * Subtrees whose top satisfies `prune` are not entered at all: one walk, whatever the nesting,
 * instead of an ancestor check per element.
 */
export function findAll(
  root: HtmlElement,
  predicate: (element: HtmlElement) => boolean,
  prune: (element: HtmlElement) => boolean = () => false,
): HtmlElement[] {
  const found: HtmlElement[] = [];
  walk(root, predicate, prune, (element) => {
    found.push(element);
    return true;
  });
  return found;
}

/** The first element `findAll` would return, found without walking the rest of the tree. */
export function findFirst(
  root: HtmlElement,
  predicate: (element: HtmlElement) => boolean,
  prune: (element: HtmlElement) => boolean = () => false,
): HtmlElement | undefined {
  let first: HtmlElement | undefined;
  walk(root, predicate, prune, (element) => {
    first = element;
    return false;
  });
  return first;
}

/** Depth-first walk; `onMatch` returns false to stop. Returns false once stopped. */
function walk(
  element: HtmlElement,
  predicate: (element: HtmlElement) => boolean,
  prune: (element: HtmlElement) => boolean,
  onMatch: (element: HtmlElement) => boolean,
): boolean {
  for (const child of element.children) {
    if (child.kind !== 'element' || prune(child)) continue;
    if (predicate(child) && !onMatch(child)) return false;
    if (!walk(child, predicate, prune, onMatch)) return false;
  }
  return true;
}

/**
 * The text under a node as written (references decoded, whitespace untouched), with a
 * space at block boundaries. Nodes in `skip` are left out, e.g. a credit inside a caption.
 */
export function rawTextOf(node: HtmlNode, skip: ReadonlySet<HtmlNode> = new Set()): string {
  const parts: string[] = [];
  const visit = (at: HtmlNode): void => {
    if (skip.has(at)) return;
    if (at.kind === 'text') {
      parts.push(at.text);
      return;
    }
    // Only JSON-LD scripts keep their content, which is data about the page, not its text.
    if (at.name === 'script') return;
    const block = BLOCK_ELEMENTS.has(at.name);
    if (block) parts.push(' ');
    for (const child of at.children) visit(child);
    if (block) parts.push(' ');
  };
  visit(node);
  return parts.join('');
}

/** `rawTextOf`, trimmed, with whitespace runs collapsed to one space. */
export function textOf(node: HtmlNode, skip?: ReadonlySet<HtmlNode>): string {
  return collapseWhitespace(rawTextOf(node, skip));
}

/** True when one of the element's class names contains `fragment` (case-insensitive). */
export function hasClassContaining(element: HtmlElement, fragment: RegExp): boolean {
  return classNames(element).some((name) => fragment.test(name));
}

export function classNames(element: HtmlElement): string[] {
  return (element.attrs['class'] ?? '').split(/\s+/).filter((name) => name !== '');
}

/** The next element among `element`'s siblings, text between them skipped. */
export function nextElementSibling(element: HtmlElement): HtmlElement | undefined {
  const siblings = element.parent?.children ?? [];
  const after = siblings.slice(siblings.indexOf(element) + 1);
  return after.find((node): node is HtmlElement => node.kind === 'element');
}
