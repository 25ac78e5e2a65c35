import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { REPO_ROOT, type RunningLocalStack } from '../../infra/local/local-stack';
import { testDynamoClient } from '../support/engines';
import { withLocalStack } from '../support/local-stack';
import type { MintedReader } from '../support/reader-tokens';
import { http, type HttpReply } from '../support/http';
import { tableItemsAsJson } from '../support/store-snapshot';

/**
 * Reader input named like `Object.prototype` members, end to end through the local stack: a
 * story page whose poll offers "Constructor", "__proto__", "toString"…, votes for every one of
 * them beside votes on another story, comments signed with such names, a JSON article made of
 * them, and error reports that try them as a category. Nothing may be lost, miscounted or
 * turned into program text on the way.
 */
const STORY = resolve(REPO_ROOT, 'test', 'fixtures', 'stories', 'object-prototype-poll.txt');

/** The names the issue lists, and a few more of `Object.prototype`'s own. */
const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'toLocaleString'];

/** The options of the story's poll as the page lists them, with the ids they are given. */
const STORY_OPTIONS = [
  { id: 'constructor', label: 'Constructor' },
  { id: 'proto', label: '__proto__' },
  { id: 'tostring', label: 'toString' },
  { id: 'hasownproperty', label: 'hasOwnProperty' },
  { id: 'valueof', label: 'valueOf' },
  { id: 'isprototypeof', label: 'isPrototypeOf' },
  { id: 'propertyisenumerable', label: 'propertyIsEnumerable' },
  { id: 'tolocalestring', label: 'toLocaleString' },
  { id: 'definegetter', label: '__defineGetter__' },
  { id: 'lookupsetter', label: '__lookupSetter__' },
];

/** A JSON article whose field values, and some of whose keys, are `Object.prototype` names. */
const JSON_ARTICLE = JSON.stringify({
  headline: 'constructor',
  subheadline: 'toString',
  byline: { authors: ['__proto__', 'hasOwnProperty'], organization: 'valueOf', constructor: 'ignored' },
  publishedAt: '2023-10-10T09:00:00-04:00',
  photo: { caption: 'isPrototypeOf', credit: 'toLocaleString' },
  body: ['The valueOf the constructor is toString.', 'A second paragraph about hasOwnProperty.'],
  sources: ['__proto__', 'constructor'],
  poll: { question: 'constructor is...', options: ['Constructor', 'valueOf', '__proto__'] },
  comments: [{ postedAt: '2023-10-10T10:00:00-04:00', body: 'First!', author: 'toString' }],
  categories: NAMES,
  constructor: { prototype: 'ignored' },
  toString: 'ignored',
  valueOf: 42,
  hasOwnProperty: null,
});

type Results = {
  question: string;
  options: Array<{ id: string; label: string; votes: number; percent: number }>;
  totalVotes: number;
};

let stack: RunningLocalStack;
let api: string;
let storyId: string;
let jsonId: string;

const local = withLocalStack({ name: 'prototype-names', env: { RATE_LIMITS: 'off' }, pollIntervalMs: 20 });
beforeAll(async () => {
  ({ stack, api } = local);
  const editor = await local.token('editor');
  const post = async (contentType: string, body: string) => {
    const reply = await http(`${api}/articles`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${editor}` },
      body,
    });
    expect(reply.status).toBe(201);
    return reply.body.id as string;
  };
  storyId = await post('text/plain', await readFile(STORY, 'utf8'));
  jsonId = await post('application/json', JSON_ARTICLE);
}, 60_000);

/** Readers by name, minted on first use: the names are the prototype-named strings under test. */
const readers = new Map<string, Promise<MintedReader>>();
const readerNamed = (name: string) => {
  if (!readers.has(name)) readers.set(name, local.reader());
  return readers.get(name)!;
};
const sendJson = async (path: string, body: unknown, as = 'default-reader') =>
  http(`${api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await readerNamed(as)).headers },
    body: JSON.stringify(body),
  });
const vote = (articleId: string, option: string, voter: string) =>
  sendJson(`/articles/${articleId}/poll/votes`, { option }, voter);
const results = (articleId: string) => http<Results>(`${api}/articles/${articleId}/poll`);

/** Every item of the table as canonical JSON, sorted: equal snapshots mean nothing was written. */
const tableSnapshot = () => tableItemsAsJson(testDynamoClient(), stack.endpoints.table);

describe('input named like Object.prototype members, end to end', () => {
  it('defines the poll at ingest, and shows the same options on the story and the poll, reading only', async () => {
    // Prepare: the poll item exists as soon as the story is indexed.
    await stack.idle();
    const before = await tableSnapshot();
    expect(before.some((item) => item.includes(`"pk":"ARTICLE#${storyId}"`) && item.includes('"sk":"POLL"'))).toBe(
      true,
    );

    // Act
    const [article, poll] = await Promise.all([http(`${api}/articles/${storyId}`), results(storyId)]);
    await stack.idle();

    // Assess
    expect(article.body.poll).toEqual({
      question: 'Coding Club Asks Members to Name Their Least Favorite Method is...',
      options: STORY_OPTIONS,
    });
    expect(poll.body).toEqual({
      question: article.body.poll.question,
      options: STORY_OPTIONS.map((option) => ({ ...option, votes: 0, percent: 0 })),
      totalVotes: 0,
      updatedAt: null,
    });
    expect(await tableSnapshot()).toEqual(before);
  });

  it("counts every vote for such options exactly, in the same batches as another story's votes", async () => {
    // Prepare: 3 readers per option, 5 more for `constructor`; 12 readers on the JSON story meanwhile.
    const storyVotes = [
      ...STORY_OPTIONS.flatMap(({ id }) => [1, 2, 3].map((n) => ({ option: id, voter: `story-${id}-${n}` }))),
      ...[1, 2, 3, 4, 5].map((n) => ({ option: 'constructor', voter: `story-extra-${n}` })),
    ];
    const jsonOptions = ['constructor', 'valueof', 'proto'];
    const jsonVotes = Array.from({ length: 12 }, (_, n) => ({
      option: jsonOptions[n % 3]!,
      voter: `json-reader-${n}`,
    }));

    // Act
    const replies = await Promise.all([
      ...storyVotes.map((v) => vote(storyId, v.option, `${v.voter}-token`)),
      ...jsonVotes.map((v) => vote(jsonId, v.option, `${v.voter}-token`)),
    ]);
    const repeat = await vote(storyId, 'valueof', 'story-constructor-1-token');
    await stack.idle();

    // Assess: every vote answered 201 and counted once, per option, on both stories.
    expect(replies.map((reply) => reply.status)).toEqual(replies.map(() => 201));
    expect(repeat.status).toBe(409);
    expect(repeat.body.yourVote.option).toBe('constructor');
    expect(repeat.body.options.find((o: { id: string }) => o.id === 'constructor').votes).toBeGreaterThanOrEqual(1);
    const expected = new Map(STORY_OPTIONS.map(({ id }) => [id, id === 'constructor' ? 8 : 3]));
    const shown: HttpReply<Results> = await results(storyId);
    expect(new Map(shown.body.options.map((o) => [o.id, o.votes]))).toEqual(expected);
    expect(shown.body.totalVotes).toBe(storyVotes.length);
    expect(shown.body.options.reduce((sum, o) => sum + o.percent, 0)).toBe(100);
    const other = await results(jsonId);
    expect(other.body.options.map((o) => [o.id, o.votes])).toEqual([
      ['constructor', 4],
      ['valueof', 4],
      ['proto', 4],
    ]);
    expect(other.body.totalVotes).toBe(12);
    expect(await stack.deadLetters.read('aggregate-poll-votes')).toEqual([]);
    expect(await stack.deadLetters.read('publish-poll-tallies')).toEqual([]);
    expect((await http(`${api}/articles/${storyId}`)).body.counts.votes).toBe(storyVotes.length);
    const top = await http(`${api}/polls/top?limit=5`);
    expect(top.body.items[0]).toMatchObject({
      articleId: storyId,
      totalVotes: storyVotes.length,
      leadingReaction: { id: 'constructor', label: 'Constructor', votes: 8 },
    });
  });

  it('keeps comments signed with such names, exactly as written', async () => {
    const replies = await Promise.all(
      NAMES.map((author) => sendJson(`/articles/${storyId}/comments`, { author, body: `A comment by ${author}.` })),
    );
    await stack.idle();

    expect(replies.map((reply) => reply.status)).toEqual(NAMES.map(() => 201));
    const listing = await http(`${api}/articles/${storyId}/comments?limit=50`);
    const authors = (listing.body.items as Array<{ author: string | null }>).map((item) => item.author);
    expect(authors).toEqual(expect.arrayContaining(NAMES));
    expect(listing.body.total).toBe(NAMES.length + 1);
    expect((await http(`${api}/articles/${storyId}`)).body.counts.comments).toBe(NAMES.length + 1);
  });

  it('ingests a JSON article made of such names as plain text, and ignores such keys it does not know', async () => {
    const article = (await http(`${api}/articles/${jsonId}`)).body;

    expect(article).toMatchObject({
      headline: 'constructor',
      subheadline: 'toString',
      byline: { authors: ['__proto__', 'hasOwnProperty'], organization: 'valueOf' },
      photo: { caption: 'isPrototypeOf', credit: 'toLocaleString' },
      body: ['The valueOf the constructor is toString.', 'A second paragraph about hasOwnProperty.'],
      sources: ['__proto__', 'constructor'],
      poll: {
        question: 'constructor is...',
        options: [
          { id: 'constructor', label: 'Constructor' },
          { id: 'valueof', label: 'valueOf' },
          { id: 'proto', label: '__proto__' },
        ],
      },
      embeddedComments: [{ postedAt: '2023-10-10T14:00:00.000Z', body: 'First!', author: 'toString' }],
    });
    expect(Object.keys(article)).not.toEqual(expect.arrayContaining(['categories', 'toString', 'valueOf']));
    expect(JSON.stringify(article)).not.toMatch(/native code|ignored/);
  });

  it('refuses such names as an error report category with a 400 naming the field, writing nothing', async () => {
    await stack.idle();
    const before = await tableSnapshot();

    const replies = await Promise.all(
      NAMES.map((category) =>
        sendJson(`/articles/${storyId}/error-reports`, { category, description: 'The tally printed program text.' }),
      ),
    );
    await stack.idle();

    expect(replies.map((reply) => reply.status)).toEqual(NAMES.map(() => 400));
    for (const reply of replies) expect(reply.body.error.details[0].path).toBe('body.category');
    expect(await tableSnapshot()).toEqual(before);
  });
});
