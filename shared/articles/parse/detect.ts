import { ArticleRejectedError } from './errors';

/** Hints from where the input came from; the content decides when the two disagree. */
export interface FormatHints {
  contentType?: string;
  key?: string;
}

export type DetectedFormat =
  | { format: 'json-article'; value: Readonly<Record<string, unknown>> }
  | { format: 'html-page' }
  | { format: 'text-page' };

/** Markup at the very start, or a document-level element opened and closed somewhere. */
const STARTS_WITH_MARKUP = /^<(?:[A-Za-z]|!doctype|!--)/i;
const STORY_ELEMENT_OPEN = /<(?:html|body|article|h1)[\s>]/i;
const STORY_ELEMENT_CLOSE = /<\/(?:html|body|article|h1)\s*>/i;
const ANY_TAG = /<[A-Za-z][^<>]*>/;

/**
 * Decides the format from the content: a JSON object is a JSON article, markup is an HTML
 * page, anything else is read as a text page. Content type and key extension only break
 * ties: they turn broken JSON into a JSON rejection (rather than a text page without a
 * date) and let a fragment with a few tags count as HTML.
 *
 * @throws ArticleRejectedError `invalid-json-article` for JSON that is not an object, or broken JSON that claims to be JSON
 */
export function detectFormat(text: string, hints: FormatHints = {}): DetectedFormat {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const json = tryParseJson(trimmed);
    if (json.ok) {
      if (isPlainObject(json.value)) return { format: 'json-article', value: json.value };
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
  if (STARTS_WITH_MARKUP.test(trimmed) || (STORY_ELEMENT_OPEN.test(trimmed) && STORY_ELEMENT_CLOSE.test(trimmed))) {
    return { format: 'html-page' };
  }
  if (hintsAt(hints, 'html') && ANY_TAG.test(trimmed)) return { format: 'html-page' };
  return { format: 'text-page' };
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
