/**
 * Holds ingest's ninjs schemas (zod mirrors of the fields it maps, ninjs-schemas.ts) to the
 * published IPTC JSON Schemas vendored beside them: every mapped field has the type the official
 * schema gives it, and every field the mirror requires the official schema requires too. And the
 * test fixtures are real ninjs: each validates against its version's official schema, with the
 * one allowance ingest makes, unknown (vendor) fields at the top level.
 */
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import * as z from '../../../shared/validation';
import {
  ninjs1AssociationSchema,
  ninjs1Schema,
  ninjs2Schema,
  ninjs3Schema,
} from '../../../shared/articles/parse/ninjs/ninjs-schemas';
import schema1 from '../../../shared/articles/parse/ninjs/schemas/ninjs-schema_1.6.json';
import schema2 from '../../../shared/articles/parse/ninjs/schemas/ninjs-schema_2.2.json';
import schema3 from '../../../shared/articles/parse/ninjs/schemas/ninjs-schema_3.1.json';
import { readFixture } from './fixtures';

type Schema = { [key: string]: unknown };

/** Follows a local `$ref` (`#`, `#/$defs/x`) within `root`. */
function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema['$ref'];
  if (typeof ref !== 'string') return schema;
  const target = ref
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .reduce<Schema>((at, part) => at[part] as Schema, root);
  const { $ref: _ref, ...rest } = schema;
  const base = resolve(target, root);
  return { ...base, ...rest, properties: { ...(base['properties'] as Schema), ...(rest['properties'] as Schema) } };
}

/**
 * Compares a mirror (as JSON Schema) with the official schema at the same place: the same type,
 * and for objects and arrays the same, recursively, for every property the mirror has.
 * Returns the disagreements as `path: mirror ≠ official`.
 */
function disagreements(mirror: Schema, official: Schema, root: Schema, path: string): string[] {
  const resolved = resolve(official, root);
  const problems: string[] = [];
  if (mirror['type'] !== undefined && mirror['type'] !== resolved['type']) {
    problems.push(`${path}: ${JSON.stringify(mirror['type'])} ≠ ${JSON.stringify(resolved['type'])}`);
  }
  const required = new Set((resolved['required'] as string[] | undefined) ?? []);
  for (const field of (mirror['required'] as string[] | undefined) ?? []) {
    if (!required.has(field)) problems.push(`${path}.${field}: required by the mirror only`);
  }
  const properties = (mirror['properties'] as Record<string, Schema> | undefined) ?? {};
  const officialProperties = (resolved['properties'] as Record<string, Schema> | undefined) ?? {};
  // 1.x names some fields by pattern (`^body_[a-zA-Z0-9_]+` covers body_html and body_text).
  const patterns = Object.entries((resolved['patternProperties'] as Record<string, Schema> | undefined) ?? {});
  for (const [name, property] of Object.entries(properties)) {
    const counterpart = officialProperties[name] ?? patterns.find(([pattern]) => new RegExp(pattern).test(name))?.[1];
    if (!counterpart) problems.push(`${path}.${name}: not in the official schema`);
    else problems.push(...disagreements(property, counterpart, root, `${path}.${name}`));
  }
  if (mirror['items'] && resolved['items']) {
    problems.push(...disagreements(mirror['items'] as Schema, resolved['items'] as Schema, root, `${path}[]`));
  }
  return problems;
}

const asJsonSchema = (schema: z.ZodMiniType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema;

describe('the ninjs mirrors agree with the published schemas', () => {
  it.each([
    ['1.x', ninjs1Schema, schema1 as Schema],
    ['2.x', ninjs2Schema, { ...(schema2 as Schema), $ref: '#/$defs/ninjsType' }],
    ['3.x', ninjs3Schema, { ...(schema3 as Schema), $ref: '#/$defs/ninjsType' }],
  ])('ninjs %s: every mapped field has the official type', (_version, mirror, official) => {
    expect(disagreements(asJsonSchema(mirror), official, official, '')).toEqual([]);
  });

  it('ninjs 1.x: an association is a ninjs item, and its mapped fields have the official types', () => {
    const official = schema1 as Schema;
    const association = (official['properties'] as Record<string, Schema>)['associations']!;
    const item = Object.values(association['patternProperties'] as Record<string, Schema>)[0]!;

    expect(item).toEqual({ $ref: '#' });
    expect(disagreements(asJsonSchema(ninjs1AssociationSchema), official, official, 'associations.*')).toEqual([]);
  });

  it('finds a disagreement when there is one (the comparison is not vacuous)', () => {
    const wrong = z.object({ uri: z.string(), version: z.number(), nonsense: z.optional(z.string()) });

    expect(disagreements(asJsonSchema(wrong), schema1 as Schema, schema1 as Schema, '')).toEqual([
      '.version: required by the mirror only',
      '.version: "number" ≠ "string"',
      '.nonsense: not in the official schema',
    ]);
  });
});

/** The official schema, allowing unknown fields at the top level as ingest does. */
function tolerant(schema: Schema): Schema {
  const { additionalProperties: _closed, unevaluatedProperties: _unevaluated, ...open } = schema;
  return open;
}

describe('the ninjs fixtures validate against the published schemas', () => {
  const fixture = (name: string) => JSON.parse(readFixture(`stories/formats/${name}`).toString('utf8'));
  // 2.x and 3.x refer to the GeoJSON schema for places, which is not vendored (no fixture has a
  // place): any value stands in for it. Formats (uri, date-time) are annotations in 2020-12.
  const ajv2020 = () =>
    new Ajv2020({ strict: false, validateFormats: false }).addSchema({
      $id: 'https://geojson.org/schema/GeoJSON.json',
    });
  const validators = {
    '1.x': new Ajv({ strict: false, validateFormats: false }).compile(tolerant(schema1 as Schema)),
    '2.x': ajv2020().compile(tolerant(schema2 as Schema)),
    '3.x': ajv2020().compile(tolerant(schema3 as Schema)),
  };

  it.each([
    ['1.x', 'ninjs-1x-ferry-timetable.json'],
    ['2.x', 'ninjs-2x-harbour-crane.json'],
    ['3.x', 'ninjs-3x-tunnel-survey.json'],
  ] as const)('ninjs %s: %s', (version, name) => {
    const validate = validators[version];

    expect(validate(fixture(name)) ? [] : validate.errors).toEqual([]);
  });

  it('would reject the fixtures’ vendor extensions without the allowance, as wire items need it', () => {
    const strict = new Ajv({ strict: false, validateFormats: false }).compile(schema1 as Schema);

    expect(strict(fixture('ninjs-1x-ferry-timetable.json'))).toBe(false);
  });
});
