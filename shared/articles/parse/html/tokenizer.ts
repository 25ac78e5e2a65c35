import { decodeHTML, decodeHTMLAttribute } from 'entities';

export type HtmlToken =
  | { type: 'start'; name: string; attrs: Record<string, string>; selfClosing: boolean }
  | { type: 'end'; name: string }
  | { type: 'text'; text: string };

/**
 * Elements whose content is never story text; their content is skipped unread, except a
 * `<script type="application/ld+json">`'s, which describes the story (see json-ld.ts).
 */
const SKIPPED_CONTENT = new Set(['script', 'style', 'template']);
/** Elements whose content is text, not markup, but with references decoded. */
const TEXT_ONLY_CONTENT = new Set(['title', 'textarea']);

/**
 * Splits HTML into start tags, end tags and decoded text. Comments, doctypes and processing
 * instructions are dropped. It is a forgiving, linear scan in the spirit of the HTML
 * tokenizer: a `<` that does not open a tag is text, an unterminated tag ends the input,
 * and nothing here throws, because real pages are rarely well-formed.
 *
 * Character references are decoded by the `entities` package, with the specification's full
 * table and rules: `&#150;` is an en dash (Windows-1252), invalid code points become U+FFFD,
 * unknown names (`&bogus;`, `&constructor;`) stay as written. Text and attribute values differ
 * on legacy references without a semicolon: `&copy 2024` is © in both, but `?a=1&copy=2` in an
 * `href` stays as written, as browsers keep it.
 */
export function tokenizeHtml(html: string): HtmlToken[] {
  const tokens: HtmlToken[] = [];
  const pushText = (raw: string): void => {
    if (raw === '') return;
    const last = tokens[tokens.length - 1];
    // Adjacent text (a run of stray "<") becomes one token, not one per character.
    if (last?.type === 'text') last.text += decodeHTML(raw);
    else tokens.push({ type: 'text', text: decodeHTML(raw) });
  };
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      pushText(html.slice(i));
      break;
    }
    pushText(html.slice(i, lt));
    const next = html[lt + 1] ?? '';
    if (html.startsWith('<!--', lt)) {
      i = skipPast(html, '-->', lt + 4);
    } else if (next === '!' || next === '?') {
      i = skipPast(html, '>', lt + 2);
    } else if (next === '/') {
      // A tag still open at the end of input is dropped, as browsers do; stopping here also
      // keeps a run of unterminated "</x" from being rescanned to the end once per "<".
      if (html.indexOf('>', lt) === -1) break;
      const end = /<\/([A-Za-z][^\s/>]*)[^>]*>/y;
      end.lastIndex = lt;
      const match = end.exec(html);
      if (match) {
        tokens.push({ type: 'end', name: match[1]!.toLowerCase() });
        i = end.lastIndex;
      } else {
        pushText('<');
        i = lt + 1;
      }
    } else if (/[A-Za-z]/.test(next)) {
      const tag = readStartTag(html, lt);
      if (tag === null) break;
      tokens.push(tag.token);
      i = tag.next;
      if (!tag.token.selfClosing && (SKIPPED_CONTENT.has(tag.token.name) || TEXT_ONLY_CONTENT.has(tag.token.name))) {
        const close = indexOfCloseTag(html, tag.token.name, i);
        if (TEXT_ONLY_CONTENT.has(tag.token.name)) pushText(html.slice(i, close));
        // Structured data about the story: kept as written (a script has no character references).
        else if (isJsonLd(tag.token)) tokens.push({ type: 'text', text: html.slice(i, close) });
        i = close;
      }
    } else {
      pushText('<');
      i = lt + 1;
    }
  }
  return tokens;
}

function isJsonLd(tag: HtmlToken & { type: 'start' }): boolean {
  return tag.name === 'script' && (tag.attrs['type'] ?? '').trim().toLowerCase() === 'application/ld+json';
}

function skipPast(html: string, terminator: string, from: number): number {
  const at = html.indexOf(terminator, from);
  return at === -1 ? html.length : at + terminator.length;
}

/** Where `</name` starts (case-insensitive), or the end of input: raw text runs to its close tag. */
function indexOfCloseTag(html: string, name: string, from: number): number {
  const close = new RegExp(`</${name}[\\s/>]`, 'ig');
  close.lastIndex = from;
  const match = close.exec(html);
  return match ? match.index : html.length;
}

function readStartTag(html: string, lt: number): { token: HtmlToken & { type: 'start' }; next: number } | null {
  const nameMatch = /[A-Za-z][^\s/>]*/y;
  nameMatch.lastIndex = lt + 1;
  const name = nameMatch.exec(html)![0].toLowerCase();
  // No prototype: attribute names like "constructor" or "__proto__" are plain keys here.
  const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
  let i = nameMatch.lastIndex;
  while (i < html.length) {
    while (/\s/.test(html[i] ?? '')) i++;
    if (html[i] === '>') return { token: { type: 'start', name, attrs, selfClosing: false }, next: i + 1 };
    if (html.startsWith('/>', i)) return { token: { type: 'start', name, attrs, selfClosing: true }, next: i + 2 };
    if (html[i] === '/') {
      i++;
      continue;
    }
    const attrStart = i;
    while (i < html.length && !/[\s/>=]/.test(html[i]!)) i++;
    // A stray "=" where a name should be: take it as a one-character name and move on.
    if (i === attrStart) i++;
    const attrName = html.slice(attrStart, i).toLowerCase();
    let j = i;
    while (/\s/.test(html[j] ?? '')) j++;
    let value = '';
    if (html[j] === '=') {
      j++;
      while (/\s/.test(html[j] ?? '')) j++;
      const quote = html[j];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, j + 1);
        if (close === -1) return null;
        value = html.slice(j + 1, close);
        j = close + 1;
      } else {
        const valueStart = j;
        while (j < html.length && !/[\s>]/.test(html[j]!)) j++;
        value = html.slice(valueStart, j);
      }
      i = j;
    }
    // The first occurrence wins, as in browsers.
    if (!Object.hasOwn(attrs, attrName)) attrs[attrName] = decodeHTMLAttribute(value);
  }
  return null;
}
