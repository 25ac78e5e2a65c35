import { randomBytes } from 'node:crypto';
import { ArticleRejectedError, detectFormat, MAX_INPUT_BYTES, parseArticle } from '../../../shared/articles/parse';
import { readFixture } from './fixtures';
import { expectRejection } from './rejection';

const textStory =
  'Harbor Bridge Reopens\nBy Lee Chan\nPosted Jun 3, 2024 6:00 AM EDT\n\n(Newsroom) – The bridge reopened.';

describe('format detection', () => {
  it.each([
    ['a JSON object', '  {"headline": "x"}', 'json-article'],
    ['a doctype', '<!DOCTYPE html><html><body><h1>x</h1></body></html>', 'html-page'],
    ['a bare fragment', '<article><h1>x</h1><p>y</p></article>', 'html-page'],
    ['an HTML comment first', '<!-- saved page --><h1>x</h1>', 'html-page'],
    ['a text page', textStory, 'text-page'],
    ['a headline in brackets', '[Video] Harbor Bridge Reopens\nBy Lee Chan', 'text-page'],
  ])('reads %s by its content', (_case, content, format) => {
    expect(detectFormat(content).format).toBe(format);
  });

  it.each([
    ['a ninjs 1.x item', '{"uri": "urn:x", "versioncreated": "2026-03-04T09:40:00Z"}', 'ninjs'],
    ['a ninjs 3.x item', '{"uri": "urn:x", "headlines": [{"value": "x"}]}', 'ninjs'],
    ['a ninjs-looking item without its uri', '{"body_html": "<p>x</p>"}', 'ninjs'],
    [
      'a JSON article with an extra uri',
      '{"uri": "urn:x", "headline": "x", "publishedAt": "x", "body": "x"}',
      'json-article',
    ],
    ['an RSS feed', '<?xml version="1.0"?>\n<!-- feed --><rss version="2.0"><channel/></rss>', 'rss-feed'],
    ['an RSS feed with an internal subset', '<!DOCTYPE rss [<!ENTITY a "b">]><rss><channel/></rss>', 'rss-feed'],
    ['an Atom feed', '<feed xmlns="http://www.w3.org/2005/Atom"><entry/></feed>', 'atom-feed'],
    [
      'an XHTML page',
      '<?xml version="1.0"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><h1>x</h1></html>',
      'html-page',
    ],
  ])('tells %s apart', (_case, content, format) => {
    expect(detectFormat(content).format).toBe(format);
  });

  it('lets content win over a misleading extension', () => {
    expect(detectFormat('<html><body><h1>x</h1></body></html>', { key: 'story.txt' }).format).toBe('html-page');
    expect(detectFormat(textStory, { key: 'story.json', contentType: 'application/json' }).format).toBe('text-page');
  });

  it('uses an HTML hint only to accept a fragment whose first tag is not at the start', () => {
    const fragment = 'Harbor Bridge Reopens <p>The bridge reopened.</p>';
    expect(detectFormat(fragment).format).toBe('text-page');
    expect(detectFormat(fragment, { contentType: 'text/html; charset=utf-8' }).format).toBe('html-page');
  });
});

describe('rejected inputs', () => {
  it('rejects an empty input', () => {
    expectRejection(() => parseArticle({ body: Buffer.alloc(0) }), 'empty-input');
  });

  it('rejects an input of only whitespace', () => {
    expectRejection(() => parseArticle({ body: ' \r\n\t\u00a0\n' }), 'empty-input');
  });

  it('rejects invalid UTF-8', () => {
    // Prepare: Latin-1 "café", whose é byte is not valid UTF-8 on its own.
    const latin1 = Buffer.from('Caf\xe9 owner wins award', 'latin1');

    // Act / Assess
    expectRejection(() => parseArticle({ body: latin1 }), 'not-utf8');
  });

  it('rejects random bytes', () => {
    // Prepare: random bytes plus a sequence that is never valid UTF-8, so the outcome does not depend on chance.
    const garbage = Buffer.concat([randomBytes(256), Buffer.from([0xc3, 0x28, 0xff, 0xfe])]);

    // Act / Assess
    expectRejection(() => parseArticle({ body: garbage }), 'not-utf8');
  });

  it('rejects UTF-16 text, which is full of NUL bytes', () => {
    const utf16 = Buffer.from(textStory, 'utf16le');
    expectRejection(() => parseArticle({ body: utf16 }), 'not-utf8');
  });

  it('rejects a string with an unpaired surrogate', () => {
    expectRejection(() => parseArticle({ body: `${textStory}\ud800` }), 'not-utf8');
  });

  it('rejects an input over the size limit before reading it', () => {
    const error = expectRejection(() => parseArticle({ body: Buffer.alloc(MAX_INPUT_BYTES + 1, 0x61) }), 'too-large');
    expect(error.details).toEqual({ bytes: MAX_INPUT_BYTES + 1, limit: MAX_INPUT_BYTES });
  });

  it('accepts an input of exactly the size limit', () => {
    const padded = textStory + ' '.repeat(MAX_INPUT_BYTES - Buffer.byteLength(textStory));
    expect(parseArticle({ body: Buffer.from(padded) }).headline).toBe('Harbor Bridge Reopens');
  });

  it('rejects a JSON array as not an article', () => {
    expectRejection(() => parseArticle({ body: '[{"headline": "x"}]' }), 'invalid-json-article');
  });

  it('rejects broken JSON when the input is shaped like JSON', () => {
    expectRejection(() => parseArticle({ body: '{"headline": "x",}' }), 'invalid-json-article');
  });

  it('rejects broken JSON when the key says JSON', () => {
    expectRejection(() => parseArticle({ body: '{"headline": "x"', key: 'incoming/a.json' }), 'invalid-json-article');
  });

  it('rejects a text story without a "Posted" line as missing its date', () => {
    const noDate = 'Harbor Bridge Reopens\nBy Lee Chan\n\n(Newsroom) – The bridge reopened.';
    expectRejection(() => parseArticle({ body: noDate }), 'missing-published-at');
  });

  it('rejects prose without any story structure as unrecognized', () => {
    expectRejection(() => parseArticle({ body: readFixture('garbage/not-a-story.txt') }), 'unrecognized-format');
  });

  it('throws only ArticleRejectedError for arbitrary markup', () => {
    // Prepare: inputs that stress the tokenizer.
    const inputs = ['<', '<<<>>>', '<a b="', '<div>'.repeat(5000), '</p></p><p', '<h1>x</h1><time datetime="soon">'];

    // Act / Assess
    for (const body of inputs) {
      expect(() => parseArticle({ body, contentType: 'text/html' })).toThrow(ArticleRejectedError);
    }
  });

  it('strips a UTF-8 byte-order mark before detecting the format', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"headline":"x"}')]);
    expect(detectFormat(new TextDecoder().decode(withBom)).format).toBe('json-article');
    expectRejection(() => parseArticle({ body: withBom }), 'invalid-json-article');
  });
});
