import { parseArticle } from '../../../shared/articles/parse';
import { parseTextPage } from '../../../shared/articles/parse/text-page';
import { readFixture, readSeed, readSample } from './fixtures';
import { expectRejection } from './rejection';

/**
 * The seed's sentences are not copied into the repository: long expected texts are taken
 * from the seed's own lines (1-based), so the assertions still pin exact values.
 */
const seedText = readSeed().toString('utf8');
const seedLine = (n: number): string => seedText.split('\n')[n - 1]!;

describe('text story page: the seed', () => {
  const article = parseArticle({ body: readSeed(), key: 'incoming/newser-us-russia-crimea-talks.txt' });

  it('is read as a text page', () => {
    expect(article.format).toBe('text-page');
  });

  it('takes the headline from line 1 and the subheadline from line 2', () => {
    expect(article.headline).toBe('US, Russia Talks on Crimea Flop');
    expect(article.subheadline).toBe(seedLine(2));
    expect(article.subheadline).toMatch(/^'We have no common vision,'/);
  });

  it('splits the byline into authors and organization across a non-breaking space', () => {
    expect(article.byline).toEqual({ authors: ['John Johnson'], organization: 'Newser' });
  });

  it('converts the CDT posting time to UTC', () => {
    expect(article.publishedAt).toBe('2014-03-14T17:34:00.000Z');
  });

  it('separates the photo caption from the credit after the run of spaces', () => {
    const captionLine = seedLine(5);
    expect(article.photo).toEqual({
      caption: captionLine.slice(0, captionLine.indexOf('Friday.') + 'Friday.'.length),
      credit: 'AP Photo/Brendan Smialowski, Pool',
    });
    expect(article.photo?.caption).toMatch(/^Russian Foreign Minister .* Friday\.$/);
  });

  it('keeps the two story paragraphs, without the (Newser) lead-in', () => {
    expect(article.body).toEqual([seedLine(7).replace('(Newser) – ', ''), seedLine(9)]);
    expect(article.body[0]).toMatch(/^John Kerry and his Russian counterpart/);
    // Curly quotes and em dashes are kept as written.
    expect(article.body[0]).toContain('don’t');
    expect(article.body[0]).toContain('troops—now');
  });

  it('leaves page furniture and comments out of the body', () => {
    const bodyText = article.body.join('\n');
    for (const furniture of [
      'More From Newser',
      'My Take on This Story',
      'notify our editors',
      'You Might Like',
      'Showing 3',
    ]) {
      expect(bodyText).not.toContain(furniture);
    }
    expect(bodyText).not.toContain('Rhetorical question');
  });

  it('lists the cited outlets in order of first mention, not the photo agency', () => {
    expect(article.sources).toEqual(['Washington Post', 'Guardian', 'CNN']);
  });

  it('finds the poll question, which has no options on the page', () => {
    expect(article.poll).toEqual({ question: 'US, Russia Talks on Crimea Flop is...', options: [] });
  });

  it('reads each embedded comment with its time in UTC and no author', () => {
    expect(article.comments).toEqual([
      { postedAt: '2014-03-16T19:11:00.000Z', body: seedLine(20), author: null },
      { postedAt: '2014-03-16T14:09:00.000Z', body: seedLine(22), author: null },
      { postedAt: '2014-03-16T01:34:00.000Z', body: seedLine(24), author: null },
    ]);
  });

  it('takes the comment total from "Showing 3 of 60 comments"', () => {
    expect(article.commentTotal).toBe(60);
  });

  it('has no canonical URL, since the page names none', () => {
    expect(article.canonicalUrl).toBeNull();
  });

  it('gives the same result with CRLF line endings and non-breaking spaces', () => {
    // Prepare
    const nbsp = '\u00a0';
    const variant = seedText
      .replace('Posted Mar 14, 2014 12:34 PM CDT', `Posted${nbsp}Mar 14,${nbsp}2014 12:34${nbsp}PM CDT${nbsp}`)
      .replace('(Newser) – ', `(Newser)${nbsp}–${nbsp}`)
      .replace('Showing 3 of 60 comments', `Showing${nbsp}3 of 60${nbsp}comments`)
      .replace('Mar 16, 2014 2:11 PM CDT', `${nbsp}Mar 16, 2014${nbsp}2:11 PM CDT`)
      .replace('More From Newser', `More From${nbsp}Newser${nbsp}`)
      .replace('reports the Washington Post', `reports${nbsp}the Washington${nbsp}Post`)
      .replace(/\n/g, '\r\n');

    // Act
    const fromVariant = parseArticle({ body: Buffer.from(variant, 'utf8') });

    // Assess
    expect(variant).toContain('\r\n');
    expect(variant).toContain(`(Newser)${nbsp}–${nbsp}`);
    expect(variant).toContain(`Showing${nbsp}3`);
    expect(fromVariant).toEqual(article);
  });
});

describe('text story page: other shapes', () => {
  it('reads two authors, a Pacific time, a multi-line comment and an em-dash lead-in', () => {
    // Act
    const article = parseArticle({ body: readFixture('stories/port-calder-light-rail-tax.txt') });

    // Assess
    expect(article.byline).toEqual({ authors: ['Maya Ortiz', 'Daniel Reyes'], organization: 'Newsroom' });
    expect(article.publishedAt).toBe('2024-05-22T02:42:00.000Z');
    expect(article.photo).toEqual({
      caption: 'Supporters of the light rail plan hold signs outside Port Calder City Hall before Tuesday’s vote.',
      credit: 'AP Photo/Lena Park',
    });
    expect(article.body).toHaveLength(4);
    expect(article.body[0]).toMatch(/^After a five-hour meeting/);
    expect(article.sources).toEqual(['Los Angeles Times', 'AP', 'NPR']);
    expect(article.comments).toEqual([
      {
        postedAt: '2024-05-22T07:05:00.000Z',
        body: 'Finally. I’ve been stuck on the 41 bus for twenty years.\nSign me up for the first ride.',
        author: null,
      },
      {
        postedAt: '2024-05-22T03:15:00.000Z',
        body: 'Two-thirds is a high bar. The last transit tax failed by 2 points & this one costs more.',
        author: null,
      },
    ]);
    expect(article.commentTotal).toBe(14);
  });

  it('reads a story without photo or comments, with three authors, poll options and a hyphen lead-in', () => {
    // Act
    const article = parseArticle({ body: readSample('tidal-snail-clocks.txt') });

    // Assess
    expect(article.headline).toBe('Tiny Sea Snails Keep Time by the Moon, Study Finds');
    expect(article.byline).toEqual({
      authors: ['Priya Natarajan', 'Tom Becker', 'Ana Lima'],
      organization: 'Newsroom',
    });
    expect(article.publishedAt).toBe('2025-01-09T17:30:00.000Z');
    expect(article.photo).toBeNull();
    expect(article.body).toHaveLength(3);
    expect(article.body[0]).toMatch(/^A snail no bigger/);
    // "Time will tell" starts a sentence; it does not cite Time magazine.
    expect(article.sources).toEqual(['BBC', 'Guardian']);
    expect(article.poll).toEqual({
      question: 'Tiny Sea Snails Keep Time by the Moon, Study Finds is...',
      options: ['Fascinating', 'Overhyped'],
    });
    expect(article.comments).toEqual([]);
    expect(article.commentTotal).toBeNull();
  });

  it('joins the lines of a wrapped paragraph and strips a double-hyphen lead-in', () => {
    // Prepare
    const page = [
      'Harbor Bridge Reopens',
      'By Lee Chan',
      'Posted Jun 3, 2024 6:00 AM EDT',
      '',
      '(Newsroom) -- The bridge reopened',
      '   at dawn, two years after   it closed.',
      '',
      'Traffic was light.',
    ].join('\n');

    // Act
    const article = parseTextPage(page);

    // Assess
    expect(article.subheadline).toBeNull();
    expect(article.byline).toEqual({ authors: ['Lee Chan'], organization: null });
    expect(article.photo).toBeNull();
    expect(article.body).toEqual(['The bridge reopened at dawn, two years after it closed.', 'Traffic was light.']);
    expect(article.poll).toBeNull();
  });

  it('rejects a page that starts with its byline as missing its headline', () => {
    const page = 'By Lee Chan\nPosted Jun 3, 2024 6:00 AM EDT\n\nThe bridge reopened.';
    expectRejection(() => parseTextPage(page), 'missing-headline');
  });

  it('rejects a "Posted" line with an impossible date', () => {
    const page = 'Harbor Bridge Reopens\nBy Lee Chan\nPosted Feb 30, 2024 6:00 AM EST\n\nThe bridge reopened.';
    expectRejection(() => parseTextPage(page), 'invalid-date');
  });

  it('rejects a header with no paragraphs after it', () => {
    const page =
      'Harbor Bridge Reopens\nBy Lee Chan\nPosted Jun 3, 2024 6:00 AM EDT\n\nMore From Newsroom\nYou Might Like';
    expectRejection(() => parseTextPage(page), 'empty-body');
  });
});
