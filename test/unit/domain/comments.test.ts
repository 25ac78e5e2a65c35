import { importedCommentId, newCommentId, COMMENT_ID_PATTERN, parseCommentId } from '../../../shared/comments/comment';
import { commentEvents, importedComment } from '../../../shared/comments/comment-aggregation';
import { commentConfigFromEnv } from '../../../shared/comments/comment-config';
import { CommentScreen } from '../../../shared/comments/moderation';
import {
  characterCount,
  hasAuthorControlCharacters,
  hasBodyControlCharacters,
  hasUnpairedSurrogates,
  normalizeText,
} from '../../../shared/comments/text';
import { postCommentBodySchema } from '../../../shared/comments/comment-schemas';
import { ConflictError, UnprocessableError, ValidationError } from '../../../shared/errors';
import { parseInput } from '../../../shared/http/validate';
import {
  IDEMPOTENCY,
  lockExpiry,
  runIdempotent,
  type BeginResult,
  type IdempotencyLock,
  type IdempotencyRecord,
  type IdempotencyStore,
} from '../../../shared/idempotency/idempotency';

describe('comment ids', () => {
  it('carry the story id and sort by creation time', () => {
    const earlier = newCommentId('0123456789abcdef', new Date('2026-01-01T00:00:00Z'));
    const later = newCommentId('0123456789abcdef', new Date('2026-01-01T00:00:00.001Z'));

    expect(earlier).toMatch(COMMENT_ID_PATTERN);
    expect(parseCommentId(earlier).articleId).toBe('0123456789abcdef');
    expect(earlier < later).toBe(true);
  });

  it('are the same for the same imported comment, and differ when the text differs', () => {
    const a = importedCommentId('0123456789abcdef', '2014-03-16T19:11:00.000Z', 'Text');

    expect(importedCommentId('0123456789abcdef', '2014-03-16T19:11:00.000Z', 'Text')).toBe(a);
    expect(importedCommentId('0123456789abcdef', '2014-03-16T19:11:00.000Z', 'Text!')).not.toBe(a);
    expect(a).toMatch(COMMENT_ID_PATTERN);
  });
});

describe('comment text', () => {
  it('is NFC-normalized and trimmed, and counted in characters', () => {
    expect(normalizeText('  Cafe\u0301  ')).toBe('Café');
    expect(characterCount('😀😀')).toBe(2);
  });

  it('allows line breaks and tabs in bodies but no other control characters, and none in authors', () => {
    expect(hasBodyControlCharacters('one\ntwo\r\n\tthree')).toBe(false);
    expect(hasBodyControlCharacters('bell\u0007')).toBe(true);
    expect(hasBodyControlCharacters('c1\u0085')).toBe(true);
    expect(hasAuthorControlCharacters('two\nlines')).toBe(true);
  });

  it('tells unpaired surrogates from characters outside the BMP', () => {
    expect(hasUnpairedSurrogates('ok 😀')).toBe(false);
    expect(hasUnpairedSurrogates('high \ud800 alone')).toBe(true);
    expect(hasUnpairedSurrogates('low \udc00 alone')).toBe(true);
  });

  it('refuses an unpaired surrogate in a posted comment, naming the field, whatever parsed the body', () => {
    const pathsOf = (body: unknown) => {
      try {
        parseInput(postCommentBodySchema, body, 'body');
        return [];
      } catch (error) {
        return (error as ValidationError).details!.map((detail) => detail.path);
      }
    };

    expect(pathsOf({ author: 'A', body: 'broken \ud800 text' })).toEqual(['body.body']);
    expect(pathsOf({ author: 'A\udc00', body: 'x' })).toEqual(['body.author']);
    expect(pathsOf({ author: 'A', body: 'astral 😀 is fine' })).toEqual([]);
  });
});

describe('the moderation screen', () => {
  const screen = new CommentScreen({ bannedWords: ['kill yourself', 'slur'], suspectWords: ['scum'], holdLinks: true });

  it.each([
    [
      'refuses banned words in the body, whole words, any case or width',
      { author: 'A', body: 'Just KILL   yourself' },
      { verdict: 'refused', field: 'body' },
    ],
    [
      'refuses banned words in the author',
      { author: 'ｓｌｕｒ', body: 'Hello' },
      { verdict: 'refused', field: 'author', term: 'slur' },
    ],
    ['holds suspect words', { author: 'A', body: 'Total scum.' }, { verdict: 'pending', heldFor: 'suspect_word' }],
    [
      'holds links with a scheme',
      { author: 'A', body: 'see https://x.test/a' },
      { verdict: 'pending', heldFor: 'link' },
    ],
    ['holds bare domains', { author: 'A', body: 'visit cheap-pills.ru now' }, { verdict: 'pending', heldFor: 'link' }],
    [
      'lets words that contain a listed word pass',
      { author: 'A', body: 'A scumble of paint' },
      { verdict: 'approved' },
    ],
    [
      'lets abbreviations pass',
      { author: 'A', body: 'The U.S. and e.g. the E.U. ... not good' },
      { verdict: 'approved' },
    ],
  ])('%s', (_name, input, expected) => {
    expect(screen.screen(input)).toMatchObject(expected);
  });

  it('lets links through when holding them is off', () => {
    expect(
      new CommentScreen({ bannedWords: [], suspectWords: [], holdLinks: false }).screen({
        author: 'A',
        body: 'www.example.com',
      }),
    ).toEqual({
      verdict: 'approved',
    });
  });
});

describe('comment configuration', () => {
  it('has defaults', () => {
    const config = commentConfigFromEnv({});

    expect(config).toMatchObject({ flagThreshold: 3, duplicateWindowSeconds: 60, holdLinks: true, firstReplies: 3 });
    expect(config.bannedWords).toEqual(['kill yourself', 'kys', 'go die']);
    expect(config.rateLimits.post).toEqual({ action: 'comment', limit: 10, windowSeconds: 60 });
  });

  it('reads word lists, threshold and limits from the environment', () => {
    const config = commentConfigFromEnv({
      COMMENT_BANNED_WORDS: ' foo , bar baz ,',
      COMMENT_SUSPECT_WORDS: 'none',
      COMMENT_FLAG_THRESHOLD: '5',
      COMMENT_HOLD_LINKS: 'false',
      RATE_LIMIT_COMMENT: '5/10',
    });

    expect(config).toMatchObject({
      bannedWords: ['foo', 'bar baz'],
      suspectWords: [],
      flagThreshold: 5,
      holdLinks: false,
    });
    expect(config.rateLimits.post).toEqual({ action: 'comment', limit: 5, windowSeconds: 10 });
  });

  it('limits only posting per source: votes and flags are bounded by the reader tokens a source can mint', () => {
    const config = commentConfigFromEnv({ RATE_LIMIT_COMMENT_VOTE: '5/10', RATE_LIMIT_COMMENT_FLAG: '5/10' });

    expect(config.rateLimits).toEqual({ post: commentConfigFromEnv({}).rateLimits.post });
  });

  it.each([
    ['COMMENT_FLAG_THRESHOLD', '0'],
    ['COMMENT_FLAG_THRESHOLD', 'three'],
    ['COMMENT_HOLD_LINKS', 'maybe'],
  ])('fails at start-up on %s=%s, naming it', (name, value) => {
    expect(() => commentConfigFromEnv({ [name]: value })).toThrow(name);
  });
});

describe('comment events', () => {
  const comment = importedComment('0123456789abcdef', {
    postedAt: '2014-03-16T19:11:00.000Z',
    body: 'Hi',
    author: null,
  });

  it('is CommentPosted for a new comment, CommentModerated for a change of status, CommentEdited for new text, nothing for other changes', () => {
    const flagged = {
      ...comment,
      status: 'flagged' as const,
      moderatedBy: 'readers' as const,
      moderatedAt: '2026-01-01T00:00:00.000Z',
      version: 3,
    };

    const heldByAnEdit = {
      ...comment,
      body: 'Now with a link: example.com',
      editedAt: '2026-01-01T00:05:00.000Z',
      status: 'pending' as const,
      moderatedBy: 'rules' as const,
      version: 2,
    };

    expect(commentEvents(comment, null)).toMatchObject([
      { detailType: 'CommentPosted', detail: { commentId: comment.id, origin: 'import' } },
    ]);
    expect(commentEvents(flagged, comment)).toMatchObject([
      {
        detailType: 'CommentModerated',
        detail: { status: 'flagged', previousStatus: 'approved', by: 'readers', version: 3 },
      },
    ]);
    expect(commentEvents(heldByAnEdit, comment)).toEqual([
      {
        detailType: 'CommentEdited',
        detail: {
          schemaVersion: 1,
          articleId: comment.articleId,
          commentId: comment.id,
          status: 'pending',
          version: 2,
          editedAt: '2026-01-01T00:05:00.000Z',
        },
      },
      expect.objectContaining({ detailType: 'CommentModerated' }),
    ]);
    expect(commentEvents({ ...comment, score: 5 }, comment)).toEqual([]);
  });
});

/** An in-memory store with the same conditional semantics as the DynamoDB one. */
class MemoryIdempotencyStore implements IdempotencyStore {
  records = new Map<string, IdempotencyRecord & { lock: IdempotencyLock }>();
  async begin<R>(
    key: string,
    fingerprint: string,
    reservation: R,
    _now: Date,
    lock: IdempotencyLock,
  ): Promise<BeginResult<R>> {
    const found = this.records.get(key);
    if (!found) {
      this.records.set(key, { fingerprint, state: 'in_progress', reservation, lock });
      return { started: true, reservation, retake: false };
    }
    return { started: false, record: found as IdempotencyRecord<R> };
  }
  async complete(key: string, owner: string, result: unknown): Promise<boolean> {
    const record = this.records.get(key);
    if (record?.lock.owner !== owner) return false;
    Object.assign(record, { state: 'completed', result });
    return true;
  }
  async release(key: string, owner: string): Promise<boolean> {
    if (this.records.get(key)?.lock.owner !== owner) return false;
    return this.records.delete(key);
  }
  async get<R>(key: string): Promise<IdempotencyRecord<R> | null> {
    return (this.records.get(key) as IdempotencyRecord<R> | undefined) ?? null;
  }
}

describe('idempotent requests', () => {
  const now = () => new Date('2026-01-01T00:00:00Z');

  it('do the work once and replay its result for the same request', async () => {
    const store = new MemoryIdempotencyStore();
    let runs = 0;
    const run = () =>
      runIdempotent(
        store,
        { scope: 's', key: 'k', request: { body: 1 }, reservation: 'r' },
        { now },
        async () => ++runs,
      );

    const results = [await run(), await run()];

    expect(results).toEqual([
      { result: 1, replayed: false },
      { result: 1, replayed: true },
    ]);
  });

  it('lock the key for the time the invocation has left, under an owner of its own', async () => {
    const store = new MemoryIdempotencyStore();
    const at = now();
    const request = (key: string) => ({ scope: 's', key, request: {}, reservation: 'r' });

    await runIdempotent(
      store,
      request('a'),
      { now, remainingTime: { getRemainingTimeInMillis: () => 12_345 } },
      async () => 1,
    );
    await runIdempotent(
      store,
      request('b'),
      { now, remainingTime: { getRemainingTimeInMillis: () => 12_345 } },
      async () => 2,
    );

    const [a, b] = [...store.records.values()].map((record) => record.lock);
    expect(a!.until).toBe(at.getTime() + 12_345);
    expect(a!.owner).not.toBe(b!.owner);
  });

  it('lock for the default time when the time left is unknown or used up', () => {
    const at = now();

    expect(lockExpiry(at, { getRemainingTimeInMillis: () => 900_000 })).toBe(at.getTime() + 900_000);
    expect(lockExpiry(at)).toBe(at.getTime() + IDEMPOTENCY.lockSeconds * 1000);
    expect(lockExpiry(at, { getRemainingTimeInMillis: () => 0 })).toBe(at.getTime() + IDEMPOTENCY.lockSeconds * 1000);
  });

  it('refuse the same key with a different request (422)', async () => {
    const store = new MemoryIdempotencyStore();
    await runIdempotent(
      store,
      { scope: 's', key: 'k', request: { body: 1 }, reservation: 'r' },
      { now },
      async () => 'done',
    );

    const other = runIdempotent(
      store,
      { scope: 's', key: 'k', request: { body: 2 }, reservation: 'r' },
      { now },
      async () => 'other',
    );

    await expect(other).rejects.toThrow(UnprocessableError);
  });

  it('release the key when the work fails before storing anything, so a retry can run', async () => {
    const store = new MemoryIdempotencyStore();
    const request = { scope: 's', key: 'k', request: {}, reservation: 'r' };

    await expect(runIdempotent(store, request, { now }, async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    const retry = await runIdempotent(store, request, { now }, async () => 'ok');

    expect(retry).toEqual({ result: 'ok', replayed: false });
  });

  it('make a concurrent repeat wait for the first result, or answer 409 when it takes too long', async () => {
    const store = new MemoryIdempotencyStore();
    const request = { scope: 's', key: 'k', request: {}, reservation: 'r' };
    let finish!: (value: string) => void;
    const first = runIdempotent(store, request, { now }, () => new Promise<string>((resolve) => (finish = resolve)));
    let clock = 0;
    const impatient = runIdempotent(
      store,
      request,
      { now: () => new Date(clock), waitMs: 50, sleep: async () => void (clock += 100) },
      async () => 'x',
    );
    const patient = runIdempotent(store, request, { now, pollMs: 1 }, async () => 'never');

    await expect(impatient).rejects.toThrow(ConflictError);
    finish('first result');

    expect(await first).toEqual({ result: 'first result', replayed: false });
    expect(await patient).toEqual({ result: 'first result', replayed: true });
  });
});
