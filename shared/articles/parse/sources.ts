import { OUTLETS } from './outlets';
import { collapseWhitespace } from './whitespace';

/**
 * Words around a name that make it a citation: "reports the Independent", "according to
 * Time", "the Economist notes", "A Nature study". Checked only for spellings that are also
 * ordinary words; a known outlet's unambiguous name counts wherever the story mentions it.
 */
const CITING_VERBS = [
  'according to',
  'reports?',
  'reported',
  'reporting',
  'told',
  'tells',
  'writes',
  'wrote',
  'writing',
  'notes',
  'noted',
  'via',
  'per',
  'says',
  'said',
  'explains',
  'adds',
  'added',
  'sum(?:s|med) up',
  'journal',
  'published',
  'appeared',
  'spoke',
  'speaking',
  'interview',
  'interviewed',
  'quoted',
  'cited',
  'column',
  'essay',
  'op-ed',
].join('|');
const CITING_NOUNS_AND_VERBS = [
  'reports?',
  'reported',
  'notes?',
  'noted',
  'writes',
  'wrote',
  'says',
  'said',
  'sum(?:s|med) up',
  'explains',
  'adds',
  'added',
  'poll',
  'survey',
  'story',
  'piece',
  'article',
  'analysis',
  'interview',
  'investigation',
  'editorial',
  'op-ed',
  'columnist',
  'reporter',
  'correspondent',
  'writer',
  'magazine',
  'study',
  'paper',
  'found',
  'finds',
  'learned',
  'has learned',
  'obtained',
  'confirmed',
  'points out',
  'observes',
  'quotes',
  'cites',
].join('|');
/** "reports the Independent", "told Time", "writes in the Atlantic", "the journal Nature". */
const CITING_BEFORE = new RegExp(`\\b(?:${CITING_VERBS})\\s+(?:(?:in|for|to|with|by)\\s+)?(?:the\\s+)?$`, 'i');
/** "writes Jane Doe in the New Yorker": the writer's name sits between the verb and the outlet. */
const CITING_BEFORE_WITH_WRITER =
  /\b(?:writes|wrote|argues|argued|notes|noted|says|said|explains|observes)\s+(?:\p{Lu}[\p{L}.'’-]*\s+){1,4}(?:in|for|at)\s+(?:the\s+)?$/u;
/** "Time magazine reports", "the Economist notes", "a Nature study". */
const CITING_AFTER = new RegExp(`^(?:['’]s)?\\s+(?:${CITING_NOUNS_AND_VERBS})\\b`, 'i');

interface Spelling {
  outlet: string;
  pattern: RegExp;
  contextual: boolean;
}

// Compiled once at module load: every ingest reuses them.
const SPELLINGS: readonly Spelling[] = OUTLETS.flatMap((outlet) => [
  ...outlet.names.map((name) => spelling(outlet.name, name, false)),
  ...(outlet.contextual ?? []).map((name) => spelling(outlet.name, name, true)),
]);

const BY_LOWER_NAME = new Map(
  OUTLETS.flatMap((outlet) =>
    [outlet.name, ...outlet.names, ...(outlet.contextual ?? [])]
      .filter((name) => /^[\p{L}\p{N} .'-]+$/u.test(name))
      .map((name) => [name.toLowerCase(), outlet.name] as const),
  ),
);

/**
 * The outlets a story cites, in order of first mention, each once, named as in `OUTLETS`.
 * Only the story's own paragraphs should be passed: a photo credit ("AP Photo/…") or a
 * reader comment naming an outlet is not a citation.
 */
export function detectSources(paragraphs: readonly string[]): string[] {
  const text = paragraphs.join('\n\n');
  const candidates = SPELLINGS.flatMap(({ outlet, pattern, contextual }) =>
    [...text.matchAll(pattern)].map((match) => ({
      outlet,
      contextual,
      start: match.index,
      end: match.index + match[0].length,
    })),
  );
  // Earliest first and, at one position, longest first: "Kyiv Independent" style overlaps
  // and "NBC News" versus "NBC" then resolve to the longer name.
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  // Claimed spans never overlap and candidates come in order of start, so a candidate
  // overlaps a claimed span exactly when it starts before the last claimed end.
  let claimedUntil = 0;
  const found: string[] = [];
  for (const candidate of candidates) {
    if (candidate.start < claimedUntil) continue;
    if (candidate.contextual && !isCited(text, candidate.start, candidate.end)) continue;
    claimedUntil = candidate.end;
    if (!found.includes(candidate.outlet)) found.push(candidate.outlet);
  }
  return found;
}

/**
 * Normalizes outlet names an input lists itself: a known outlet gets its stored name
 * ("the Washington Post" → "Washington Post"), an unknown one is kept without its leading
 * "the"; empty names and repeats (case-insensitive) are dropped, first mention wins.
 */
export function normalizeSourceNames(names: readonly string[]): string[] {
  const result: string[] = [];
  for (const raw of names) {
    const bare = collapseWhitespace(raw).replace(/^the\s+/i, '');
    if (bare === '') continue;
    const name = knownOutletName(bare) ?? bare;
    if (!result.some((existing) => existing.toLowerCase() === name.toLowerCase())) result.push(name);
  }
  return result;
}

/** The stored name of a known outlet spelled exactly as a whole ("the Washington Post", "cnn"), if it is one. */
export function knownOutletName(text: string): string | undefined {
  return BY_LOWER_NAME.get(
    collapseWhitespace(text)
      .replace(/^the\s+/i, '')
      .toLowerCase(),
  );
}

function spelling(outlet: string, source: string, contextual: boolean): Spelling {
  const body = source.replace(/ /g, '\\s+');
  // Letters and digits on either side mean a longer word ("Timely", "CNNs"), not the outlet.
  return { outlet, contextual, pattern: new RegExp(`(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`, 'gu') };
}

function isCited(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 80), start);
  const after = text.slice(end, end + 40);
  return CITING_BEFORE.test(before) || CITING_BEFORE_WITH_WRITER.test(before) || CITING_AFTER.test(after);
}
