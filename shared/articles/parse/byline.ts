import type { Byline } from '../article';
import { knownOutletName } from './sources';
import { collapseWhitespace } from './whitespace';

/** "Newser Staff", "Reuters Correspondent": the last part of a byline that names the organization. */
const ORGANIZATION_SEGMENT =
  /^(.+?)\s+(?:Staff(?:\s+(?:Writer|Reporter)s?)?|Correspondents?|Contributors?|Reporters?|Writers?)$/i;
const NAME_SUFFIX = /^(?:Jr|Sr|II|III|IV)\.?$/;
const PARTICLES = new Set([
  'de',
  'da',
  'del',
  'della',
  'der',
  'den',
  'di',
  'du',
  'la',
  'le',
  'van',
  'von',
  'bin',
  'al',
  'el',
  'y',
  'ter',
]);

/**
 * Parses a byline: `By Nora Halvorsen, Dispatch Staff`, `By A and B`, `By A, B, and C, Org Staff`,
 * `By A, Reuters`. The leading "By" is optional, because HTML pages often print it outside
 * the byline element. Returns null when the text is not a byline — "By the way, …" must not
 * turn a sentence into authors — so callers can use it to recognize byline lines.
 */
export function parseByline(text: string): Byline | null {
  const bare = collapseWhitespace(text)
    .replace(/^by(?:\s+|$)/i, '')
    .replace(/[.;:]+$/, '');
  if (bare === '' || bare.length > 200) return null;

  const segments = mergeNameSuffixes(bare.split(/\s*[,|]\s*/).filter((segment) => segment !== ''));
  let organization: string | null = null;
  const last = segments.at(-1) ?? '';
  const staff = ORGANIZATION_SEGMENT.exec(last);
  if (staff) {
    organization = staff[1]!;
    segments.pop();
  } else if (segments.length > 1 && knownOutletName(last) !== undefined) {
    organization = knownOutletName(last)!;
    segments.pop();
  }

  const authors = segments
    .flatMap((segment) => segment.split(/\s+(?:and|&)\s+/i))
    .map((author) => author.replace(/^(?:and|&)\s+/i, '').trim())
    .filter((author) => author !== '');
  if (!authors.every(looksLikeName)) return null;
  if (authors.length === 0 && organization === null) return null;
  return { authors, organization };
}

/** "John Smith, Jr." splits at its comma like two authors would; put the suffix back. */
function mergeNameSuffixes(segments: string[]): string[] {
  const merged: string[] = [];
  for (const segment of segments) {
    if (NAME_SUFFIX.test(segment) && merged.length > 0) merged[merged.length - 1] += `, ${segment}`;
    else merged.push(segment);
  }
  return merged;
}

/** One to six words, each capitalized or a name particle ("Ludwig van Beethoven"), initials allowed. */
function looksLikeName(author: string): boolean {
  const words = author.replace(/,\s*(?:Jr|Sr|II|III|IV)\.?$/, '').split(' ');
  if (words.length > 6) return false;
  return words.every(
    (word, index) => /^\p{Lu}[\p{L}\p{M}'’.-]*$/u.test(word) || (index > 0 && PARTICLES.has(word.toLowerCase())),
  );
}

/** "By" and its equivalents in the wire services' languages ("Von" at dpa, "Av" at NTB and TT, "Af" at Ritzau). */
const WIRE_BYLINE_LEAD = /^(?:by|von|av|af|par|por|door|di|da)\s+/i;

/**
 * A wire item's byline: `By Jane Roe, AP`, `Von Jana Roth, dpa`, or only the agency (`NTB`). Its
 * last part names the organization when it is one of `agencies` (the item's copyright holder,
 * say, whose name is often lower-case like "dpa") or an outlet we know; the rest names the
 * authors as in any byline. Returns null when the text names nobody.
 */
export function parseWireByline(text: string, agencies: readonly string[]): Byline | null {
  const bare = collapseWhitespace(text).replace(WIRE_BYLINE_LEAD, '');
  const isAgency = (part: string): boolean =>
    agencies.some((agency) => agency.toLowerCase() === part.toLowerCase()) || knownOutletName(part) !== undefined;
  if (isAgency(bare)) return { authors: [], organization: knownOutletName(bare) ?? bare };
  const comma = bare.lastIndexOf(',');
  const last = comma === -1 ? '' : bare.slice(comma + 1).trim();
  if (last !== '' && isAgency(last)) {
    const authors = parseByline(bare.slice(0, comma));
    return { authors: authors?.authors ?? [], organization: knownOutletName(last) ?? last };
  }
  return parseByline(bare);
}
