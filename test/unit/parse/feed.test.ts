import { parseInput, type FeedItem, type ParsedInput } from '../../../shared/articles/parse';
import type { ParsedArticle } from '../../../shared/articles/article';
import { readFixture } from './fixtures';
import { expectRejection } from './rejection';

const feedOf = (body: string | Buffer): Extract<ParsedInput, { kind: 'feed' }> => {
  const parsed = parseInput({ body });
  if (parsed.kind !== 'feed') throw new Error('expected a feed');
  return parsed;
};
const articleOf = (item: FeedItem | undefined): ParsedArticle => {
  if (!item || !('article' in item.outcome)) throw new Error(`item ${item?.position} was rejected`);
  return item.outcome.article;
};

/** An RSS 2.0 feed around the given items. */
const rss = (items: string) =>
  `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>${items}</channel></rss>`;
const rssItem = (n: number, extra = '') =>
  `<item><title>Story ${n}</title><guid>urn:story:${n}</guid><pubDate>Mon, 02 Mar 2026 10:00:00 +0000</pubDate>` +
  `<description>Paragraph of story ${n}.</description>${extra}</item>`;

describe('RSS 2.0 feeds', () => {
  const feed = feedOf(readFixture('stories/formats/rss-harbor-gazette.xml'));

  it('reads every item, in order, each with its own markup', () => {
    expect(feed.format).toBe('rss');
    expect(feed.items.map((item) => item.position)).toEqual([1, 2, 3]);
    expect(feed.items[0]!.markup).toMatch(/^<item>[\s\S]*Port Wendell library[\s\S]*<\/item>$/);
  });

  it('maps content:encoded, description as the dek, dc:creator, pubDate, the body figure, guid and the channel language', () => {
    expect(articleOf(feed.items[0])).toEqual({
      format: 'rss-item',
      headline: 'Port Wendell library reopens its reading room after roof repairs',
      subheadline: 'The room closed in November when a storm tore shingles off the 1902 building.',
      byline: { authors: ['Corinne Vasquez'], organization: null },
      publishedAt: '2026-03-03T19:05:00.000Z',
      photo: { caption: 'Patrons return to the reading room on Tuesday.', credit: 'Harbor Gazette/Ned Oyelaran' },
      body: [
        expect.stringMatching(/^The Port Wendell Public Library reopened/),
        'Library director Hal Brenneman said the repairs cost $84,000, most of it covered by insurance.',
        // HTML references inside CDATA are decoded as HTML.
        '“We moved 6,000 books downstairs in two days,” he said. “Now they all have to go back up.”',
      ],
      sources: [],
      poll: null,
      comments: [],
      commentTotal: null,
      canonicalUrl: 'https://harborgazette.example/?p=10452',
      language: 'en-us',
    });
  });

  it('reads a whole byline in dc:creator and a Media RSS caption and credit', () => {
    expect(articleOf(feed.items[1])).toMatchObject({
      byline: { authors: ['Elias Montrose', 'Dana Kittredge'], organization: 'Harbor Gazette' },
      publishedAt: '2026-03-04T09:30:00.000Z',
      photo: {
        caption: 'A demonstration fire boat sprays water off Sayle Harbor on March 1.',
        credit: 'Ruth Abernathy/Harbor Gazette',
      },
    });
  });

  it('takes the body from description when there is no content:encoded, the author’s name, and the link as identity', () => {
    expect(articleOf(feed.items[2])).toMatchObject({
      subheadline: null,
      byline: { authors: ['Priya Lindqvist'], organization: null },
      // 16:45 EST is a fixed UTC-5
      publishedAt: '2026-03-05T21:45:00.000Z',
      body: [
        'The federal tide gauge at Cobb Point, in service since 1978, will be replaced in May.',
        'Readings will be taken from a temporary gauge at the town pier during the two weeks of work.',
      ],
      canonicalUrl: 'https://harborgazette.example/2026/03/tide-gauge/',
    });
  });

  it('rejects the items that are not stories one by one, with reasons, and keeps the others', () => {
    // Prepare: a story, one without a date, one without text, one without a title, a story
    const items = [
      rssItem(1),
      '<item><title>No date</title><guid>urn:story:2</guid><description>Text.</description></item>',
      '<item><title>A podcast</title><guid>urn:story:3</guid><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate>' +
        '<enclosure url="https://x.example/a.mp3" type="audio/mpeg" length="1"/></item>',
      '<item><guid>urn:story:4</guid><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate><description>T.</description></item>',
      rssItem(5),
    ];

    // Act
    const { items: read } = feedOf(rss(items.join('')));

    // Assess
    expect(read.map((item) => ('article' in item.outcome ? 'article' : item.outcome.rejection.code))).toEqual([
      'article',
      'missing-published-at',
      'empty-body',
      'missing-headline',
      'article',
    ]);
  });

  it('rejects an item whose date is not RFC 822, with the reason', () => {
    const { items } = feedOf(rss(rssItem(1).replace('Mon, 02 Mar 2026 10:00:00 +0000', '2026-03-02 10:00')));

    expect(items[0]!.outcome).toMatchObject({ rejection: { code: 'invalid-date' } });
  });
});

describe('Atom feeds', () => {
  const feed = feedOf(readFixture('stories/formats/atom-valley-courier.xml'));

  it('maps an HTML entry: title, summary as the dek, authors, published, Media RSS, id and xml:lang', () => {
    expect(feed.format).toBe('atom');
    expect(articleOf(feed.items[0])).toEqual({
      format: 'atom-item',
      headline: 'Orchard growers & the irrigation board reach a water deal',
      subheadline: 'Growers will draw 12 percent less in dry months under the five-year agreement.',
      byline: { authors: ['Theo Marchetti', 'Wen Okafor'], organization: null },
      publishedAt: '2026-03-07T01:20:00.000Z',
      photo: {
        caption: 'The Keel Creek reservoir at a third of its capacity in February.',
        credit: 'Marisol Ebbe/Valley Courier',
      },
      body: [
        'Orchard growers in the lower valley and the irrigation board signed a five-year water agreement on Friday.',
        'In months when the reservoir is below half, growers will draw 12 percent less than their allotment.',
      ],
      sources: [],
      poll: null,
      comments: [],
      commentTotal: null,
      canonicalUrl: 'tag:valleycourier.example,2026:story-2231',
      language: 'en-CA',
    });
  });

  it('reads XHTML content, the updated time when nothing was published, and the feed’s author', () => {
    expect(articleOf(feed.items[1])).toMatchObject({
      headline: 'Ski hill opens a night run for the first time',
      byline: { authors: ['Valley Courier newsroom'] },
      publishedAt: '2026-03-07T18:15:00.000Z',
      body: [
        'Granite Knob opened lights on its beginner run on Saturday, the first night skiing in the valley.',
        'The run will stay open until 9 p.m. on weekends through March.',
      ],
      canonicalUrl: 'tag:valleycourier.example,2026:story-2240',
    });
  });

  it('refuses a <feed> outside the Atom namespace', () => {
    expectRejection(() => parseInput({ body: '<feed><entry/></feed>' }), 'invalid-xml');
  });
});

describe('hostile feeds', () => {
  it('rejects a feed of 10,000 items as a whole, naming the limit, without reading the items', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => rssItem(i)).join('');

    const error = expectRejection(() => parseInput({ body: rss(items) }), 'too-many-items');

    expect(error.details).toEqual({ items: 10_000, maxItems: 500 });
  });

  it('reads a feed of 500 items, the most allowed', () => {
    const items = Array.from({ length: 500 }, (_, i) => rssItem(i)).join('');

    expect(feedOf(rss(items)).items).toHaveLength(500);
  });

  it('never expands an entity the document declares (billion laughs)', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
      '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>' +
      rss(rssItem(1, '<dc:creator>&c;</dc:creator>')).replace('<?xml version="1.0"?>', '');

    const error = expectRejection(() => parseInput({ body: bomb }), 'invalid-xml');

    expect(error.message).toMatch(/entity/i);
  });

  it('never reads an external entity', () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>' +
      rss(rssItem(1, '<dc:creator>&secret;</dc:creator>')).replace('<?xml version="1.0"?>', '');

    expectRejection(() => parseInput({ body: xxe }), 'invalid-xml');
  });

  it('rejects elements nested deeper than any feed, in one pass', () => {
    const deep = rss(rssItem(1, `<x>${'<y>'.repeat(50_000)}${'</y>'.repeat(50_000)}</x>`));

    expectRejection(() => parseInput({ body: deep }), 'nesting-too-deep');
  });

  it('rejects nesting past its depth limit even where the parser could follow it', () => {
    const deep = rss(rssItem(1, `<x>${'<y>'.repeat(100)}${'</y>'.repeat(100)}</x>`));

    const error = expectRejection(() => parseInput({ body: deep }), 'nesting-too-deep');

    expect(error.details).toEqual({ maxDepth: 64 });
  });

  it('rejects XML that is not well-formed with the line and column', () => {
    const error = expectRejection(() => parseInput({ body: rss('<item><title>Open</item>') }), 'invalid-xml');

    expect(error.details).toMatchObject({ line: 1, column: expect.any(Number) });
  });

  it('rejects a feed without items', () => {
    expectRejection(() => parseInput({ body: rss('') }), 'empty-feed');
  });

  it('decodes HTML named references XML does not define, but not unknown ones', () => {
    const { items } = feedOf(
      rss(rssItem(1).replace('<title>Story 1</title>', '<title>Caf&eacute;&nbsp;reopens</title>')),
    );

    expect(articleOf(items[0]).headline).toBe('Café reopens');
    expectRejection(() => parseInput({ body: rss(rssItem(1).replace('Story 1', '&bogus;')) }), 'invalid-xml');
  });
});
