/**
 * The dateline-style lead-in that opens a story's first paragraph: `(Newser) – `. En dash,
 * em dash, one or two hyphens, and any spaces around them (NBSP included, `\s` covers it).
 */
const LEAD_IN = /^\(\s*[^()\n]{1,60}?\s*\)\s*(?:[–—]|-{1,2})\s*/u;

/** The paragraph without its lead-in; a paragraph without one is returned unchanged. */
export function stripLeadIn(paragraph: string): string {
  return paragraph.replace(LEAD_IN, '');
}

export function hasLeadIn(paragraph: string): boolean {
  return LEAD_IN.test(paragraph);
}
