import { parseArticle } from '../../../shared/articles/parse';
import { parseHtmlPage } from '../../../shared/articles/parse/html-page';
import { tokenizeHtml } from '../../../shared/articles/parse/html/tokenizer';
import { readFixture, readSample } from './fixtures';
import { expectRejection } from './rejection';

/** A minimal story page; `parts` replace its pieces to vary one thing at a time. */
function page(parts: { head?: string; header?: string; figure?: string; body?: string; after?: string } = {}): string {
  return `<!doctype html><html><head>${parts.head ?? ''}</head><body>
<article>
${parts.header ?? '<h1>Harbor Bridge Reopens</h1><p class="byline">By Lee Chan</p><time datetime="2024-06-03T06:00:00-04:00">Jun 3</time>'}
${parts.figure ?? ''}
${parts.body ?? '<p>(Newsroom) – The bridge reopened at dawn.</p><p>Traffic was light.</p>'}
</article>
${parts.after ?? ''}
</body></html>`;
}

describe('HTML story page', () => {
  it('parses the HTML version of a story to the same article as its text version', () => {
    // Prepare
    const html = readSample('port-calder-light-rail-tax.html');
    const text = readFixture('stories/port-calder-light-rail-tax.txt');

    // Act
    const fromHtml = parseArticle({ body: html, key: 'incoming/port-calder-light-rail-tax.html' });
    const fromText = parseArticle({ body: text });

    // Assess
    expect(fromHtml.format).toBe('html-page');
    expect(fromHtml.canonicalUrl).toBe('https://newsroom.example/stories/port-calder-light-rail-tax');
    expect({ ...fromHtml, format: 'text-page', canonicalUrl: null }).toEqual(fromText);
  });

  it('decodes named, decimal and hex references, and keeps script, style, nav and comments out', () => {
    // Act
    const article = parseArticle({ body: readSample('port-calder-light-rail-tax.html') });

    // Assess
    const bodyText = article.body.join('\n');
    expect(bodyText).toContain('voted 6–3');
    expect(bodyText).toContain('“the biggest bet this city has made on itself in a generation.”');
    expect(bodyText).toContain('Mayor Renée Castillo');
    expect(bodyText).not.toMatch(/&[a-z#0-9]+;/i);
    expect(article.headline).not.toContain('Not the headline');
    expect(bodyText).not.toContain('Breaking');
    expect(bodyText).not.toContain('commented-out');
    expect(bodyText).not.toContain('All rights reserved');
  });

  it('falls back to og:title, meta description and article:published_time', () => {
    // Prepare
    const html = page({
      head:
        '<meta property="og:title" content="Harbor Bridge Reopens">' +
        '<meta name="description" content="Two years of repairs are over">' +
        '<meta property="article:published_time" content="2024-06-03T10:00:00Z">' +
        '<meta property="og:url" content="https://newsroom.example/stories/harbor-bridge">',
      header: '',
    });

    // Act
    const article = parseHtmlPage(html);

    // Assess
    expect(article.headline).toBe('Harbor Bridge Reopens');
    expect(article.subheadline).toBe('Two years of repairs are over');
    expect(article.publishedAt).toBe('2024-06-03T10:00:00.000Z');
    expect(article.canonicalUrl).toBe('https://newsroom.example/stories/harbor-bridge');
    expect(article.byline).toEqual({ authors: [], organization: null });
  });

  it('reads the date from "Posted …" text when no machine-readable date exists', () => {
    const html = page({ header: '<h1>Harbor Bridge Reopens</h1><p class="meta">Posted Jun 3, 2024 6:00 AM EDT</p>' });
    const article = parseHtmlPage(html);
    expect(article.publishedAt).toBe('2024-06-03T10:00:00.000Z');
    expect(article.body).toEqual(['The bridge reopened at dawn.', 'Traffic was light.']);
  });

  it('takes the subheadline from a .subheadline element and the byline from rel=author links', () => {
    const html = page({
      header:
        '<h1>Harbor Bridge Reopens</h1><p class="subheadline">Two years of repairs are over</p>' +
        '<span>By <a rel="author">Lee Chan</a>, <a rel="author">Ada Brooks</a></span>' +
        '<time datetime="2024-06-03T06:00:00-04:00"></time>',
    });
    const article = parseHtmlPage(html);
    expect(article.subheadline).toBe('Two years of repairs are over');
    expect(article.byline).toEqual({ authors: ['Lee Chan', 'Ada Brooks'], organization: null });
    expect(article.body).toEqual(['The bridge reopened at dawn.', 'Traffic was light.']);
  });

  it('splits a caption credit given in parentheses without a .credit element', () => {
    const html = page({
      figure:
        '<figure><img src="x.jpg"><figcaption>Cars cross at dawn. (Newsroom Photo/Sam Okafor)</figcaption></figure>',
    });
    expect(parseHtmlPage(html).photo).toEqual({ caption: 'Cars cross at dawn.', credit: 'Newsroom Photo/Sam Okafor' });
  });

  it('reads comment authors, poll options and the comment counter', () => {
    // Prepare
    const html = page({
      after: `
<section class="poll"><legend>Harbor Bridge Reopens is...</legend>
  <label><input type="radio" name="v" value="a"> Overdue</label><label><input type="radio" name="v" value="b"> Fine</label>
  <button>Show results without voting</button></section>
<section class="comments"><p>Showing 1 of 1,204 comments</p>
  <div class="comment"><span class="comment-author">harborwatcher</span>
    <time datetime="2024-06-03T08:00:00-04:00">Jun 3, 2024 8:00 AM EDT</time>
    <div class="comment-text">About time &amp; then some.</div></div>
</section>`,
    });

    // Act
    const article = parseHtmlPage(html);

    // Assess
    expect(article.poll).toEqual({ question: 'Harbor Bridge Reopens is...', options: ['Overdue', 'Fine'] });
    expect(article.comments).toEqual([
      { postedAt: '2024-06-03T12:00:00.000Z', body: 'About time & then some.', author: 'harborwatcher' },
    ]);
    expect(article.commentTotal).toBe(1204);
    expect(article.byline).toEqual({ authors: ['Lee Chan'], organization: null });
  });

  it('survives unclosed paragraphs, stray end tags and unquoted attributes', () => {
    const html =
      '<html><body><article class=story><h1>Harbor Bridge Reopens</h1></span>' +
      '<time datetime=2024-06-03T10:00:00Z></time><p>The bridge reopened.<p>Traffic was light.<div>Ad</div></article>';
    const article = parseHtmlPage(html);
    expect(article.body).toEqual(['The bridge reopened.', 'Traffic was light.']);
  });

  it('rejects a page without a headline', () => {
    expectRejection(
      () => parseHtmlPage(page({ header: '<time datetime="2024-06-03T10:00:00Z"></time>' })),
      'missing-headline',
    );
  });

  it('rejects a page without a date', () => {
    expectRejection(() => parseHtmlPage(page({ header: '<h1>Harbor Bridge Reopens</h1>' })), 'missing-published-at');
  });

  it('rejects a <time> whose datetime has no offset', () => {
    const html = page({ header: '<h1>Harbor Bridge Reopens</h1><time datetime="2024-06-03T06:00"></time>' });
    expectRejection(() => parseHtmlPage(html), 'invalid-date');
  });

  it('rejects a page without paragraphs', () => {
    expectRejection(() => parseHtmlPage(page({ body: '<div>Just a div</div>' })), 'empty-body');
  });

  it('names nesting past the depth it reads, with the limit, when the story lies deeper than that', () => {
    // Prepare: the paragraphs sit inside 300 nested sections, past the 256 levels the tree keeps
    const depth = 300;
    const nested = `${'<section class="wrap">'.repeat(depth)}<p>(Newsroom) – The ferry ran on time all week.</p>${'</section>'.repeat(depth)}`;

    // Act
    const error = expectRejection(() => parseHtmlPage(page({ body: nested })), 'nesting-too-deep');

    // Assess
    expect(error.message).toMatch(/deeper than 256 levels/);
    expect(error.message).toMatch(/story paragraphs/);
    expect(error.details).toEqual({ maxDepth: 256 });
  });

  it('still reads a page whose stray nesting passes the limit below a complete story', () => {
    const strayNesting = '<span>'.repeat(400);

    const article = parseHtmlPage(page({ after: `<div class="footer-links">${strayNesting}</div>` }));

    expect(article.body).toEqual(['The bridge reopened at dawn.', 'Traffic was light.']);
  });
});

describe('character references', () => {
  /** The decoded text of a fragment, and the decoded value of its `<a href>`. */
  const textOf = (html: string): string =>
    tokenizeHtml(html)
      .map((token) => (token.type === 'text' ? token.text : ''))
      .join('');
  const hrefOf = (value: string): string | undefined => {
    const [token] = tokenizeHtml(`<a href="${value}">`);
    return token?.type === 'start' ? token.attrs['href'] : undefined;
  };

  it('decodes named, decimal and hex references the way browsers do, leaving unknown names as written', () => {
    expect(textOf('&lt;b&gt; &amp;amp; &quot;&#39;&nbsp;&#150;&#x2014;&hellip;&eacute;&Ntilde;&bogus;')).toBe(
      '<b> &amp; "\'\u00a0–—…éÑ&bogus;',
    );
  });

  it('decodes the whole HTML table: Greek letters, arrows, mathematical symbols', () => {
    expect(textOf('&alpha;&Beta;&omega; &rarr;&larr;&uarr;&hArr; &infin;&ne;&le;&sum;')).toBe('αΒω →←↑⇔ ∞≠≤∑');
  });

  it('decodes legacy references without a semicolon in text, but not before "=" or a letter in attribute values', () => {
    // Prepare: the table's legacy names (amp, copy, not, …) are decoded without ";" in text,
    // while in attributes they stay as written where a query string would continue.
    const query = '/story?a=1&copy=2&amp=3&notify';

    // Act / Assess
    expect(textOf('Fish &amp Chips &copy 2024 &notify')).toBe('Fish & Chips © 2024 ¬ify');
    expect(hrefOf(query)).toBe(query);
    expect(hrefOf('/story?a=1&amp;b=2&copy 2024')).toBe('/story?a=1&b=2© 2024');
  });

  it('turns NUL, surrogates and code points past U+10FFFF into U+FFFD, and 128–159 into Windows-1252', () => {
    expect(textOf('[&#0;][&#xD800;][&#57343;][&#x110000;][&#99999999999;][&#128;&#x9F;]')).toBe(
      '[\ufffd][\ufffd][\ufffd][\ufffd][\ufffd][€Ÿ]',
    );
  });

  it('leaves references named like Object.prototype members as written, in text and attributes', () => {
    const names = Object.getOwnPropertyNames(Object.prototype).filter((name) => /^[A-Za-z_][A-Za-z0-9_]+$/.test(name));
    const text = names.map((name) => `&${name};`).join(' ');

    expect(names).toEqual(
      expect.arrayContaining(['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__']),
    );
    expect(textOf(text)).toBe(text);
    expect(hrefOf(text)).toBe(text);
  });
});
