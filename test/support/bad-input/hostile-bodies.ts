/**
 * fast-check arbitraries for malformed JSON request bodies. Every body is built from a valid
 * one with exactly one defect, so a route that accepts it has a gap in its validation.
 */
import * as fc from 'fast-check';
import { lookAlike } from './hostile-values';

export type JsonType = 'string' | 'number' | 'boolean';

/** What the bad-input suite knows about one body field. */
export interface FieldSpec {
  type: JsonType;
  required: boolean;
  /** `null` is accepted (as "absent"). */
  nullable?: boolean;
  /** Values of the field's own type that the route must refuse. */
  invalid: fc.Arbitrary<unknown>;
}

/** A malformed body: its bytes and the status it must get (400, or 413 past the size cap). */
export interface BadBody {
  bytes: Buffer;
  note: string;
  status: 400 | 413;
}

const VALUES_OF: Record<JsonType | 'null' | 'array' | 'object', fc.Arbitrary<unknown>> = {
  string: fc.string({ maxLength: 20 }),
  number: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
  boolean: fc.boolean(),
  null: fc.constant(null),
  array: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  object: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
};

/** A value of any JSON type the field does not take. */
function wrongType(field: FieldSpec): fc.Arbitrary<unknown> {
  const types = (Object.keys(VALUES_OF) as (keyof typeof VALUES_OF)[]).filter(
    (type) => type !== field.type && !(type === 'null' && field.nullable),
  );
  return fc.constantFrom(...types).chain((type) => VALUES_OF[type]);
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

/** One field missing, added, of the wrong type or with a refused value; `null` means no body fields are known. */
export function fieldDefect(
  valid: Record<string, unknown>,
  fields: Record<string, FieldSpec>,
): fc.Arbitrary<{ body: Buffer; note: string }> {
  const names = Object.keys(fields);
  const required = names.filter((name) => fields[name]!.required);
  const extraName = fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 20 }),
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'id', 'status', 'admin'),
      fc.constantFrom(...names).chain(lookAlike),
    )
    .filter((name) => !names.includes(name));
  const defects: fc.Arbitrary<{ body: Buffer; note: string }>[] = [
    fc.tuple(extraName, fc.jsonValue({ maxDepth: 2 })).map(([name, value]) => ({
      body: Buffer.from(JSON.stringify(valid).replace(/^\{/, `{${JSON.stringify(name)}:${JSON.stringify(value)},`)),
      note: `extra field ${JSON.stringify(name)}`,
    })),
    fc.constantFrom(...names).chain((name) =>
      fc.oneof(wrongType(fields[name]!), fields[name]!.invalid).map((value) => ({
        body: json({ ...valid, [name]: value }),
        note: `${name} = ${preview(JSON.stringify(value) ?? 'undefined')}`,
      })),
    ),
  ];
  if (required.length > 0) {
    defects.push(
      fc.constantFrom(...required).map((name) => ({
        body: json(Object.fromEntries(Object.entries(valid).filter(([key]) => key !== name))),
        note: `missing ${name}`,
      })),
    );
  }
  return fc.oneof(...defects);
}

/** Byte sequences no valid UTF-8 text contains: stray continuations, overlongs, surrogates, truncations. */
const INVALID_UTF8 = [
  [0xff],
  [0xfe],
  [0x80],
  [0xbf],
  [0xc0, 0xaf],
  [0xc1, 0xbf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xc3],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
].map((bytes) => Buffer.from(bytes));

/** JSON escapes of lone surrogates: valid JSON syntax, but not text. */
const LONE_SURROGATES = ['\\ud800', '\\udfff', '\\udc00\\ud800', '\\ud83d', 'x\\ude00'];

const MARKER = 'Zq7MARKERq7Z';

/**
 * The valid body's text with `insert` placed inside one string: the first string field's value
 * if there is one (where a lenient decoder would let it through as text), else the first key.
 */
function withInsideString(valid: Record<string, unknown>, fields: Record<string, FieldSpec>, insert: Buffer): Buffer {
  const stringField = Object.keys(valid).find(
    (name) => fields[name]?.type === 'string' && typeof valid[name] === 'string',
  );
  const text = stringField
    ? JSON.stringify({
        ...valid,
        [stringField]: `${(valid[stringField] as string).slice(0, 4)}${MARKER}${(valid[stringField] as string).slice(4)}`,
      })
    : JSON.stringify(valid).replace(/^\{"/, `{"${MARKER}`);
  const [before, after] = text.split(MARKER) as [string, string];
  return Buffer.concat([Buffer.from(before, 'utf8'), insert, Buffer.from(after ?? '', 'utf8')]);
}

/** JSON text with `key` written twice: first with `first`, then with the valid value, which a last-wins parser keeps. */
function withDuplicateKey(valid: Record<string, unknown>, key: string, first: unknown): Buffer {
  const entries = Object.entries(valid).map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value)}`);
  return Buffer.from(`{${JSON.stringify(key)}:${JSON.stringify(first)},${entries.join(',')}}`, 'utf8');
}

/**
 * Bodies that are not acceptable JSON objects: syntax errors, invalid UTF-8, lone surrogates,
 * raw control characters, duplicate keys, non-objects, deep nesting, byte-order marks, other
 * encodings, and bodies over `capBytes` (413).
 */
export function malformedBody(
  valid: Record<string, unknown>,
  fields: Record<string, FieldSpec>,
  capBytes: number,
): fc.Arbitrary<BadBody> {
  const text = JSON.stringify(valid);
  const keys = Object.keys(valid);
  const bad = (note: string, bytes: Buffer | string, status: 400 | 413 = 400): BadBody => ({
    bytes: typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes,
    note,
    status,
  });
  const kinds: fc.Arbitrary<BadBody>[] = [
    fc
      .constantFrom(
        '',
        ' ',
        '\n',
        '{',
        '}',
        '{"',
        "{'a':1}",
        '{a:1}',
        'undefined',
        'NaN',
        '{"a":1,}',
        '{"a" 1}',
        '[1,]',
      )
      .map((t) => bad(`syntax ${JSON.stringify(t)}`, t)),
    fc
      .constantFrom(`x${text}`, `${text}x`, `${text}${text}`, `${text},`, `[${text}`, `// c\n${text}`, `/*c*/${text}`)
      .map((t) => bad('syntax around a valid body', t)),
    fc.integer({ min: 1, max: Math.max(1, text.length - 1) }).map((n) => bad(`truncated by ${n}`, text.slice(0, -n))),
    fc.nat({ max: text.length }).map((i) => bad(`stray quote at ${i}`, `${text.slice(0, i)}"${text.slice(i)}`)),
    fc
      .constantFrom(...INVALID_UTF8)
      .map((bytes) => bad(`invalid UTF-8 ${bytes.toString('hex')}`, withInsideString(valid, fields, bytes))),
    fc
      .constantFrom(...LONE_SURROGATES)
      .map((escape) => bad(`lone surrogate ${escape}`, withInsideString(valid, fields, Buffer.from(escape)))),
    fc
      .integer({ min: 0, max: 0x1f })
      .map((code) => bad(`raw control U+${code.toString(16)}`, withInsideString(valid, fields, Buffer.from([code])))),
    fc
      .constantFrom('null', 'true', 'false', '0', '-1', '1e999', '"text"', '[]', `[${text}]`, '[{}]')
      .map((t) => bad(`not an object: ${preview(t)}`, t)),
    fc
      .integer({ min: 100, max: Math.floor(capBytes / 2) - 2 })
      .map((depth) => bad(`array nested ${depth} deep`, `${'['.repeat(depth)}${']'.repeat(depth)}`)),
    fc
      .integer({ min: 100, max: Math.floor(capBytes / 7) - 2 })
      .map((depth) => bad(`object nested ${depth} deep`, `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)),
    fc.constant(bad('byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))),
    fc
      .constantFrom('utf16le', 'ucs2')
      .map((encoding) => bad(`encoded as ${encoding}`, Buffer.from(text, encoding as BufferEncoding))),
    fc
      .integer({ min: capBytes + 1, max: capBytes * 3 })
      .chain((size) =>
        fc.constantFrom(
          bad(`${size} bytes: long field`, JSON.stringify({ ...valid, [keys[0] ?? 'text']: 'x'.repeat(size) }), 413),
          bad(`${size} bytes: trailing spaces`, `${text}${' '.repeat(size)}`, 413),
          bad(`${size} bytes: many fields`, JSON.stringify(manyFields(valid, size)), 413),
        ),
      ),
  ];
  if (keys.length > 0) {
    kinds.push(
      fc
        .tuple(fc.constantFrom(...keys), fc.integer({ min: 50, max: Math.floor(capBytes / 3) - 50 - text.length }))
        .map(([key, depth]) =>
          bad(
            `${key} nested ${depth} deep`,
            text.replace(/\}$/, `,"${key}x":${'['.repeat(depth)}${']'.repeat(depth)}}`),
          ),
        ),
      fc
        .constantFrom(...keys)
        .chain((key) =>
          fc
            .oneof(fc.constant(valid[key]), fields[key]?.invalid ?? fc.constant(null))
            .map((first) => bad(`duplicate key ${key}`, withDuplicateKey(valid, key, first))),
        ),
    );
  }
  return fc.oneof(...kinds);
}

/** The valid body plus enough small extra fields to pass `size` bytes. */
function manyFields(valid: Record<string, unknown>, size: number): Record<string, unknown> {
  const body: Record<string, unknown> = { ...valid };
  let bytes = JSON.stringify(body).length;
  for (let i = 0; bytes <= size; i++) {
    body[`f${i}`] = i;
    bytes += `,"f${i}":${i}`.length;
  }
  return body;
}

export function preview(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
