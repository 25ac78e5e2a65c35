import { ArticleRejectedError } from './errors';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';

/** Hints from where the input came from; the content decides when the two disagree. */
export interface FormatHints {
  contentType?: string;
  key?: string;
}

export type DetectedFormat =
  | { format: 'json-article'; value: Readonly<Record<string, unknown>> }
  | { format: 'ninjs'; value: Readonly<Record<string, unknown>> }
  | { format: 'rss-feed' }
  | { format: 'atom-feed' }
  | { format: 'html-page' }
  | { format: 'text-page' };

/**
 * Fields only an IPTC ninjs item has (in any of its versions), never a JSON article. A JSON
 * article states `publishedAt` and `body`; an object without them that has one of these is read
 * as ninjs, so a ninjs item that breaks its schema is told so rather than that it is a bad article.
 */
const NINJS_FIELDS = [
  'uri',
  'versioncreated',
  'versionCreated',
  'firstcreated',
  'firstCreated',
  'headlines',
  'bodies',
  'body_html',
  'body_text',
  'descriptions',
  'description_text',
] as const;

/** Markup at the very start, or a document-level element opened and closed somewhere. */
const STARTS_WITH_MARKUP = /^<(?:[A-Za-z]|!doctype|!--)/i;
const STORY_ELEMENT_OPEN = /<(?:html|body|article|h1)[\s>]/i;
const STORY_ELEMENT_CLOSE = /<\/(?:html|body|article|h1)\s*>/i;
const ANY_TAG = /<[A-Za-z][^<>]*>/;

/**
 * Decides the format from the content: a JSON object is a ninjs item when it has ninjs's fields
 * and a JSON article otherwise, an XML document whose root is `<rss>` or Atom's `<feed>` is a
 * feed, other markup is an HTML page, anything else is read as a text page. Content type and key
 * extension only break ties: they turn broken JSON into a JSON rejection (rather than a text
 * page without a date) and let a fragment with a few tags count as HTML.
 *
 * @throws ArticleRejectedError `invalid-json-article` for JSON that is not an object, or broken JSON that
 *   claims to be JSON; `nesting-too-deep` for JSON nested deeper than any story
 */
export function detectFormat(text: string, hints: FormatHints = {}): DetectedFormat {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const json = tryParseJson(trimmed);
    if (json.ok) {
      if (nestsDeeperThan(trimmed)) {
        throw new ArticleRejectedError(
          'nesting-too-deep',
          `The JSON input nests deeper than ${MAX_JSON_DEPTH} levels; no story does`,
          { maxDepth: MAX_JSON_DEPTH },
        );
      }
      if (isPlainObject(json.value)) {
        return looksLikeNinjs(json.value)
          ? { format: 'ninjs', value: json.value }
          : { format: 'json-article', value: json.value };
      }
      const kind = Array.isArray(json.value) ? 'an array' : 'not an object';
      throw new ArticleRejectedError('invalid-json-article', `The JSON input is ${kind}, not an article object`, [
        { path: '', message: 'expected an object' },
      ]);
    }
    // "[Video] Mayor…" can be a headline; only treat unparseable text as JSON when something says it is.
    const looksWhole = /^\{[\s\S]*\}$|^\[[\s\S]*\]$/.test(trimmed);
    if (looksWhole || hintsAt(hints, 'json')) {
      throw new ArticleRejectedError('invalid-json-article', `The input is not valid JSON: ${json.error}`, [
        { path: '', message: json.error },
      ]);
    }
  }
  const root = xmlRootElementName(trimmed);
  if (root === 'rss') return { format: 'rss-feed' };
  if (root === 'feed' || root?.endsWith(':feed')) return { format: 'atom-feed' };
  if (STARTS_WITH_MARKUP.test(trimmed) || (STORY_ELEMENT_OPEN.test(trimmed) && STORY_ELEMENT_CLOSE.test(trimmed))) {
    return { format: 'html-page' };
  }
  if (hintsAt(hints, 'html') && ANY_TAG.test(trimmed)) return { format: 'html-page' };
  return { format: 'text-page' };
}

function looksLikeNinjs(value: Readonly<Record<string, unknown>>): boolean {
  if (Object.hasOwn(value, 'publishedAt') || Object.hasOwn(value, 'body')) return false;
  return NINJS_FIELDS.some((field) => Object.hasOwn(value, field));
}

/**
 * The name of the first element, past an XML declaration, processing instructions, comments and
 * a doctype (with its internal subset); null when the text does not start like that. A scan with
 * `indexOf`, so unterminated constructs cost one pass, not one per construct.
 */
function xmlRootElementName(text: string): string | null {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('<?', i)) i = endOf(text, '?>', i);
    else if (text.startsWith('<!--', i)) i = endOf(text, '-->', i);
    else if (/^<!doctype/i.test(text.slice(i, i + 9))) i = endOfDoctype(text, i);
    else break;
    if (i === -1) return null;
  }
  const name = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(i, i + 256));
  return name ? name[1]!.toLowerCase() : null;
}

function endOf(text: string, terminator: string, from: number): number {
  const at = text.indexOf(terminator, from);
  return at === -1 ? -1 : at + terminator.length;
}

/** `<!DOCTYPE rss [ <!ENTITY …> ]>`: the `>` inside the brackets does not end it. */
function endOfDoctype(text: string, from: number): number {
  const close = text.indexOf('>', from);
  const open = text.indexOf('[', from);
  if (open === -1 || (close !== -1 && close < open)) return close === -1 ? -1 : close + 1;
  const subsetEnd = text.indexOf(']', open);
  return subsetEnd === -1 ? -1 : endOf(text, '>', subsetEnd);
}

function hintsAt(hints: FormatHints, format: 'json' | 'html'): boolean {
  const contentType = (hints.contentType ?? '').toLowerCase();
  const key = (hints.key ?? '').toLowerCase();
  return format === 'json'
    ? /[/+]json\b/.test(contentType) || key.endsWith('.json')
    : /\b(?:text\/html|application\/xhtml\+xml)\b/.test(contentType) || /\.x?html?$/.test(key);
}

function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
