import { contactRetentionSeconds } from '../../../shared/error-reports/contact-retention';
import {
  assertForwardMove,
  ERROR_REPORT_STATUSES,
  excerptOf,
  isOpen,
  type ErrorReportStatus,
} from '../../../shared/error-reports/report';
import { reportChangeEffects } from '../../../shared/error-reports/report-changes';
import { articleIdOfReport, REPORT_ID_PATTERN, reportIdFor } from '../../../shared/error-reports/report-id';
import { moveBodySchema, reportBodySchema } from '../../../shared/error-reports/input';
import { ConflictError, ValidationError } from '../../../shared/errors';
import { parseInput } from '../../../shared/http/validate';

describe('the report workflow', () => {
  const allowed = new Set([
    'received→reviewing',
    'received→corrected',
    'received→rejected',
    'reviewing→corrected',
    'reviewing→rejected',
  ]);
  const pairs = ERROR_REPORT_STATUSES.flatMap((from) =>
    ERROR_REPORT_STATUSES.map((to) => [from, to] as [ErrorReportStatus, ErrorReportStatus]),
  );

  it.each(pairs)('%s → %s is allowed only if it moves forward', (from, to) => {
    const move = () => assertForwardMove(from, to);
    if (allowed.has(`${from}→${to}`)) expect(move).not.toThrow();
    else expect(move).toThrow(ConflictError);
  });

  it('counts received and reviewing as open, and nothing else', () => {
    expect(ERROR_REPORT_STATUSES.filter(isOpen)).toEqual(['received', 'reviewing']);
  });
});

describe('report ids', () => {
  const submission = {
    articleId: '0123456789abcdef',
    category: 'typo' as const,
    description: 'Teh headline has a typo.',
    quote: 'Teh',
  };

  it('name the story and are the same for the same report from the same source, whatever the case and spacing', () => {
    const id = reportIdFor(submission, 'source-a');

    expect(id).toMatch(REPORT_ID_PATTERN);
    expect(articleIdOfReport(id)).toBe(submission.articleId);
    expect(reportIdFor({ ...submission, description: '  teh HEADLINE   has a typo. ' }, 'source-a')).toBe(id);
  });

  it('differ by source, category, description and quote', () => {
    const ids = [
      reportIdFor(submission, 'source-a'),
      reportIdFor(submission, 'source-b'),
      reportIdFor({ ...submission, category: 'factual' }, 'source-a'),
      reportIdFor({ ...submission, description: 'Another typo in the headline.' }, 'source-a'),
      reportIdFor({ ...submission, quote: null }, 'source-a'),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('excerpts for alerts', () => {
  it('are one line, at most 140 characters, with typed-in addresses masked', () => {
    const excerpt = excerptOf(`Wrong date.\nMail me: someone@example.com ${'word '.repeat(60)}`);

    expect(excerpt).not.toMatch(/\n|someone@example\.com/);
    expect(excerpt.startsWith('Wrong date. Mail me: [e-mail] word')).toBe(true);
    expect([...excerpt].length).toBeLessThanOrEqual(140);
    expect(excerpt.endsWith('…')).toBe(true);
  });
});

describe('report change effects', () => {
  const base = {
    reportId: '0123456789abcdef-0000000000000001',
    articleId: '0123456789abcdef',
    category: 'other' as const,
    description: 'Something is off in the second paragraph.',
    quote: null,
    hasContact: false,
    statusVersion: 2,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
    closedAt: '2026-01-02T00:00:00.000Z',
    correction: null,
    history: [],
  };

  it('schedule no erasure for a closed report without a contact', () => {
    const effects = reportChangeEffects(
      { ...base, status: 'rejected', hasContact: false },
      { ...base, status: 'received' },
      60,
    );

    expect(effects).toMatchObject({
      openCountChange: { articleId: base.articleId, reportId: base.reportId, statusVersion: 2, delta: -1 },
      eraseContactAt: null,
      event: { detailType: 'ErrorReportResolved' },
    });
  });

  it('schedule the erasure the retention after closing for a report with a contact', () => {
    const effects = reportChangeEffects(
      { ...base, status: 'rejected', hasContact: true },
      { ...base, status: 'reviewing' },
      60,
    );

    expect(effects?.eraseContactAt).toBe(Date.parse(base.closedAt) / 1000 + 60);
  });

  it('are nothing when the status did not change', () => {
    expect(reportChangeEffects({ ...base, status: 'reviewing' }, { ...base, status: 'reviewing' }, 60)).toBeNull();
  });
});

describe('contact retention', () => {
  it.each([
    [undefined, 30 * 86_400],
    ['7', 7 * 86_400],
    ['0', 0],
    ['0.5', 43_200],
  ])('ERROR_REPORT_CONTACT_RETENTION_DAYS=%p is %p seconds', (value, seconds) => {
    expect(contactRetentionSeconds(value === undefined ? {} : { ERROR_REPORT_CONTACT_RETENTION_DAYS: value })).toBe(
      seconds,
    );
  });

  it.each([['-1'], ['a week'], ['1e3']])('refuses %p', (value) => {
    expect(() => contactRetentionSeconds({ ERROR_REPORT_CONTACT_RETENTION_DAYS: value })).toThrow(/number of days/);
  });
});

describe('report text', () => {
  const pathsOf = (schema: typeof reportBodySchema | typeof moveBodySchema, body: unknown) => {
    try {
      parseInput(schema, body, 'body');
      return [];
    } catch (error) {
      return (error as ValidationError).details!.map((detail) => detail.path);
    }
  };
  const report = { category: 'factual', description: 'The vote was on Sunday, not Monday.' };

  it('refuses an unpaired surrogate in any text field, naming it, whatever parsed the body', () => {
    expect(pathsOf(reportBodySchema, { ...report, description: 'The vote \ud800 was on Sunday.' })).toEqual([
      'body.description',
    ]);
    expect(pathsOf(reportBodySchema, { ...report, quote: 'quoted \udfff' })).toEqual(['body.quote']);
    expect(pathsOf(moveBodySchema, { status: 'corrected', correction: 'Fixed \ud83d' })).toEqual(['body.correction']);
    expect(pathsOf(reportBodySchema, { ...report, quote: 'astral 😀 is fine' })).toEqual([]);
  });

  it('drops C0 and C1 control characters other than line breaks and tabs before measuring', () => {
    const parsed = reportBodySchema.parse({ ...report, quote: 'a\u0000b\u0085c\u009fd\te\nf' });

    expect(parsed.quote).toBe('abcd\te\nf');
  });
});
