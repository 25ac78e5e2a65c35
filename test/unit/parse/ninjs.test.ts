import { parseInput, type ParsedInput } from '../../../shared/articles/parse';
import { readFixture } from './fixtures';
import { expectRejection } from './rejection';

const fixture = (name: string) => JSON.parse(readFixture(`stories/formats/${name}`).toString('utf8'));
const storyOf = (value: unknown): Extract<ParsedInput, { kind: 'story' }> => {
  const parsed = parseInput({ body: JSON.stringify(value) });
  if (parsed.kind !== 'story') throw new Error('expected one story');
  return parsed;
};

describe('IPTC ninjs 1.x', () => {
  it('maps every field the item carries, tolerating a vendor extension', () => {
    // Act
    const { article, statedVersion } = storyOf(fixture('ninjs-1x-ferry-timetable.json'));

    // Assess
    expect(article).toEqual({
      format: 'ninjs',
      headline: 'Marrow Island ferry adds a dawn sailing after commuters petition the county',
      subheadline: 'The 5:40 a.m. crossing starts in April and runs on weekdays through October.',
      byline: { authors: ['Jane Roe', 'Amos Tillery'], organization: 'AP' },
      // firstcreated 08:15 at -05:00, not versioncreated
      publishedAt: '2026-03-04T13:15:00.000Z',
      photo: {
        caption: 'Commuters board the Marrow Island ferry before sunrise on March 2, 2026.',
        credit: 'Pell Arnaud/AP',
      },
      body: [
        expect.stringMatching(/^MARROW ISLAND, Maine \(AP\) — The county ferry/),
        'Harbor master Leona Fitch said the new run would use the smaller of the two vessels and carry up to 40 cars.',
        expect.stringMatching(/^“People have been leaving the island in the dark/),
      ],
      sources: ['AP'],
      poll: null,
      comments: [],
      commentTotal: null,
      canonicalUrl: 'urn:newsml:wire.example:20260304:ferry-timetable-0417',
      language: 'en',
    });
    expect(statedVersion).toEqual({ version: '3', versionCreated: '2026-03-04T14:40:00.000Z' });
  });

  it('takes a headline_subhead as the subheadline, before the description', () => {
    const item = { ...fixture('ninjs-1x-ferry-timetable.json'), headline_subhead: 'A second boat, at dawn' };

    expect(storyOf(item).article.subheadline).toBe('A second boat, at dawn');
  });

  it('reads body_text when there is no body_html, and falls back to versioncreated for the time', () => {
    const { body_html: _html, firstcreated: _first, ...rest } = fixture('ninjs-1x-ferry-timetable.json');
    const item = { ...rest, body_text: 'First paragraph.\n\nSecond paragraph.' };

    const { article } = storyOf(item);

    expect(article.body).toEqual(['First paragraph.', 'Second paragraph.']);
    expect(article.publishedAt).toBe('2026-03-04T14:40:00.000Z');
  });
});

describe('ninjs field names that are Object.prototype names', () => {
  it('reads associations named __proto__ and constructor as any other, and ignores unknown such fields', () => {
    // Prepare: written as text, so "__proto__" is an own field as JSON.parse reads it
    const item = fixture('ninjs-1x-ferry-timetable.json');
    const picture = JSON.stringify(item.associations.featureimage);
    const text = JSON.stringify({ ...item, associations: {} })
      .replace('"associations":{}', `"associations":{"__proto__":${picture},"constructor":{"type":"text"}}`)
      .replace('"x_wire_priority"', '"hasOwnProperty":1,"x_wire_priority"');

    // Act
    const parsed = parseInput({ body: text });

    // Assess
    expect(parsed.kind === 'story' && parsed.article.photo).toEqual({
      caption: 'Commuters board the Marrow Island ferry before sunrise on March 2, 2026.',
      credit: 'Pell Arnaud/AP',
    });
  });
});

describe('IPTC ninjs 2.x', () => {
  it('maps headlines[], descriptions[], by, bodies[] (HTML preferred) and the first picture association', () => {
    const { article, statedVersion } = storyOf(fixture('ninjs-2x-harbour-crane.json'));

    expect(article).toMatchObject({
      format: 'ninjs',
      headline: 'Alter Hafenkran in Lindwerder wird zum Aussichtsturm',
      subheadline: 'Die Stadt will den Kran aus dem Jahr 1911 bis zum Sommer öffnen',
      byline: { authors: ['Jana Roth'], organization: 'dpa' },
      publishedAt: '2026-03-05T09:02:00.000Z',
      photo: { caption: 'Der Hafenkran am Nordkai von Lindwerder im Abendlicht.', credit: 'Kai Osterloh/dpa' },
      canonicalUrl: 'urn:newsml:wire.example:20260305:hafenkran-8812',
      language: 'de',
    });
    // Three paragraphs from the HTML body, not the two of the plain-text one listed first.
    expect(article.body).toHaveLength(3);
    expect(article.body[2]).toBe(
      '„Der Kran gehört zu Lindwerder wie der Leuchtturm“, sagte Bürgermeisterin Ilse Brandauer.',
    );
    expect(statedVersion).toEqual({ version: '2', versionCreated: '2026-03-05T10:30:00.000Z' });
  });

  it('uses the summary description as the subheadline when no headline has the subhead role', () => {
    const item = fixture('ninjs-2x-harbour-crane.json');
    item.headlines = item.headlines.filter((headline: { role: string }) => headline.role === 'main');

    expect(storyOf(item).article.subheadline).toBe(
      'Der stillgelegte Kran bekommt eine Treppe und eine Plattform in 28 Metern Höhe.',
    );
  });

  it('takes the authors from people related as authors when `by` names only the agency', () => {
    const item = {
      ...fixture('ninjs-2x-harbour-crane.json'),
      by: 'dpa',
      people: [
        { name: 'Jana Roth', rel: 'author' },
        { name: 'Ilse Brandauer', rel: 'mentioned' },
      ],
    };

    expect(storyOf(item).article.byline).toEqual({ authors: ['Jana Roth'], organization: 'dpa' });
  });
});

describe('IPTC ninjs 3.x', () => {
  it('maps the camelCase fields, with authors from people and the agency from `by`', () => {
    const { article, statedVersion } = storyOf(fixture('ninjs-3x-tunnel-survey.json'));

    expect(article).toMatchObject({
      headline: 'Survey crews start mapping the old rail tunnel under Kvernes ridge',
      subheadline: 'The county wants to know whether the 1890s tunnel can carry a cycle path.',
      byline: { authors: ['Ola Brekke'], organization: 'NTB' },
      publishedAt: '2026-03-06T06:45:00.000Z',
      photo: { caption: 'The northern portal of the Kvernes tunnel.', credit: 'NTB' },
      body: [
        'Survey crews began mapping the disused rail tunnel under Kvernes ridge on Friday.',
        'The county’s transport office said the survey would take three weeks and cost about 1.2 million kroner.',
      ],
      canonicalUrl: 'https://wire.example/items/3f1c2a90-tunnel-survey',
      language: 'en-GB',
    });
    expect(statedVersion).toEqual({ version: '7', versionCreated: '2026-03-06T07:10:00.000Z' });
  });
});

describe('ninjs items that are not stories', () => {
  it('names each field whose type breaks the schema', () => {
    const item = { ...fixture('ninjs-2x-harbour-crane.json'), by: 42, headlines: [{ role: 'main' }] };

    const error = expectRejection(() => parseInput({ body: JSON.stringify(item) }), 'invalid-ninjs');

    expect(error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'by' }),
        expect.objectContaining({ path: 'headlines.0.value' }),
      ]),
    );
  });

  it('requires the uri, which is the story’s identity', () => {
    const { uri: _uri, ...item } = fixture('ninjs-1x-ferry-timetable.json');

    const error = expectRejection(() => parseInput({ body: JSON.stringify(item) }), 'invalid-ninjs');

    expect(error.details).toEqual([expect.objectContaining({ path: 'uri' })]);
  });

  it('rejects a picture item as not a story', () => {
    const item = { uri: 'urn:x:photo', type: 'picture', versioncreated: '2026-03-04T09:40:00Z', headline: 'A photo' };

    expectRejection(() => parseInput({ body: JSON.stringify(item) }), 'not-a-story');
  });

  it('rejects an item without a body, and one without any time', () => {
    const { body_html: _body, ...withoutBody } = fixture('ninjs-1x-ferry-timetable.json');
    const { firstcreated: _f, versioncreated: _v, ...withoutTime } = fixture('ninjs-1x-ferry-timetable.json');

    expectRejection(() => parseInput({ body: JSON.stringify(withoutBody) }), 'empty-body');
    expectRejection(() => parseInput({ body: JSON.stringify(withoutTime) }), 'missing-published-at');
  });

  it('rejects a time without an offset rather than guessing its zone', () => {
    const item = { ...fixture('ninjs-3x-tunnel-survey.json'), firstCreated: '2026-03-06T06:45:00' };

    const error = expectRejection(() => parseInput({ body: JSON.stringify(item) }), 'invalid-date');

    expect(error.message).toMatch(/^firstCreated: /);
  });
});

describe('hostile ninjs input', () => {
  it('rejects a 2 MB body as too large, whether the input or the story is over the limit', () => {
    const item = fixture('ninjs-2x-harbour-crane.json');
    const paragraph = `<p>${'Der Kran steht am Nordkai. '.repeat(40)}</p>`;
    const overInput = { ...item, bodies: [{ contenttype: 'text/html', value: paragraph.repeat(2200) }] };
    const overStory = { ...item, bodies: [{ contenttype: 'text/html', value: paragraph.repeat(1800) }] };
    expect(Buffer.byteLength(JSON.stringify(overInput))).toBeGreaterThan(2 * 1024 * 1024);

    const tooLargeInput = expectRejection(() => parseInput({ body: JSON.stringify(overInput) }), 'too-large');
    const tooLargeStory = expectRejection(() => parseInput({ body: JSON.stringify(overStory) }), 'too-large');

    expect(tooLargeInput.message).toMatch(/the limit is 2097152/);
    expect(tooLargeStory.message).toMatch(/once parsed/);
  });

  it('rejects deeply nested JSON with the depth it allows, before any walk over it', () => {
    const nested = `{"uri":"urn:x","associations":${'{"a":'.repeat(100_000)}{}${'}'.repeat(100_000)}}`;

    const error = expectRejection(() => parseInput({ body: nested }), 'nesting-too-deep');

    expect(error.details).toEqual({ maxDepth: 32 });
  });
});
