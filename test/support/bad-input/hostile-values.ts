/**
 * fast-check arbitraries for hostile input pieces: path segments, query values, enum look-alikes,
 * cursors. Each arbitrary yields only values that are invalid for the field it is meant for, so
 * a request built from one valid request plus one of these values must be refused.
 */
import * as fc from 'fast-check';
import { GLOBAL_INDEXES, TABLE_KEYS } from '../../../shared/store/table-design';

/** Percent-encoded or dotted forms that try to leave, end or confuse one path segment. */
const SEGMENT_ATTACKS = [
  '..',
  '...',
  '%2e%2e',
  '%2E%2E',
  '.%2e',
  '%2e.',
  '..%2f',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '..%5c..%5cwindows',
  '%252e%252e%252f',
  '%c0%ae%c0%ae%c0%af',
  '..;',
  ';jsessionid=1',
  '%00',
  '%2500',
  '%0a',
  '%0d%0aSet-Cookie:%20x=1',
  '%09',
  '%20',
  '%7f',
  '%ff',
  '%fe%ff',
  // A lone surrogate (U+D800, U+DC00) written as UTF-8 bytes, which no valid UTF-8 contains.
  '%ed%a0%80',
  '%ed%b0%80',
  '%',
  '%%',
  '%zz',
  '%u2215',
  '%e2%80%ae',
  '%ef%bc%8e%ef%bc%8e',
  '%3f',
  '%23',
  '%2f',
  '*',
  '~',
  '$',
  "'",
  '"',
  '%22%3e%3cscript%3e',
  '%7b%7d',
  '%5b%5d',
] as const;

/** Raw traversal with real slashes: the path gains or loses segments. */
const RAW_TRAVERSALS = ['../', '../..', '..//..', '../../etc/passwd', '.../...', '..\\..'] as const;

/** Latin letters and digits with look-alikes from other scripts. */
const HOMOGLYPHS: Record<string, string[]> = {
  a: ['\u0430', '\u03b1', '\uff41'],
  b: ['\u0184', '\uff42'],
  c: ['\u0441', '\u03f2', '\uff43'],
  d: ['\u0501', '\uff44'],
  e: ['\u0435', '\u212e', '\uff45'],
  f: ['\u0192', '\uff46'],
  h: ['\u04bb'],
  i: ['\u0456', '\u0131'],
  l: ['\u04cf', '\u217c'],
  n: ['\u0578'],
  o: ['\u043e', '\u03bf'],
  p: ['\u0440'],
  r: ['\u0433'],
  s: ['\u0455'],
  t: ['\u0442'],
  u: ['\u057d'],
  x: ['\u0445'],
  y: ['\u0443'],
  '0': ['\u041e', '\uff10', '\u0660'],
  '1': ['\u217c', '\uff11', '\u0661'],
  '2': ['\uff12', '\u0662'],
  '5': ['\uff15'],
  '9': ['\uff19'],
};

/** Invisible or direction-changing characters. */
const INVISIBLES = [
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u00ad',
  '\u200e',
  '\u200f',
  '\u202e',
  '\u2066',
  '\u2069',
  '\u061c',
];

/**
 * A string that looks like `value` but is not it: a homoglyph, an invisible or direction mark,
 * a combining accent (NFD form), full-width letters, other case or surrounding spaces.
 */
export function lookAlike(value: string): fc.Arbitrary<string> {
  const at = fc.nat({ max: Math.max(0, value.length) });
  const homoglyph = fc.tuple(at, fc.nat()).map(([i, pick]) => {
    const positions = [...value].flatMap((ch, index) => (HOMOGLYPHS[ch] ? [index] : []));
    if (positions.length === 0) return `${value}\u0430`;
    const index = positions[i % positions.length]!;
    const options = HOMOGLYPHS[value[index]!]!;
    return value.slice(0, index) + options[pick % options.length]! + value.slice(index + 1);
  });
  const invisible = fc
    .tuple(at, fc.constantFrom(...INVISIBLES))
    .map(([i, mark]) => value.slice(0, i) + mark + value.slice(i));
  const combining = fc
    .tuple(at, fc.constantFrom('\u0301', '\u0308', '\u0327', '\u030a'))
    .map(([i, mark]) => value.slice(0, Math.max(1, i)) + mark + value.slice(Math.max(1, i)));
  const fullWidth = fc.constant(
    [...value].map((ch) => (/[!-~]/.test(ch) ? String.fromCodePoint(ch.codePointAt(0)! + 0xfee0) : ch)).join(''),
  );
  const cased = fc.constantFrom(value.toUpperCase(), value.charAt(0).toUpperCase() + value.slice(1));
  const padded = fc.constantFrom(
    ` ${value}`,
    `${value} `,
    `${value}\u00a0`,
    `\t${value}`,
    `${value}\u0000`,
    `${value}x`,
  );
  const cut = fc.constant(value.slice(0, -1));
  return fc.oneof(homoglyph, invisible, combining, fullWidth, cased, padded, cut).filter((v) => v !== value);
}

/** A value for an enum field (query or body) that is none of `allowed`. */
export function notOneOf(allowed: readonly string[]): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.constantFrom(...allowed).chain(lookAlike),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.constantFrom('', 'null', 'undefined', '*', allowed.join(','), allowed.join('|'), '%00'),
    )
    .filter((v) => !allowed.includes(v));
}

/** A `limit` query value that is not a whole number from 1 to `max`. */
export function badLimit(max: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.integer({ min: max + 1, max: 999 }).map(String),
    fc.integer({ min: 1000, max: 2 ** 53 }).map(String),
    fc.constantFrom('0', '00', '000', '-1', '+1', '1.5', '1e2', '0x10', ' 5', '5 ', '1,2', '', 'NaN', 'Infinity'),
    fc.constantFrom('\uff11\uff10', '\u0663', '1\u0000', '9'.repeat(400), '1%00'),
    fc.string({ unit: 'grapheme', maxLength: 20 }).filter((v) => !/^\d{1,3}$/.test(v)),
  );
}

/** A `since` value that is not a day within the last week: malformed, impossible or out of range. */
export function badSince(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '',
      'yesterday',
      '2024-13-01',
      '2024-00-10',
      '2024-01-32',
      '2024-01-01T25:00Z',
      '2024-01-01T10:61Z',
      '2024-01-01T10:00:00',
      '2024-1-1',
      '24-01-01',
      '2024-01-01T10:00:00.1234Z',
      '0000-01-01',
      '1970-01-01',
      '2010-06-15T00:00:00Z',
      '9999-12-31',
      '2999-01-01T00:00+14:00',
      '\uff12\uff10\uff12\uff14-01-01',
    ),
    fc
      .date({ min: new Date('1000-01-01'), max: new Date('2020-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
    fc
      .date({ min: new Date('2200-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
  );
}

/**
 * An `until` a ban must refuse: not an ISO-8601 date and time with an offset, a day that does not
 * exist, or a time past or more than ten years ahead.
 */
export function badUntil(): fc.Arbitrary<string> {
  const day = 86_400_000;
  return fc.oneof(
    badSince(),
    fc.constantFrom(
      '2030-01-01T00:00:00',
      '2030-01-01',
      '2030-02-30T00:00:00Z',
      '2030-01-01 00:00:00Z',
      '2030-01-01T24:00:00Z',
      '2030-01-01T00:00:00+25:00',
      '+002030-01-01T00:00:00Z',
      '2030-01-01T00:00:00z',
    ),
    fc
      .date({ min: new Date('2000-01-01'), max: new Date(Date.now() - day), noInvalidDate: true })
      .map((date) => date.toISOString()),
    fc
      .date({ min: new Date(Date.now() + 3_700 * day), max: new Date('9999-12-31'), noInvalidDate: true })
      .map((date) => date.toISOString()),
  );
}

/**
 * A raw (already encoded) path segment standing in for a parameter that must match `pattern`.
 * Never a lone `.` (or `./` before the id): that is URL syntax for "this segment", so
 * `/articles/./<id>` is `/articles/<id>` (RFC 3986, 5.2.4) and a valid request. `..` stays: it
 * climbs out of the route, which must then answer 404 or refuse the id.
 */
export function hostileSegment(existing: string, pattern: RegExp): fc.Arbitrary<string> {
  const decodedInvalid = (value: string) => !pattern.test(value);
  const singleDot = (raw: string) => /^(\.|%2e)$/i.test(raw);
  return fc.oneof(
    fc.constantFrom(...SEGMENT_ATTACKS),
    fc
      .tuple(fc.constantFrom(...SEGMENT_ATTACKS), fc.boolean())
      .map(([attack, before]) => (before ? `${attack}${existing}` : `${existing}${attack}`)),
    fc.constantFrom(...RAW_TRAVERSALS).map((traversal) => `${traversal}${existing}`),
    lookAlike(existing).filter(decodedInvalid).map(encodeURIComponent),
    fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
      .filter(decodedInvalid)
      .map(encodeURIComponent)
      .filter((raw) => !singleDot(raw)),
    // Repeated until the pattern refuses it (a reader id may be 8 to 64 characters: twice can still fit).
    fc
      .integer({ min: 2, max: Math.floor(6000 / existing.length) })
      .map((times) => existing.repeat(times))
      .filter(decodedInvalid),
    // Bytes 0x80–0xFF sent raw, as a client that does not encode its paths would.
    fc.constantFrom('\u00e9', '\u00ff\u00fe', '\u00c0\u00ae\u00c0\u00ae').map((raw) => `${existing.slice(0, 8)}${raw}`),
  );
}

const KEY_NAMES = [
  TABLE_KEYS.partitionKey,
  TABLE_KEYS.sortKey,
  ...GLOBAL_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey]),
];

/** Any JSON value but an object: what a cursor must never decode to. */
const notAnObject = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.string(),
  fc.array(fc.jsonValue(), { maxLength: 4 }),
);

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/**
 * Cursors that decode fine but are not keys of the listing: wrong shapes, wrong types, keys
 * missing, added or edited, another listing's cursor, and strings that are not base64url at all.
 * `real` holds cursors this listing and others issued, to be tampered with.
 */
export function tamperedCursor(real: readonly string[], ownReal: readonly string[]): fc.Arbitrary<string> {
  const shapes = [
    notAnObject.map(b64url),
    fc.dictionary(fc.constantFrom(...KEY_NAMES), fc.oneof(fc.string(), fc.integer(), notAnObject)).map(b64url),
    fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 })).map(b64url),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
    fc.constantFrom('e30=', 'e30', 'bnVsbA', 'W10', 'eyJwayI6MX0=', 'a b', 'a+b/c', '...', '%00', 'x'.repeat(1025)),
  ];
  if (ownReal.length > 0) {
    const own = fc.constantFrom(...ownReal);
    shapes.push(own.chain(editedCursor));
    shapes.push(own.chain((c) => fc.integer({ min: 1, max: Math.max(1, c.length - 1) }).map((n) => c.slice(0, -n))));
    shapes.push(own.map((c) => `${c}AA`));
    shapes.push(own.map((c) => `${c}=`));
  }
  const foreign = real.filter((c) => !ownReal.includes(c));
  if (foreign.length > 0) shapes.push(fc.constantFrom(...foreign));
  return fc.oneof(...shapes).filter((c) => !ownReal.includes(c));
}

/** A real cursor with one key dropped, added, retyped or its value changed out of shape. */
function editedCursor(cursor: string): fc.Arbitrary<string> {
  const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
  const names = Object.keys(key);
  const name = fc.constantFrom(...names);
  const without = name.map((n) => Object.fromEntries(Object.entries(key).filter(([k]) => k !== n)));
  const added = fc
    .tuple(fc.constantFrom(...KEY_NAMES, 'extra', '__proto__'), fc.string())
    .filter(([n]) => !(n in key))
    .map(([n, v]) => ({ ...key, [n]: v }));
  const retyped = fc
    .tuple(
      name,
      notAnObject.filter((v) => typeof v !== 'string'),
    )
    .map(([n, v]) => ({ ...key, [n]: v }));
  const reshaped = fc
    .tuple(name, fc.constantFrom('x', ' ', '\u0000', '#', '\u0430'))
    .map(([n, extra]) => ({ ...key, [n]: `${String(key[n])}${extra}` }));
  const wrapped = fc.constant({ S: key });
  return fc.oneof(without, added, retyped, reshaped, wrapped).map(b64url);
}
