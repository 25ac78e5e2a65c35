import { createHash } from 'node:crypto';
import { parseArticle } from '../../../shared/articles/parse';
import { parseTextPage } from '../../../shared/articles/parse/text-page';
import { readFixture, readSample, readSeed, seedPresent } from './fixtures';
import { expectRejection } from './rejection';

const STORY_KEY = 'incoming/gull-point-lighthouse-logbooks.txt';
const storyText = readFixture('stories/gull-point-lighthouse-logbooks.txt').toString('utf8');

describe('text story page: an original page in the seed page’s shape', () => {
  const article = parseArticle({ body: Buffer.from(storyText, 'utf8'), key: STORY_KEY });

  it('is read as a text page', () => {
    expect(article.format).toBe('text-page');
  });

  it('takes the headline from line 1 and the subheadline from line 2', () => {
    expect(article.headline).toBe('Old Lighthouse Logbooks Fill a Gap in Storm Records');
    expect(article.subheadline).toBe("'Nobody thought anyone would read these again,' says the museum's archivist");
  });

  it('splits the byline into authors and organization across a non-breaking space', () => {
    expect(storyText).toContain('By Nora Halvorsen,\u00a0Dispatch Staff');
    expect(article.byline).toEqual({ authors: ['Nora Halvorsen'], organization: 'Dispatch' });
  });

  it('converts the CDT posting time to UTC', () => {
    expect(article.publishedAt).toBe('2022-10-07T21:48:00.000Z');
  });

  it('separates the photo caption from the credit after the run of non-breaking spaces', () => {
    expect(storyText).toContain('on Thursday.\u00a0\u00a0 (AP Photo/Teresa Vang, File)');
    expect(article.photo).toEqual({
      caption:
        'Volunteer Marcus Bell, left, and archivist June Okafor turn the pages of an 1898 logbook at the Gull Point museum on Thursday.',
      credit: 'AP Photo/Teresa Vang, File',
    });
  });

  it('keeps the two story paragraphs as written, without the (Dispatch) lead-in', () => {
    // Curly and straight quotes, the em dash and the spaced "..." are kept as written.
    expect(article.body).toEqual([
      'For more than a century, the keepers of the Gull Point lighthouse wrote down the wind, the sea and the sky over the Atlantic four times a day, and for most of that time nobody looked at what they wrote. That is changing: a team of climate researchers has spent two years typing up 37 of the station\'s logbooks, and the results are ... surprisingly useful, reports the Boston Globe. The entries fill a gap between 1871 and 1939, when the nearest weather office kept only daily summaries, and they record at least 14 gales that don’t appear in any official list. "Every keeper was a weather station—one that never took a day off,” says lead researcher Amos Whitfield.',
      'The work relied on volunteers, who checked each typed page against the original in the museum\'s reading room. Speaking to NPR, Okafor said some keepers wrote so neatly that the pages "read like a printed table," while others filled the margins with notes about shipwrecks, sick children and a cow that wandered off the cliff path in 1904. The records are now part of a public database, and the Atlantic notes that similar logbooks sit unread in at least a dozen coastal museums. A reader survey by the museum, meanwhile, finds that most visitors (58%) had no idea lighthouse keepers kept weather records at all.',
    ]);
  });

  it('leaves page furniture and comments out of the body', () => {
    const bodyText = article.body.join('\n');
    for (const furniture of [
      '(Dispatch)',
      'More From Dispatch',
      'My Take on This Story',
      'notify our editors',
      'Show results without voting',
      'You Might Like',
      'Showing 3',
      'great-grandfather',
    ]) {
      expect(bodyText).not.toContain(furniture);
    }
  });

  it('lists the outlets the story cites in order, not the ocean, the photo agency or a commenter’s', () => {
    // "over the Atlantic" is the ocean; "the Atlantic notes" cites the magazine, after NPR.
    expect(article.sources).toEqual(['Boston Globe', 'NPR', 'Atlantic']);
  });

  it('finds the poll question, which has no options on the page', () => {
    expect(article.poll).toEqual({
      question: 'Old Lighthouse Logbooks Fill a Gap in Storm Records is...',
      options: [],
    });
  });

  it('reads each embedded comment with its time in UTC (past midnight for the last) and no author', () => {
    expect(article.comments).toEqual([
      {
        postedAt: '2022-10-08T16:20:00.000Z',
        body: 'My great-grandfather kept the light at a station two hundred miles up the coast, and his logbooks went to the dump when the light was automated. I am glad somebody saved these. If the researchers want more, they should ask around: families kept a lot of this stuff in attics, and most of us have no idea whether it is worth anything to science. I would happily drive mine over if I still had them.',
        author: null,
      },
      {
        postedAt: '2022-10-08T12:05:00.000Z',
        body: 'so they spent 2 YEARS & who knows how many $$$ typing up old diaries?? any fisherman could of told them it was windy!!!',
        author: null,
      },
      {
        // 9:52 PM CDT on Oct 7 is already Oct 8 in UTC; the page has no final newline after it.
        postedAt: '2022-10-08T02:52:00.000Z',
        body: 'Heard about this on NPR earlier today. The bit about the cow is the best thing I have read all week.',
        author: null,
      },
    ]);
  });

  it('takes the comment total from "Showing 3 of 41 comments"', () => {
    expect(article.commentTotal).toBe(41);
  });

  it('has no canonical URL, since the page names none', () => {
    expect(article.canonicalUrl).toBeNull();
  });

  it('gives the same result with CRLF line endings and non-breaking spaces', () => {
    // Prepare
    const nbsp = '\u00a0';
    const variant = storyText
      .replace('Posted Oct 7, 2022 4:48 PM CDT', `Posted${nbsp}Oct 7,${nbsp}2022 4:48${nbsp}PM CDT${nbsp}`)
      .replace('(Dispatch) – ', `(Dispatch)${nbsp}–${nbsp}`)
      .replace('Showing 3 of 41 comments', `Showing${nbsp}3 of 41${nbsp}comments`)
      .replace('Oct 8, 2022 11:20 AM CDT', `${nbsp}Oct 8, 2022${nbsp}11:20 AM CDT`)
      .replace('More From Dispatch', `More From${nbsp}Dispatch${nbsp}`)
      .replace('reports the Boston Globe', `reports${nbsp}the Boston${nbsp}Globe`)
      .replace(/\n/g, '\r\n');

    // Act
    const fromVariant = parseArticle({ body: Buffer.from(variant, 'utf8'), key: STORY_KEY });

    // Assess
    expect(variant).toContain('\r\n');
    expect(variant).toContain(`(Dispatch)${nbsp}–${nbsp}`);
    expect(variant).toContain(`Showing${nbsp}3`);
    expect(variant).toContain(`Boston${nbsp}Globe`);
    expect(fromVariant).toEqual(article);
  });
});

/**
 * The page the parser was first written against. It is a third party's story, so it is not in
 * the repository: these checks run only where `../shared/seed/` sits beside the checkout. Short
 * fields are quoted; long texts are pinned by their length and the start of their SHA-256,
 * written down once from a reading of the page, so no expectation is cut out of the input here
 * the way the parser cuts it.
 */
(seedPresent ? describe : describe.skip)('text story page: the seed page, when ../shared/seed is present', () => {
  const article = seedPresent ? parseArticle({ body: readSeed(), key: 'incoming/seed.txt' }) : null!;
  const fingerprint = (text: string | null | undefined) =>
    text == null ? text : `${text.length}:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;

  it('reads the header: headline, subheadline, a byline split at its non-breaking space, the CDT time', () => {
    expect(article.format).toBe('text-page');
    expect(article.headline).toBe('US, Russia Talks on Crimea Flop');
    expect(article.subheadline).toBe("'We have no common vision,' says Russia's foreign minister");
    expect(article.byline).toEqual({ authors: ['John Johnson'], organization: 'Newser' });
    expect(article.publishedAt).toBe('2014-03-14T17:34:00.000Z');
  });

  it('separates the photo caption from its credit', () => {
    expect(article.photo?.credit).toBe('AP Photo/Brendan Smialowski, Pool');
    expect(article.photo?.caption).toMatch(/^Russian Foreign Minister Sergei Lavrov, left, .* in London Friday\.$/);
    expect(fingerprint(article.photo?.caption)).toBe('132:6941738c536fc1be');
  });

  it('keeps the two paragraphs without the lead-in, and cites three outlets', () => {
    expect(article.body.map(fingerprint)).toEqual(['777:e9c4dc7cd0d9e4b4', '578:f2b1cb141d3ccc88']);
    expect(article.body[0]).toMatch(/^John Kerry and his Russian counterpart /);
    expect(article.sources).toEqual(['Washington Post', 'Guardian', 'CNN']);
  });

  it('finds the poll without options, three comments in UTC and the stated total', () => {
    expect(article.poll).toEqual({ question: 'US, Russia Talks on Crimea Flop is...', options: [] });
    expect(article.comments.map((comment) => ({ ...comment, body: fingerprint(comment.body) }))).toEqual([
      { postedAt: '2014-03-16T19:11:00.000Z', body: '1611:b93e039395e30431', author: null },
      { postedAt: '2014-03-16T14:09:00.000Z', body: '431:da6adebd98ac18f4', author: null },
      { postedAt: '2014-03-16T01:34:00.000Z', body: '385:1ab8882e6fa54a48', author: null },
    ]);
    expect(article.commentTotal).toBe(60);
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
