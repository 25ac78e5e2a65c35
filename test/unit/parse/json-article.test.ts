import { parseArticle, type RejectionIssue } from '../../../shared/articles/parse';
import { parseJsonArticle } from '../../../shared/articles/parse/json-article';
import { readSample } from './fixtures';
import { expectRejection } from './rejection';

const minimal = {
  headline: 'Harbor Bridge Reopens',
  publishedAt: '2024-06-03T06:00:00-04:00',
  body: 'The bridge reopened at dawn.',
};

describe('JSON article', () => {
  it('reads every field of the fixture, mixing ISO and printed times', () => {
    // Act
    const article = parseArticle({ body: readSample('highline-air-mountain-routes.json') });

    // Assess
    expect(article).toEqual({
      format: 'json-article',
      headline: 'Regional Airline Adds Nonstop Flights to Three Mountain Towns',
      subheadline: 'The routes start in December, just ahead of ski season',
      byline: { authors: ['Grace Whitfield'], organization: 'Newsroom' },
      publishedAt: '2024-10-02T15:15:00.000Z',
      photo: {
        caption: 'A Highline Air turboprop taxis at Cedar Ridge Regional Airport.',
        credit: 'Newsroom Photo/Sam Okafor',
      },
      body: [
        expect.stringMatching(/^Highline Air, a regional carrier/),
        expect.stringMatching(/^Tourism officials/),
        expect.stringMatching(/^Fares start at \$89/),
      ],
      sources: ['Reuters', 'Bloomberg'],
      poll: {
        question: 'Regional Airline Adds Nonstop Flights to Three Mountain Towns is...',
        options: ['Great news', 'Too little, too late'],
      },
      comments: [
        {
          postedAt: '2024-10-02T17:48:00.000Z',
          body: 'Four hours on the pass in January is no joke. Booking the first flight.',
          author: 'powderday',
        },
        {
          postedAt: '2024-10-02T16:02:00.000Z',
          body: 'Hope they keep it going past March.\nSummer is busy here too.',
          author: null,
        },
      ],
      commentTotal: 9,
      canonicalUrl: 'https://newsroom.example/stories/highline-air-mountain-routes',
    });
  });

  it('fills absent optional fields with null or empty values', () => {
    expect(parseJsonArticle(minimal)).toEqual({
      format: 'json-article',
      headline: 'Harbor Bridge Reopens',
      subheadline: null,
      byline: { authors: [], organization: null },
      publishedAt: '2024-06-03T10:00:00.000Z',
      photo: null,
      body: ['The bridge reopened at dawn.'],
      sources: [],
      poll: null,
      comments: [],
      commentTotal: null,
      canonicalUrl: null,
    });
  });

  it('parses a byline string and splits a string body at blank lines, without the lead-in', () => {
    // Prepare
    const input = {
      ...minimal,
      byline: 'By Lee Chan and Ada Brooks, Newsroom Staff',
      publishedAt: 'Jun 3, 2024 6:00 AM EDT',
      body: '(Newsroom) — The bridge reopened\r\nat dawn, the Guardian says.\r\n\r\n  Traffic was light.  ',
    };

    // Act
    const article = parseJsonArticle(input);

    // Assess
    expect(article.byline).toEqual({ authors: ['Lee Chan', 'Ada Brooks'], organization: 'Newsroom' });
    expect(article.publishedAt).toBe('2024-06-03T10:00:00.000Z');
    expect(article.body).toEqual(['The bridge reopened at dawn, the Guardian says.', 'Traffic was light.']);
    expect(article.sources).toEqual(['Guardian']);
  });

  it('uses top-level authors when there is no byline', () => {
    expect(parseJsonArticle({ ...minimal, authors: ['Lee Chan', ' Ada Brooks '] }).byline).toEqual({
      authors: ['Lee Chan', 'Ada Brooks'],
      organization: null,
    });
  });

  it('keeps sources the input lists, normalized and deduplicated, instead of detecting them', () => {
    const article = parseJsonArticle({
      ...minimal,
      body: 'CNN reports the bridge reopened.',
      sources: ['the Washington Post', 'Washington Post', 'The Harbor Gazette', ' '],
    });
    expect(article.sources).toEqual(['Washington Post', 'Harbor Gazette']);
  });

  it('ignores unknown fields and accepts a stored article as input', () => {
    // Prepare
    const stored = parseJsonArticle({ ...minimal, url: 'https://newsroom.example/x', extra: { nested: true } });

    // Act
    const again = parseJsonArticle({ ...stored, id: 'abc', contentHash: 'f00', schemaVersion: 1 });

    // Assess
    expect(again).toEqual(stored);
    expect(again).not.toHaveProperty('extra');
  });

  it('lists every schema violation with its path', () => {
    // Act
    const error = expectRejection(
      () => parseJsonArticle({ headline: '  ', body: 42, comments: [{ body: 'hi' }], commentTotal: -1 }),
      'invalid-json-article',
    );

    // Assess
    const paths = (error.details as RejectionIssue[]).map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(['headline', 'publishedAt', 'body', 'comments.0.postedAt', 'commentTotal']),
    );
  });

  it('rejects an unreadable date with the path of the field that held it', () => {
    const error = expectRejection(
      () => parseJsonArticle({ ...minimal, comments: [{ postedAt: '2024-06-03', body: 'hi' }] }),
      'invalid-date',
    );
    expect(error.details).toEqual([{ path: 'comments.0.postedAt', message: expect.any(String) }]);
  });

  it('rejects a byline string that names nobody', () => {
    expectRejection(() => parseJsonArticle({ ...minimal, byline: 'by the way' }), 'invalid-json-article');
  });

  it('rejects a body with no text', () => {
    expectRejection(() => parseJsonArticle({ ...minimal, body: ['  ', ''] }), 'empty-body');
  });
});
