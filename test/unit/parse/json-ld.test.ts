import { parseArticle } from '../../../shared/articles/parse';
import { readFixture } from './fixtures';

const GRAPH_PAGE = readFixture('stories/formats/jsonld-graph-page.html').toString('utf8');

/** A page with a headline, a time and paragraphs but no byline or dek, and the given head. */
const page = (head: string, body = '<time datetime="2026-03-09T19:45:00-06:00">March 9</time>') =>
  `<!DOCTYPE html><html><head>${head}</head><body><article><h1>Ferry fares rise</h1>${body}` +
  '<p>The ferry board raised fares by a dollar.</p></article></body></html>';
const jsonLd = (value: unknown) => `<script type="application/ld+json">${JSON.stringify(value)}</script>`;

describe('JSON-LD on story pages', () => {
  it('resolves @id references in a @graph to the publisher and the author, and uses og:description as the dek', () => {
    // Act
    const article = parseArticle({ body: GRAPH_PAGE });

    // Assess
    expect(article).toMatchObject({
      format: 'html-page',
      headline: 'Cedar Falls school board delays the vote on a four-day week',
      subheadline: 'Board members asked for a survey of parents before deciding in May.',
      // From the NewsArticle node, not the plain Article node before it (whose author is "Web Desk").
      byline: { authors: ['Miriam Okonkwo'], organization: 'Riverbend Ledger' },
      publishedAt: '2026-03-10T01:45:00.000Z',
      canonicalUrl: 'https://riverbendledger.example/2026/03/09/four-day-week-vote-delayed/',
    });
    expect(article.body).toHaveLength(3);
  });

  it('uses the JSON-LD description as the dek when the page has no description meta tag', () => {
    const head = jsonLd({ '@type': 'NewsArticle', description: 'Fares rise by a dollar in April.' });

    expect(parseArticle({ body: page(head) }).subheadline).toBe('Fares rise by a dollar in April.');
  });

  it('prefers a dek the page prints to any description', () => {
    const head = '<meta name="description" content="Meta description.">';
    const body = '<p class="dek">Printed dek.</p><time datetime="2026-03-09T19:45:00-06:00">March 9</time>';

    expect(parseArticle({ body: page(head, body) }).subheadline).toBe('Printed dek.');
  });

  it('skips a description longer than a dek may be, rather than rejecting the story', () => {
    const head = `<meta name="description" content="${'Long. '.repeat(200)}">`;

    expect(parseArticle({ body: page(head) }).subheadline).toBeNull();
  });

  it('takes the publication time and authors from JSON-LD when the markup has neither', () => {
    const head = jsonLd({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      datePublished: '2026-03-09T08:00:00+01:00',
      author: [{ '@type': 'Person', name: 'Hana Weller' }, 'Joss Adair'],
      publisher: { '@type': 'Organization', name: 'Bayside Post' },
    });

    const article = parseArticle({ body: page(head, '') });

    expect(article.publishedAt).toBe('2026-03-09T07:00:00.000Z');
    expect(article.byline).toEqual({ authors: ['Hana Weller', 'Joss Adair'], organization: 'Bayside Post' });
  });

  it('keeps the byline the page prints, adding only the organization it lacks', () => {
    const head = jsonLd({
      '@type': 'NewsArticle',
      author: { name: 'Someone Else' },
      publisher: { name: 'Bayside Post' },
    });
    const body = '<p class="byline">By Lena Park</p><time datetime="2026-03-09T19:45:00-06:00">March 9</time>';

    expect(parseArticle({ body: page(head, body) }).byline).toEqual({
      authors: ['Lena Park'],
      organization: 'Bayside Post',
    });
  });

  it('ignores JSON-LD that is not JSON, nests too deep, or describes no article', () => {
    const deep = `{"@type":"NewsArticle","author":{"name":"Deep Author"},"x":${'['.repeat(1000)}${']'.repeat(1000)}}`;
    const head =
      '<script type="application/ld+json">{ not json </script>' +
      `<script type="application/ld+json">${deep}</script>` +
      jsonLd({ '@type': 'WebSite', name: 'Bayside Post' });

    const article = parseArticle({ body: page(head) });

    expect(article.byline).toEqual({ authors: [], organization: null });
    expect(article.body).toEqual(['The ferry board raised fares by a dollar.']);
  });
});
