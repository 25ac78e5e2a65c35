import type { DynamoDBRecord } from 'aws-lambda';
import {
  assertValidPattern,
  InvalidEventPatternError,
  matchesPattern,
  type EventPattern,
} from '../../shared/event-pattern';
import { topology } from '../../infra/topology';

const articleEvent = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'ArticleIngested',
  source: 'newsroom.articles',
  account: '000000000000',
  time: '2026-05-01T12:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:s3:::bucket/articles/a1.json'],
  detail: {
    schemaVersion: 1,
    articleId: 'a1',
    headline: 'Harbour Reopens',
    wordCount: 420,
    breaking: false,
    section: null,
    tags: ['city', 'transport'],
    authors: [
      { name: 'Ana', role: 'writer' },
      { name: 'Ben', role: 'photographer' },
    ],
  },
};

function streamRecord(overrides: Partial<DynamoDBRecord> = {}): DynamoDBRecord {
  return {
    eventID: 'c4d9ce0c-88ff-412c-8a2d-39484ff958cb',
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: 1_777_000_000,
      Keys: { pk: { S: 'ARTICLE#a1' }, sk: { S: 'META' } },
      NewImage: { pk: { S: 'ARTICLE#a1' }, sk: { S: 'META' }, version: { N: '1' } },
      SequenceNumber: '000000000000000000001',
      SizeBytes: 40,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-01-01T00:00:00.000',
    ...overrides,
  };
}

describe('matchesPattern', () => {
  describe('exact values', () => {
    it('matches when any listed string equals the field', () => {
      expect(matchesPattern({ source: ['other', 'newsroom.articles'] }, articleEvent)).toBe(true);
      expect(matchesPattern({ source: ['other'] }, articleEvent)).toBe(false);
    });

    it('compares numbers, booleans and null by type and value', () => {
      expect(matchesPattern({ detail: { wordCount: [420] } }, articleEvent)).toBe(true);
      expect(matchesPattern({ detail: { wordCount: ['420'] } }, articleEvent)).toBe(false);
      expect(matchesPattern({ detail: { breaking: [false] } }, articleEvent)).toBe(true);
      expect(matchesPattern({ detail: { breaking: [true] } }, articleEvent)).toBe(false);
      expect(matchesPattern({ detail: { section: [null] } }, articleEvent)).toBe(true);
    });

    it('does not let null match a missing field', () => {
      expect(matchesPattern({ detail: { missing: [null] } }, articleEvent)).toBe(false);
    });

    it('requires every field of the pattern to match', () => {
      expect(matchesPattern({ source: ['newsroom.articles'], 'detail-type': ['ArticleIngested'] }, articleEvent)).toBe(
        true,
      );
      expect(matchesPattern({ source: ['newsroom.articles'], 'detail-type': ['CommentPosted'] }, articleEvent)).toBe(
        false,
      );
    });

    it('treats the empty pattern as matching everything', () => {
      expect(matchesPattern({}, articleEvent)).toBe(true);
    });
  });

  describe('arrays in the event', () => {
    it('matches an array field when any element matches', () => {
      expect(matchesPattern({ detail: { tags: ['transport'] } }, articleEvent)).toBe(true);
      expect(matchesPattern({ detail: { tags: ['sport'] } }, articleEvent)).toBe(false);
    });

    it('matches a nested pattern when one array element satisfies all of it', () => {
      expect(matchesPattern({ detail: { authors: { name: ['Ben'], role: ['photographer'] } } }, articleEvent)).toBe(
        true,
      );
      expect(matchesPattern({ detail: { authors: { name: ['Ana'], role: ['photographer'] } } }, articleEvent)).toBe(
        false,
      );
    });
  });

  describe('nested objects', () => {
    it('does not match when the nested object is missing', () => {
      expect(matchesPattern({ detail: { nope: { deeper: ['x'] } } }, articleEvent)).toBe(false);
    });

    it('does not match a scalar field with a nested pattern', () => {
      expect(matchesPattern({ source: { inner: ['x'] } }, articleEvent)).toBe(false);
    });
  });

  describe('prefix and suffix', () => {
    it('matches string prefixes and suffixes', () => {
      expect(matchesPattern({ source: [{ prefix: 'newsroom.' }] }, articleEvent)).toBe(true);
      expect(matchesPattern({ source: [{ prefix: 'shop.' }] }, articleEvent)).toBe(false);
      expect(matchesPattern({ resources: [{ suffix: '.json' }] }, articleEvent)).toBe(true);
      expect(matchesPattern({ resources: [{ suffix: '.html' }] }, articleEvent)).toBe(false);
    });

    it('supports case-insensitive prefix and suffix', () => {
      expect(
        matchesPattern({ detail: { headline: [{ prefix: { 'equals-ignore-case': 'harbour' } }] } }, articleEvent),
      ).toBe(true);
      expect(
        matchesPattern({ detail: { headline: [{ suffix: { 'equals-ignore-case': 'REOPENS' } }] } }, articleEvent),
      ).toBe(true);
    });

    it('never matches non-strings', () => {
      expect(matchesPattern({ detail: { wordCount: [{ prefix: '4' }] } }, articleEvent)).toBe(false);
    });
  });

  describe('anything-but', () => {
    it('excludes one value or a list of values', () => {
      expect(matchesPattern({ source: [{ 'anything-but': 'shop' }] }, articleEvent)).toBe(true);
      expect(matchesPattern({ source: [{ 'anything-but': ['shop', 'newsroom.articles'] }] }, articleEvent)).toBe(false);
      expect(matchesPattern({ detail: { wordCount: [{ 'anything-but': [100, 200] }] } }, articleEvent)).toBe(true);
      expect(matchesPattern({ detail: { wordCount: [{ 'anything-but': 420 }] } }, articleEvent)).toBe(false);
    });

    it('excludes by prefix, suffix, case-insensitively or by wildcard', () => {
      expect(matchesPattern({ source: [{ 'anything-but': { prefix: 'newsroom.' } }] }, articleEvent)).toBe(false);
      expect(matchesPattern({ source: [{ 'anything-but': { prefix: 'shop.' } }] }, articleEvent)).toBe(true);
      expect(matchesPattern({ source: [{ 'anything-but': { suffix: '.articles' } }] }, articleEvent)).toBe(false);
      expect(
        matchesPattern({ source: [{ 'anything-but': { 'equals-ignore-case': 'NEWSROOM.ARTICLES' } }] }, articleEvent),
      ).toBe(false);
      expect(matchesPattern({ source: [{ 'anything-but': { wildcard: 'newsroom.*' } }] }, articleEvent)).toBe(false);
    });

    it('does not match a missing field', () => {
      expect(matchesPattern({ detail: { missing: [{ 'anything-but': 'x' }] } }, articleEvent)).toBe(false);
    });
  });

  describe('exists', () => {
    it('matches present leaves with true and missing fields with false', () => {
      expect(matchesPattern({ detail: { articleId: [{ exists: true }] } }, articleEvent)).toBe(true);
      expect(matchesPattern({ detail: { articleId: [{ exists: false }] } }, articleEvent)).toBe(false);
      expect(matchesPattern({ detail: { missing: [{ exists: false }] } }, articleEvent)).toBe(true);
      expect(matchesPattern({ detail: { missing: [{ exists: true }] } }, articleEvent)).toBe(false);
    });

    it('treats a field under a missing parent as missing', () => {
      expect(matchesPattern({ nothing: { here: [{ exists: false }] } }, articleEvent)).toBe(true);
    });

    it('counts an explicit null as present', () => {
      expect(matchesPattern({ detail: { section: [{ exists: true }] } }, articleEvent)).toBe(true);
    });
  });

  describe('numeric', () => {
    it('applies every comparison of the range', () => {
      expect(matchesPattern({ detail: { wordCount: [{ numeric: ['>', 0, '<=', 420] }] } }, articleEvent)).toBe(true);
      expect(matchesPattern({ detail: { wordCount: [{ numeric: ['>', 0, '<', 420] }] } }, articleEvent)).toBe(false);
      expect(matchesPattern({ detail: { wordCount: [{ numeric: ['=', 420] }] } }, articleEvent)).toBe(true);
      expect(matchesPattern({ detail: { wordCount: [{ numeric: ['>=', 421] }] } }, articleEvent)).toBe(false);
    });

    it('never matches strings, even numeric-looking ones', () => {
      expect(matchesPattern({ n: [{ numeric: ['>', 0] }] }, { n: '5' })).toBe(false);
    });
  });

  describe('equals-ignore-case', () => {
    it('compares strings regardless of case', () => {
      expect(matchesPattern({ 'detail-type': [{ 'equals-ignore-case': 'articleingested' }] }, articleEvent)).toBe(true);
      expect(matchesPattern({ 'detail-type': [{ 'equals-ignore-case': 'articlerejected' }] }, articleEvent)).toBe(
        false,
      );
    });
  });

  describe('wildcard', () => {
    it('lets * stand for any run of characters', () => {
      expect(matchesPattern({ resources: [{ wildcard: 'arn:aws:s3:::bucket/*/a1.json' }] }, articleEvent)).toBe(true);
      expect(matchesPattern({ resources: [{ wildcard: '*.html' }] }, articleEvent)).toBe(false);
      expect(matchesPattern({ source: [{ wildcard: 'newsroom.*' }] }, articleEvent)).toBe(true);
    });

    it('treats regular-expression characters literally and \\* as a star', () => {
      expect(matchesPattern({ v: [{ wildcard: 'a.c' }] }, { v: 'abc' })).toBe(false);
      expect(matchesPattern({ v: [{ wildcard: 'a\\*c' }] }, { v: 'a*c' })).toBe(true);
      expect(matchesPattern({ v: [{ wildcard: 'a\\*c' }] }, { v: 'abc' })).toBe(false);
    });
  });

  describe('$or', () => {
    it('matches when any alternative matches, together with the other fields', () => {
      const pattern: EventPattern = {
        source: ['newsroom.articles'],
        $or: [{ detail: { wordCount: [{ numeric: ['>', 1000] }] } }, { detail: { tags: ['city'] } }],
      };
      expect(matchesPattern(pattern, articleEvent)).toBe(true);
      expect(matchesPattern({ ...pattern, source: ['shop'] }, articleEvent)).toBe(false);
      expect(
        matchesPattern(
          { $or: [{ detail: { wordCount: [{ numeric: ['>', 1000] }] } }, { detail: { tags: ['sport'] } }] },
          articleEvent,
        ),
      ).toBe(false);
    });

    it('works inside nested objects', () => {
      expect(matchesPattern({ detail: { $or: [{ articleId: ['zz'] }, { breaking: [false] }] } }, articleEvent)).toBe(
        true,
      );
    });
  });

  describe('Lambda filter criteria on DynamoDB stream records', () => {
    const [publishChanges] = topology.functions.filter((fn) => fn.name === 'publish-article-changes');
    const filter: EventPattern = { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: ['META'] } } } };

    it('uses the same filter as the topology', () => {
      expect(publishChanges?.trigger).toMatchObject({ kind: 'queue', streamFilters: [filter] });
    });

    it('accepts inserts and modifies of META items', () => {
      expect(matchesPattern(filter, streamRecord())).toBe(true);
      expect(matchesPattern(filter, streamRecord({ eventName: 'MODIFY' }))).toBe(true);
    });

    it('rejects removes', () => {
      const record = streamRecord({ eventName: 'REMOVE' });
      record.dynamodb = { ...record.dynamodb, OldImage: record.dynamodb?.NewImage, NewImage: undefined };
      expect(matchesPattern(filter, record)).toBe(false);
    });

    it('rejects items with another sort key', () => {
      const record = streamRecord();
      const keys = { pk: { S: 'ARTICLE#a1' }, sk: { S: 'COMMENT#1' } };
      record.dynamodb = { ...record.dynamodb, Keys: keys, NewImage: keys };
      expect(matchesPattern(filter, record)).toBe(false);
    });

    it('matches AttributeValue JSON with prefix on the typed value', () => {
      expect(matchesPattern({ dynamodb: { Keys: { pk: { S: [{ prefix: 'ARTICLE#' }] } } } }, streamRecord())).toBe(
        true,
      );
    });
  });

  describe('invalid patterns', () => {
    it('throws on unknown operators instead of silently never matching', () => {
      expect(() => matchesPattern({ source: [{ startsWith: 'x' }] }, articleEvent)).toThrow(InvalidEventPatternError);
      expect(() => assertValidPattern({ source: [{ numeric: ['>>', 1] }] })).toThrow(InvalidEventPatternError);
      expect(() => assertValidPattern({ source: [] })).toThrow(InvalidEventPatternError);
      expect(() => assertValidPattern({ $or: [{ a: [{ sufix: 'x' }] }] })).toThrow(InvalidEventPatternError);
    });

    it('accepts every supported operator', () => {
      expect(() =>
        assertValidPattern({
          a: ['x', 1, true, null, { prefix: 'p' }, { suffix: 's' }, { 'anything-but': ['x'] }, { exists: true }],
          b: [{ numeric: ['>', 0, '<=', 5] }, { 'equals-ignore-case': 'X' }, { wildcard: 'x*' }],
          $or: [
            { c: [{ 'anything-but': { prefix: 'x' } }] },
            { d: { e: [{ prefix: { 'equals-ignore-case': 'x' } }] } },
          ],
        }),
      ).not.toThrow();
    });
  });
});
