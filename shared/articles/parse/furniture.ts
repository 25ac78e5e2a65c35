/**
 * Page furniture: the fixed lines a story page prints around the story (sharing, error
 * reporting, poll chrome, recommendations, the comment counter). None of it is story text.
 * Every pattern matches a whole line, so a paragraph that merely starts with "More from the
 * council…" is never mistaken for furniture.
 */
const FURNITURE_LINES: readonly RegExp[] = [
  /^More From [\p{Lu}][\p{L}.'’-]*(?: [\p{Lu}][\p{L}.'’-]*){0,2}$/u,
  /^My Take on This Story$/i,
  /^To report an error on this story,?$/i,
  /^notify our editors\.?$/i,
  /^Show results without voting$/i,
  /^You Might Like$/i,
];

/** "Showing 3 of 60 comments", or "Showing 60 comments" when all are shown. */
const COMMENT_COUNTER = /^Showing\s+([\d,]+)(?:\s+of\s+([\d,]+))?\s+comments?\b/i;

/** Marks the end of a poll's options. */
export const POLL_END_LINE = /^Show results without voting$/i;
/** Introduces the poll on story pages. */
export const POLL_HEADING_LINE = /^My Take on This Story$/i;
/** Introduces recommendations, after the poll. */
export const RECOMMENDATIONS_LINE = /^You Might Like$/i;

/** True for a furniture line or the comment counter; pass the line with whitespace collapsed. */
export function isFurnitureLine(line: string): boolean {
  return FURNITURE_LINES.some((pattern) => pattern.test(line)) || COMMENT_COUNTER.test(line);
}

export function isCommentCounter(line: string): boolean {
  return COMMENT_COUNTER.test(line);
}

/**
 * The total a "Showing N of M comments" counter claims (M, or N when there is no "of M"),
 * found anywhere in the given text; null when there is no counter.
 */
export function findCommentTotal(text: string): number | null {
  const match = /Showing\s+([\d,]+)(?:\s+of\s+([\d,]+))?\s+comments?\b/i.exec(text);
  if (!match) return null;
  return Number((match[2] ?? match[1]!).replace(/,/g, ''));
}
