/**
 * The fields of an IPTC ninjs item that ingest maps, for each major version, as zod schemas that
 * mirror the published JSON Schemas (vendored in `schemas/`, with their licence): the same names
 * and types, `uri` required, `value` required in headlines, descriptions and bodies. Only what is
 * mapped is checked, and unknown fields are allowed (zod drops them): wire services deliver
 * ninjs with vendor extensions that the official schemas, closed to other properties, reject.
 * The published schemas themselves (28 to 46 KB each, and a validator for two JSON Schema
 * dialects) would not fit the ingest bundle's budget; `test/unit/parse/ninjs-schemas.test.ts`
 * holds these mirrors to the vendored files, field by field.
 *
 * Each version is read into one `NinjsReading`, so the mapping to an article exists once.
 */
import * as z from '../../../validation';

const text = z.optional(z.string());

const headline2 = z.object({ role: text, contenttype: text, value: z.string() });
const headline3 = z.object({ role: text, contentType: text, value: z.string() });
const body2 = z.object({ role: text, contenttype: text, value: z.string() });
const body3 = z.object({ role: text, contentType: text, value: z.string() });
const person = z.object({ name: text, rel: text });

/** ninjs 1.x: lower-case names, one `headline`, `description_*` and `body_*` strings, associations by name. */
export const ninjs1Schema = z.object({
  uri: z.string(),
  type: text,
  version: text,
  versioncreated: text,
  firstcreated: text,
  language: text,
  headline: text,
  description_text: text,
  description_html: text,
  body_html: text,
  body_text: text,
  byline: text,
  copyrightholder: text,
  person: z.optional(z.array(person)),
  /** An object of ninjs items by name; read one by one (see `readNinjs`), never as a record. */
  associations: z.optional(z.unknown()),
});

export const ninjs1AssociationSchema = z.object({
  type: text,
  headline: text,
  description_text: text,
  description_html: text,
  byline: text,
  copyrightholder: text,
});

const association2 = z.object({
  type: text,
  headlines: z.optional(z.array(headline2)),
  descriptions: z.optional(z.array(headline2)),
  by: text,
  copyrightholder: text,
});

/** ninjs 2.x: `headlines[]`, `descriptions[]`, `bodies[]` with roles, `by`, `people[]`, associations as a list. */
export const ninjs2Schema = z.object({
  uri: z.string(),
  type: text,
  version: text,
  versioncreated: text,
  firstcreated: text,
  language: text,
  headlines: z.optional(z.array(headline2)),
  descriptions: z.optional(z.array(headline2)),
  bodies: z.optional(z.array(body2)),
  by: text,
  copyrightholder: text,
  people: z.optional(z.array(person)),
  associations: z.optional(z.array(association2)),
});

const association3 = z.object({
  type: text,
  headlines: z.optional(z.array(headline3)),
  descriptions: z.optional(z.array(headline3)),
  by: text,
  copyrightHolder: text,
});

/** ninjs 3.x: the 2.x fields in camelCase (`versionCreated`, `contentType`, `copyrightHolder`). */
export const ninjs3Schema = z.object({
  uri: z.string(),
  type: text,
  version: text,
  versionCreated: text,
  firstCreated: text,
  language: text,
  headlines: z.optional(z.array(headline3)),
  descriptions: z.optional(z.array(headline3)),
  bodies: z.optional(z.array(body3)),
  by: text,
  copyrightHolder: text,
  people: z.optional(z.array(person)),
  associations: z.optional(z.array(association3)),
});

export type NinjsMajor = 1 | 2 | 3;

/** A headline, description or body with its role; `html` when its content type says HTML. */
export interface NinjsText {
  role: string | null;
  html: boolean;
  value: string;
}

/** A ninjs item of any version, as the mapping reads it. */
export interface NinjsReading {
  major: NinjsMajor;
  uri: string;
  type: string | null;
  version: string | null;
  versionCreated: string | null;
  firstCreated: string | null;
  language: string | null;
  headlines: NinjsText[];
  descriptions: NinjsText[];
  bodies: NinjsText[];
  by: string | null;
  people: Array<{ name: string | null; rel: string | null }>;
  copyrightHolder: string | null;
  /** The first association whose type is `picture`. */
  picture: { descriptions: NinjsText[]; by: string | null; copyrightHolder: string | null } | null;
}

/** The 3.x names that 1.x and 2.x spell in lower case: any of them makes an item 3.x. */
const CAMEL_CASE_FIELDS = ['versionCreated', 'firstCreated', 'contentCreated', 'copyrightHolder', 'pubStatus'];
/** Fields 2.x introduced (and 3.x kept), which 1.x does not have. */
const LIST_FIELDS = ['headlines', 'descriptions', 'bodies', 'people', 'by'];

/**
 * Which major version an item is: the one its `standard` (2.x, 3.x) or `$standard` (1.x) states,
 * else the one its field names belong to.
 */
export function ninjsMajorOf(item: Readonly<Record<string, unknown>>): NinjsMajor {
  const standard = item['standard'] ?? item['$standard'];
  if (typeof standard === 'object' && standard !== null && 'version' in standard) {
    const stated = Number.parseInt(String(standard.version), 10);
    if (stated === 1 || stated === 2 || stated === 3) return stated;
  }
  const has = (field: string): boolean => Object.hasOwn(item, field);
  if (CAMEL_CASE_FIELDS.some(has)) return 3;
  if (LIST_FIELDS.some(has) || Array.isArray(item['associations'])) return 2;
  return 1;
}

const isHtml = (contentType: string | undefined): boolean => /html/i.test(contentType ?? '');
/** HTML or plain text (or unstated); a body as XML (`application/nitf+xml`) is some other rendering of the same text. */
const isReadable = (contentType: string | undefined): boolean =>
  contentType === undefined || /html|^text\/plain/i.test(contentType.trim());
const orNull = (value: string | undefined): string | null => value ?? null;

export function readNinjs1(item: z.output<typeof ninjs1Schema>, raw: Readonly<Record<string, unknown>>): NinjsReading {
  // 1.x names further headlines, descriptions and bodies by suffix: `headline_subhead`, `body_xhtml`.
  const suffixed = (prefix: string): NinjsText[] =>
    Object.entries(raw).flatMap(([name, value]) =>
      name.startsWith(prefix) && typeof value === 'string'
        ? [{ role: name.slice(prefix.length), html: /html/i.test(name), value }]
        : [],
    );
  const main = (value: string | undefined, role: string | null, html: boolean): NinjsText[] =>
    value === undefined ? [] : [{ role, html, value }];
  return {
    major: 1,
    uri: item.uri,
    type: orNull(item.type),
    version: orNull(item.version),
    versionCreated: orNull(item.versioncreated),
    firstCreated: orNull(item.firstcreated),
    language: orNull(item.language),
    headlines: [...main(item.headline, null, false), ...suffixed('headline_')],
    descriptions: [
      ...main(item.description_text, null, false),
      ...main(item.description_html, null, true),
      ...suffixed('description_').filter((d) => d.role !== 'text' && d.role !== 'html'),
    ],
    bodies: [
      ...main(item.body_html, 'html', true),
      ...main(item.body_text, 'text', false),
      ...suffixed('body_').filter((b) => b.role !== 'text' && b.role !== 'html' && /html|text/i.test(b.role ?? '')),
    ],
    by: orNull(item.byline),
    people: (item.person ?? []).map((p) => ({ name: orNull(p.name), rel: orNull(p.rel) })),
    copyrightHolder: orNull(item.copyrightholder),
    picture: firstPicture1(item.associations),
  };
}

/** The first picture among 1.x associations (an object of items by name, in the order written). */
function firstPicture1(associations: unknown): NinjsReading['picture'] {
  if (typeof associations !== 'object' || associations === null || Array.isArray(associations)) return null;
  for (const value of Object.values(associations)) {
    const parsed = ninjs1AssociationSchema.safeParse(value);
    if (!parsed.success || parsed.data.type !== 'picture') continue;
    const picture = parsed.data;
    const descriptions = [
      ...(picture.description_text === undefined ? [] : [{ role: null, html: false, value: picture.description_text }]),
      ...(picture.description_html === undefined ? [] : [{ role: null, html: true, value: picture.description_html }]),
      ...(picture.headline === undefined ? [] : [{ role: 'headline', html: false, value: picture.headline }]),
    ];
    return { descriptions, by: orNull(picture.byline), copyrightHolder: orNull(picture.copyrightholder) };
  }
  return null;
}

export function readNinjs2(item: z.output<typeof ninjs2Schema>): NinjsReading {
  const texts = (list: Array<z.output<typeof headline2>> | undefined): NinjsText[] =>
    (list ?? [])
      .filter((entry) => isReadable(entry.contenttype))
      .map((entry) => ({ role: orNull(entry.role), html: isHtml(entry.contenttype), value: entry.value }));
  const picture = (item.associations ?? []).find((association) => association.type === 'picture');
  return {
    major: 2,
    uri: item.uri,
    type: orNull(item.type),
    version: orNull(item.version),
    versionCreated: orNull(item.versioncreated),
    firstCreated: orNull(item.firstcreated),
    language: orNull(item.language),
    headlines: texts(item.headlines),
    descriptions: texts(item.descriptions),
    bodies: texts(item.bodies),
    by: orNull(item.by),
    people: (item.people ?? []).map((p) => ({ name: orNull(p.name), rel: orNull(p.rel) })),
    copyrightHolder: orNull(item.copyrightholder),
    picture: picture
      ? {
          descriptions: [...texts(picture.descriptions), ...texts(picture.headlines)],
          by: orNull(picture.by),
          copyrightHolder: orNull(picture.copyrightholder),
        }
      : null,
  };
}

export function readNinjs3(item: z.output<typeof ninjs3Schema>): NinjsReading {
  const texts = (list: Array<z.output<typeof headline3>> | undefined): NinjsText[] =>
    (list ?? [])
      .filter((entry) => isReadable(entry.contentType))
      .map((entry) => ({ role: orNull(entry.role), html: isHtml(entry.contentType), value: entry.value }));
  const picture = (item.associations ?? []).find((association) => association.type === 'picture');
  return {
    major: 3,
    uri: item.uri,
    type: orNull(item.type),
    version: orNull(item.version),
    versionCreated: orNull(item.versionCreated),
    firstCreated: orNull(item.firstCreated),
    language: orNull(item.language),
    headlines: texts(item.headlines),
    descriptions: texts(item.descriptions),
    bodies: texts(item.bodies),
    by: orNull(item.by),
    people: (item.people ?? []).map((p) => ({ name: orNull(p.name), rel: orNull(p.rel) })),
    copyrightHolder: orNull(item.copyrightHolder),
    picture: picture
      ? {
          descriptions: [...texts(picture.descriptions), ...texts(picture.headlines)],
          by: orNull(picture.by),
          copyrightHolder: orNull(picture.copyrightHolder),
        }
      : null,
  };
}
