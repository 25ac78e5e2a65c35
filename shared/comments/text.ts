/**
 * The text rules of comments. Bodies are plain text: they are stored as sent, after Unicode
 * NFC normalization (so visually identical texts compare equal) and trimming, and are only
 * ever returned as JSON strings — nothing here escapes or strips markup, because nothing
 * downstream interprets it.
 */
export const COMMENT_TEXT_LIMITS = {
  author: { min: 1, max: 50 },
  body: { min: 1, max: 5000 },
} as const;

/** NFC, then trimmed of surrounding whitespace. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').trim();
}

/** Length in characters (code points), as a reader counts them, not UTF-16 units. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** C0 and C1 control characters and DEL. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** The same, except tab, line feed and carriage return, which a multi-paragraph body needs. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Authors are one line: no control characters at all. */
export const hasAuthorControlCharacters = (text: string): boolean => ANY_CONTROL.test(text);

/** Bodies may hold line breaks and tabs, but no other control character. */
export const hasBodyControlCharacters = (text: string): boolean => CONTROL_EXCEPT_LINE_BREAKS.test(text);

/**
 * An unpaired UTF-16 surrogate (JSON allows `"\ud800"`) is not a character: it cannot be stored as
 * UTF-8 and no reader could see it, so such text is refused rather than stored.
 */
export const hasUnpairedSurrogates = (text: string): boolean => /\p{Cs}/u.test(text);
