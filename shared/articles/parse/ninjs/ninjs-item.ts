import { LIMITS } from '../../../limits';
import type { Byline, ParsedArticle, Photo } from '../../article';
import type { StatedVersion } from '../../revision';
import { parseWireByline } from '../byline';
import { parseIsoTimestamp } from '../dates';
import { ArticleRejectedError } from '../errors';
import { detectSources } from '../sources';
import { htmlToText, readHtmlBody, readTextBody } from '../story-text';
import { collapseWhitespace } from '../whitespace';
import {
  ninjs1Schema,
  ninjs2Schema,
  ninjs3Schema,
  ninjsMajorOf,
  readNinjs1,
  readNinjs2,
  readNinjs3,
  type NinjsMajor,
  type NinjsReading,
  type NinjsText,
} from './ninjs-schemas';
import type * as z from '../../../validation';

/** Item types that carry a story; a picture, video or audio item alone is not one. */
const STORY_TYPES = new Set(['text', 'composite']);
const SUBHEADLINE_ROLES = new Set(['subhead', 'subheadline', 'sub', 'deck', 'dek', 'standfirst']);
/** Descriptions that describe something else than the story: a photo, an alternative text. */
const NOT_A_DEK_ROLES = new Set(['caption', 'alt', 'alttext', 'alt-text', 'seo']);
const AUTHOR_RELS = /^(?:author|creator|writer|byline|contributor|reporter)$/i;
const VERSION_NUMBER = /^\d{1,20}$/;

/** A ninjs item as an article, and the version it states, which orders it against other versions. */
export interface NinjsItem {
  article: ParsedArticle;
  statedVersion: StatedVersion;
}

/**
 * Maps an IPTC ninjs item (1.x, 2.x or 3.x; see ninjs-schemas.ts) to an article: the main
 * headline; the subheadline from a `subhead` headline, else the description; byline authors and
 * organization from `by`/`byline` ("By Jane Roe, AP", "Von Jana Roth, dpa"), else the people
 * related as authors; the publication time (first created, else version created); the first
 * picture association's caption and credit; the body's paragraphs (HTML preferred to plain text);
 * the language; and the `uri` as the story's identity.
 *
 * @throws ArticleRejectedError `invalid-ninjs` (one issue per field), `not-a-story`, `missing-headline`,
 *   `missing-published-at`, `invalid-date`, `empty-body`
 */
export function parseNinjsItem(value: Readonly<Record<string, unknown>>): NinjsItem {
  const item = readNinjs(value);
  if (item.type !== null && !STORY_TYPES.has(item.type)) {
    throw new ArticleRejectedError('not-a-story', `The ninjs item is of type "${item.type}", not a story`, [
      { path: 'type', message: `expected ${[...STORY_TYPES].join(' or ')}` },
    ]);
  }
  const headline = mainHeadline(item.headlines);
  if (headline === null) throw new ArticleRejectedError('missing-headline', 'The ninjs item has no headline');
  const published = item.firstCreated ?? item.versionCreated;
  if (published === null) {
    throw new ArticleRejectedError(
      'missing-published-at',
      'The ninjs item states neither firstcreated nor versioncreated',
    );
  }
  const publishedAt = timestampAt(item.major === 3 ? 'firstCreated' : 'firstcreated', published);
  const { paragraphs, photo: bodyPhoto } = readBody(item.bodies);
  if (paragraphs.length === 0) throw new ArticleRejectedError('empty-body', 'The ninjs item has no body paragraphs');
  const language = collapseWhitespace(item.language ?? '');

  return {
    article: {
      format: 'ninjs',
      headline,
      subheadline: subheadlineOf(item),
      byline: bylineOf(item),
      publishedAt,
      photo: pictureOf(item) ?? bodyPhoto,
      body: paragraphs,
      sources: detectSources(paragraphs),
      poll: null,
      comments: [],
      commentTotal: null,
      canonicalUrl: collapseWhitespace(item.uri),
      ...(language !== '' ? { language } : {}),
    },
    statedVersion: {
      version: item.version !== null && VERSION_NUMBER.test(item.version.trim()) ? item.version.trim() : null,
      versionCreated:
        item.versionCreated === null
          ? null
          : timestampAt(item.major === 3 ? 'versionCreated' : 'versioncreated', item.versionCreated),
    },
  };
}

/** Checks the item against its version's schema and reads it; see ninjs-schemas.ts. */
function readNinjs(value: Readonly<Record<string, unknown>>): NinjsReading {
  const major = ninjsMajorOf(value);
  if (major === 1) return readNinjs1(checked(ninjs1Schema, value, major), value);
  if (major === 2) return readNinjs2(checked(ninjs2Schema, value, major));
  return readNinjs3(checked(ninjs3Schema, value, major));
}

/** @throws ArticleRejectedError `invalid-ninjs`, with one issue per field that breaks the schema */
function checked<Schema extends z.ZodMiniType>(schema: Schema, value: unknown, major: NinjsMajor): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const summary = details.map(({ path, message }) => (path === '' ? message : `${path}: ${message}`));
  throw new ArticleRejectedError(
    'invalid-ninjs',
    `Invalid ninjs ${major}.x item: ${summary.slice(0, 5).join('; ')}`,
    details,
  );
}

/** The headline whose role is `main` (or unstated), else the first that is not a subheadline. */
function mainHeadline(headlines: readonly NinjsText[]): string | null {
  const candidates = headlines.filter((headline) => !SUBHEADLINE_ROLES.has(headline.role?.toLowerCase() ?? ''));
  const main =
    candidates.find((headline) => headline.role === null || /^(?:main|headline)$/i.test(headline.role)) ??
    candidates[0];
  return main ? nonEmpty(textOf(main)) : null;
}

/**
 * A `subhead` headline, else the description meant as a summary (not a caption). A description
 * longer than a dek may be is the story's opening, not a dek, so it is not used.
 */
function subheadlineOf(item: NinjsReading): string | null {
  const subhead = item.headlines.find((headline) => SUBHEADLINE_ROLES.has(headline.role?.toLowerCase() ?? ''));
  if (subhead) return nonEmpty(textOf(subhead));
  const description = item.descriptions.find((entry) => !NOT_A_DEK_ROLES.has(entry.role?.toLowerCase() ?? ''));
  const dek = description ? nonEmpty(textOf(description)) : null;
  return dek !== null && [...dek].length <= LIMITS.maxSubheadlineChars ? dek : null;
}

function bylineOf(item: NinjsReading): Byline {
  const agencies = item.copyrightHolder === null ? [] : [item.copyrightHolder];
  const stated = item.by === null ? null : parseWireByline(item.by, agencies);
  if (stated !== null && stated.authors.length > 0) return stated;
  const people = item.people
    .filter((person) => person.rel !== null && AUTHOR_RELS.test(person.rel))
    .map((person) => nonEmpty(person.name ?? ''))
    .filter((name): name is string => name !== null);
  return { authors: people, organization: stated?.organization ?? null };
}

/** The caption and credit of the first picture: its caption-role (or first) description, and who made it. */
function pictureOf(item: NinjsReading): Photo | null {
  if (!item.picture) return null;
  const { descriptions } = item.picture;
  const description = descriptions.find((entry) => entry.role?.toLowerCase() === 'caption') ?? descriptions[0];
  const caption = description ? nonEmpty(textOf(description)) : null;
  const credit = nonEmpty(item.picture.by ?? item.picture.copyrightHolder ?? '');
  return caption === null && credit === null ? null : { caption, credit };
}

/** The first HTML body with paragraphs, else the first plain-text one. */
function readBody(bodies: readonly NinjsText[]): { paragraphs: string[]; photo: Photo | null } {
  for (const body of bodies.filter((entry) => entry.html)) {
    const read = readHtmlBody(body.value);
    if (read.paragraphs.length > 0) return read;
  }
  for (const body of bodies.filter((entry) => !entry.html)) {
    const paragraphs = readTextBody(body.value);
    if (paragraphs.length > 0) return { paragraphs, photo: null };
  }
  return { paragraphs: [], photo: null };
}

function textOf(entry: NinjsText): string {
  return entry.html ? htmlToText(entry.value) : collapseWhitespace(entry.value);
}

function timestampAt(path: string, value: string): string {
  try {
    return parseIsoTimestamp(value);
  } catch (error) {
    if (!(error instanceof ArticleRejectedError)) throw error;
    throw new ArticleRejectedError(error.code, `${path}: ${error.message}`, [{ path, message: error.message }]);
  }
}

function nonEmpty(value: string): string | null {
  const text = collapseWhitespace(value);
  return text === '' ? null : text;
}
