import type { ParsedArticle, SourceFormat } from '../../../shared/articles/article';
import { identityKey } from '../../../shared/articles/identity';

const story = (format: SourceFormat, canonicalUrl: string): ParsedArticle => ({
  format,
  headline: 'Pier reopens',
  subheadline: null,
  byline: { authors: [], organization: null },
  publishedAt: '2026-03-02T10:00:00.000Z',
  photo: null,
  body: ['The pier reopened.'],
  sources: [],
  poll: null,
  comments: [],
  commentTotal: null,
  canonicalUrl,
});

describe('article identity from the id a source assigns', () => {
  it('tells apart feed items whose guids differ only in the query, as WordPress writes them', () => {
    const first = identityKey(story('rss-item', 'https://gazette.example/?p=10452'));
    const second = identityKey(story('rss-item', 'https://gazette.example/?p=10453'));

    expect(first).not.toBe(second);
    expect(first).toBe('id:https://gazette.example/?p=10452');
  });

  it('keeps tag: and urn: ids as written', () => {
    expect(identityKey(story('atom-item', 'tag:courier.example,2026:story-1'))).toBe(
      'id:tag:courier.example,2026:story-1',
    );
    expect(identityKey(story('ninjs', 'urn:newsml:wire.example:1'))).toBe('id:urn:newsml:wire.example:1');
  });

  it('gives a feed item whose id is a plain web address the identity of the page at that address', () => {
    expect(identityKey(story('rss-item', 'https://Gazette.example/2026/pier/'))).toBe(
      identityKey(story('html-page', 'https://gazette.example/2026/pier')),
    );
  });

  it('still drops the query of a page’s canonical URL (tracking parameters are not the story)', () => {
    expect(identityKey(story('html-page', 'https://gazette.example/pier?utm_source=x'))).toBe(
      'url:gazette.example/pier',
    );
  });
});
