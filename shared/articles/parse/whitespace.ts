/**
 * Whitespace rules shared by the parsers. JavaScript's `\s` already covers U+00A0 and the
 * other Unicode spaces, which is what lets a non-breaking space count as a separator for
 * structure while the visible characters of the text are kept.
 */

/** CRLF and lone CR (old Mac exports) become LF, so every parser splits lines one way. */
export function normalizeLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** Trims and turns every run of whitespace (NBSP included) into one ASCII space. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
