/**
 * htmlparser2 as a drop-in for our tokenizer, so `npm run bench -- html` can feed our tree
 * builder from either and compare the two on the same tree (what switching would mean).
 * Its own module, so that its bundle holds htmlparser2's tokenizer and nothing else.
 */
import { Parser } from 'htmlparser2';
import type { HtmlToken } from '../shared/articles/parse/html/tokenizer';

/** Elements our tokenizer skips unread; htmlparser2 reports their content, so the adapter drops it. */
const SKIPPED_CONTENT = new Set(['script', 'style', 'template']);

/**
 * htmlparser2's callbacks as our tokens, with our tokenizer's conventions: attributes on a
 * prototype-less object, adjacent text merged, script/style/template content dropped. Its
 * implied end tags are passed on; our tree builder ignores those it has no open element for.
 */
export function tokenizeWithHtmlparser2(html: string): HtmlToken[] {
  const tokens: HtmlToken[] = [];
  let skippedDepth = 0;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (SKIPPED_CONTENT.has(name)) skippedDepth++;
        if (skippedDepth > 0 && !SKIPPED_CONTENT.has(name)) return;
        const attrs = Object.assign(Object.create(null) as Record<string, string>, attribs);
        tokens.push({ type: 'start', name, attrs, selfClosing: false });
      },
      onclosetag(name) {
        if (SKIPPED_CONTENT.has(name)) skippedDepth = Math.max(0, skippedDepth - 1);
        else if (skippedDepth > 0) return;
        tokens.push({ type: 'end', name });
      },
      ontext(text) {
        if (skippedDepth > 0) return;
        const last = tokens[tokens.length - 1];
        if (last?.type === 'text') last.text += text;
        else tokens.push({ type: 'text', text });
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return tokens;
}
