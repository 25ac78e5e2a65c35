/**
 * The error report store on DynamoDB Local: deduplicating conditional writes (with and without
 * the contact's transaction), forward-only conditional moves under a race, listing pages on the
 * overloaded indexes, the story's open count, corrections and the contact's erasure time.
 */
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoArticleCorrections } from '../../shared/adapters/articles/dynamo-article-corrections';
import { DynamoErrorReports } from '../../shared/adapters/error-reports/dynamo-error-reports';
import { followUpReportChange } from '../../shared/error-reports/follow-up';
import { moveErrorReport } from '../../shared/error-reports/move-report';
import { reportChangeEffects } from '../../shared/error-reports/report-changes';
import type { ErrorReport } from '../../shared/error-reports/report-schema';
import { ConflictError, ValidationError } from '../../shared/errors';
import { createTestTable, testDynamoClient } from '../support/engines';

const ARTICLE_A = 'aaaaaaaaaaaaaaaa';
const ARTICLE_B = 'bbbbbbbbbbbbbbbb';

let db: DynamoDBDocumentClient;
let tableName: string;
let store: DynamoErrorReports;

beforeAll(async () => {
  tableName = await createTestTable('error-reports');
  db = DynamoDBDocumentClient.from(testDynamoClient(), { marshallOptions: { removeUndefinedValues: true } });
  store = new DynamoErrorReports(db, tableName);
});

let sequence = 0;
/** A new report; each call is one second newer than the last. */
function newReport(articleId: string, overrides: Partial<ErrorReport> = {}): ErrorReport {
  sequence++;
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, sequence)).toISOString();
  return {
    reportId: `${articleId}-${sequence.toString(16).padStart(16, '0')}`,
    articleId,
    category: 'factual',
    description: `Report number ${sequence} about a wrong date.`,
    quote: null,
    status: 'received',
    hasContact: false,
    statusVersion: 1,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    correction: null,
    history: [{ status: 'received', at }],
    ...overrides,
  };
}

const clockAt = (iso: string) => ({ now: () => new Date(iso) });
const item = async (pk: string, sk: string) =>
  (await db.send(new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true }))).Item;

describe('creating reports', () => {
  it('stores a report once: the same id again finds the first one and writes nothing', async () => {
    const report = newReport(ARTICLE_A);

    const first = await store.create(report, null);
    const again = await store.create({ ...report, description: 'A different text under the same id' }, null);

    expect(first).toEqual({ created: true, report });
    expect(again).toEqual({ created: false, report });
    expect(await store.get(report.reportId)).toEqual(report);
  });

  it('stores the contact beside the report, and a repeat keeps the first contact', async () => {
    const report = newReport(ARTICLE_A, { hasContact: true });

    await store.create(report, 'first@example.org');
    const again = await store.create(report, 'second@example.org');

    expect(again.created).toBe(false);
    expect(again.report.reportId).toBe(report.reportId);
    expect(await item(`ARTICLE#${ARTICLE_A}`, `CONTACT#${report.reportId}`)).toMatchObject({
      contact: 'first@example.org',
    });
    expect(await item(`ARTICLE#${ARTICLE_A}`, `REPORT#${report.reportId}`)).not.toHaveProperty('contact');
    expect((await store.getWithContact(report.reportId, new Date()))?.contact).toBe('first@example.org');
  });
});

describe('moving reports', () => {
  it('moves only forward, each move conditional on the state it was decided on', async () => {
    const report = newReport(ARTICLE_A);
    await store.create(report, null);
    const deps = { reports: store, clock: clockAt('2026-02-01T00:00:00.000Z') };

    const reviewing = await moveErrorReport(deps, {
      reportId: report.reportId,
      status: 'reviewing',
      note: 'On it',
      correction: null,
      editor: 'ed',
    });
    const back = moveErrorReport(deps, {
      reportId: report.reportId,
      status: 'received',
      note: null,
      correction: null,
      editor: 'ed',
    });

    expect(reviewing).toMatchObject({ status: 'reviewing', statusVersion: 2 });
    await expect(back).rejects.toThrow(ConflictError);
    expect(await store.get(report.reportId)).toEqual(reviewing);
  });

  it('lets exactly one of two racing editors move the same report', async () => {
    const report = newReport(ARTICLE_A);
    await store.create(report, null);
    const corrected = { ...report, status: 'corrected' as const, statusVersion: 2 };
    const rejected = { ...report, status: 'rejected' as const, statusVersion: 2 };

    const outcomes = await Promise.all([store.move(report, corrected), store.move(report, rejected)]);

    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect((await store.get(report.reportId))?.status).toBe(outcomes[0] ? 'corrected' : 'rejected');
  });

  it('publishes a correction on the story together with closing the report, and only once', async () => {
    const report = newReport(ARTICLE_B);
    await store.create(report, null);
    const deps = { reports: store, clock: clockAt('2026-02-02T00:00:00.000Z') };
    const move = {
      reportId: report.reportId,
      status: 'corrected' as const,
      note: null,
      correction: 'The vote was on Sunday.',
      editor: 'ed',
    };

    await moveErrorReport(deps, move);
    await expect(moveErrorReport(deps, move)).rejects.toThrow(ConflictError);

    expect(await new DynamoArticleCorrections(db, tableName).list(ARTICLE_B)).toEqual([
      { text: 'The vote was on Sunday.', correctedAt: '2026-02-02T00:00:00.000Z' },
    ]);
  });

  it('refuses a correction that does not close the report, writing nothing', async () => {
    const report = newReport(ARTICLE_B);
    await store.create(report, null);

    const move = moveErrorReport(
      { reports: store, clock: clockAt('2026-02-03T00:00:00.000Z') },
      { reportId: report.reportId, status: 'reviewing', note: null, correction: 'Too early', editor: 'ed' },
    );

    await expect(move).rejects.toThrow(ValidationError);
    expect(await store.get(report.reportId)).toEqual(report);
  });
});

describe('listing reports', () => {
  const article = 'cccccccccccccccc';
  const other = 'dddddddddddddddd';
  const created: ErrorReport[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 5; i++) created.push(newReport(i % 2 === 0 ? article : other));
    for (const report of created) await store.create(report, null);
  });

  async function allPages(
    listing: { status: ErrorReport['status']; articleId?: string },
    limit: number,
  ): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list({ ...listing, limit, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items.map((report) => report.reportId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return seen;
  }

  it('pages through one status across stories, newest first, each report exactly once', async () => {
    const seen = await allPages({ status: 'received' }, 2);

    const mine = seen.filter((id) => created.some((report) => report.reportId === id));
    expect(mine).toEqual([...created].reverse().map((report) => report.reportId));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("pages through one story's reports of one status", async () => {
    const seen = await allPages({ status: 'received', articleId: article }, 1);

    expect(seen).toEqual(
      created
        .filter((r) => r.articleId === article)
        .reverse()
        .map((r) => r.reportId),
    );
  });

  it('moves a report from one status listing to the next', async () => {
    const [moved] = created;
    await store.move(moved!, { ...moved!, status: 'reviewing', statusVersion: 2 });

    expect(await allPages({ status: 'received', articleId: article }, 10)).not.toContain(moved!.reportId);
    expect(await allPages({ status: 'reviewing', articleId: article }, 10)).toEqual([moved!.reportId]);
  });

  it('refuses a cursor of another listing', async () => {
    const page = await store.list({ status: 'received', articleId: other, limit: 1 });

    await expect(
      store.list({ status: 'received', articleId: article, limit: 1, cursor: page.nextCursor! }),
    ).rejects.toThrow(ValidationError);
    await expect(store.list({ status: 'reviewing', limit: 1, cursor: page.nextCursor! })).rejects.toThrow(
      ValidationError,
    );
  });
});

describe('the open count and the contact erasure', () => {
  /** Follows a committed change as the stream consumer does: its effects from the two images. */
  const followUp = (next: ErrorReport, previous?: ErrorReport) =>
    followUpReportChange(
      { contacts: store, counts: store, events: { publish: async () => undefined } },
      reportChangeEffects(next, previous, 60)!,
    );
  const openCount = async (article: string) => (await item(`ARTICLE#${article}`, 'COUNTS'))?.errorReports;

  it('counts each change of a report once, however often it is delivered, keeping the other counts', async () => {
    const article = 'eeeeeeeeeeeeeeee';
    await db.send(new PutCommand({ TableName: tableName, Item: { pk: `ARTICLE#${article}`, sk: 'COUNTS', votes: 7 } }));
    const report = newReport(article);
    const reviewing = { ...report, status: 'reviewing' as const, statusVersion: 2 };
    const rejected = { ...reviewing, status: 'rejected' as const, statusVersion: 3 };
    const other = newReport(article);

    for (const [next, previous] of [
      [report, undefined],
      [other, undefined],
      [reviewing, report],
      [rejected, reviewing],
    ] as const) {
      if (previous) await store.move(previous, next);
      else await store.create(next, null);
      await followUp(next, previous);
      await followUp(next, previous); // redelivered
    }

    expect(await item(`ARTICLE#${article}`, 'COUNTS')).toMatchObject({ votes: 7, errorReports: 1 });
  });

  it("keeps a story's count exact under concurrent changes of its reports", async () => {
    const article = 'dddddddddddddddd';
    const reports = Array.from({ length: 8 }, () => newReport(article));

    // Each report written and followed up (twice: a redelivery) while the others are.
    await Promise.all(
      reports.map(async (report, i) => {
        await store.create(report, null);
        await Promise.all([followUp(report), followUp(report)]);
        if (i % 3 !== 0) return;
        const rejected = { ...report, status: 'rejected' as const, statusVersion: 2 };
        await store.move(report, rejected);
        await Promise.all([followUp(rejected, report), followUp(rejected, report)]);
      }),
    );

    expect(await openCount(article)).toBe(5);
  });

  it('lets no follow-up that finishes late set the count back', async () => {
    const article = 'cccccccccccccccc';
    const [first, second] = [newReport(article), newReport(article)];
    // The first follow-up's answer from the table is held until the second follow-up is done.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = true;
    const slowDb = {
      send: async (command: never) => {
        const out = await db.send(command);
        if (holding) {
          holding = false;
          await held;
        }
        return out;
      },
    } as unknown as DynamoDBDocumentClient;
    const slowStore = new DynamoErrorReports(slowDb, tableName);

    await store.create(first, null);
    const slow = followUpReportChange(
      { contacts: slowStore, counts: slowStore, events: { publish: async () => undefined } },
      reportChangeEffects(first, undefined, 60)!,
    );
    await store.create(second, null);
    await followUp(second);
    release();
    await slow;

    expect(await openCount(article)).toBe(2);
  });

  it('sets the erasure time on the contact, hides it once passed, and does nothing without a contact', async () => {
    const withContact = newReport(ARTICLE_B, { hasContact: true });
    const without = newReport(ARTICLE_B);
    await store.create(withContact, 'reader@example.org');
    await store.create(without, null);

    await store.expireContact(withContact.reportId, 2_000_000_000);
    await store.expireContact(without.reportId, 2_000_000_000);

    expect(await item(`ARTICLE#${ARTICLE_B}`, `CONTACT#${withContact.reportId}`)).toMatchObject({
      expiresAt: 2_000_000_000,
    });
    expect(await item(`ARTICLE#${ARTICLE_B}`, `CONTACT#${without.reportId}`)).toBeUndefined();
    expect((await store.getWithContact(withContact.reportId, new Date(1_999_999_999_000)))?.contact).toBe(
      'reader@example.org',
    );
    expect((await store.getWithContact(withContact.reportId, new Date(2_000_000_000_000)))?.contact).toBeNull();
  });
});
