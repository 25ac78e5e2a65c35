import type { ParsedArticle } from '../article';
import type { StatedVersion } from '../revision';
import { decodeInput } from './decode';
import { detectFormat } from './detect';
import { ArticleRejectedError } from './errors';
import { parseFeed, type FeedItem, type FeedFormat } from './feed';
import { parseHtmlPage } from './html-page';
import { parseJsonArticle } from './json-article';
import { parseNinjsItem } from './ninjs/ninjs-item';
import { parseTextPage } from './text-page';
import { enforceArticleLimits } from './limits';

export { inputTooLarge, MAX_INPUT_BYTES } from './decode';
export { detectFormat, type DetectedFormat, type FormatHints } from './detect';
export { ArticleRejectedError, type RejectionCode, type RejectionDetails, type RejectionIssue } from './errors';
export type { FeedFormat, FeedItem } from './feed';

/** One input as ingest receives it: the object's bytes and what S3 says about it. */
export interface ArticleInput {
  body: Buffer | Uint8Array | string;
  /** The object's Content-Type; a hint only. */
  contentType?: string;
  /** The object's key; its extension is a hint only. */
  key?: string;
}

/**
 * What one input holds: one story (with the version it states, for a wire item), or a feed of
 * items, each an article or a rejection of its own.
 */
export type ParsedInput =
  | { kind: 'story'; article: ParsedArticle; statedVersion: StatedVersion | null }
  | { kind: 'feed'; format: FeedFormat; items: FeedItem[] };

/**
 * Parses one input — a JSON article, an IPTC ninjs item, an HTML or plain-text story page, or an
 * RSS or Atom feed, told apart by content — into a story or a feed of them.
 *
 * @throws ArticleRejectedError for every input that cannot be parsed, and for nothing else.
 */
export function parseInput(input: ArticleInput): ParsedInput {
  const text = decodeInput(input.body);
  const detected = detectFormat(text, { contentType: input.contentType, key: input.key });
  const story = (article: ParsedArticle): ParsedInput => ({
    kind: 'story',
    article: enforceArticleLimits(article),
    statedVersion: null,
  });
  try {
    switch (detected.format) {
      case 'json-article':
        return story(parseJsonArticle(detected.value));
      case 'ninjs': {
        const item = parseNinjsItem(detected.value);
        return { kind: 'story', article: enforceArticleLimits(item.article), statedVersion: item.statedVersion };
      }
      case 'html-page':
        return story(parseHtmlPage(text));
      case 'text-page':
        return story(parseTextPage(text));
      case 'rss-feed':
        return { kind: 'feed', ...parseFeed(text, 'rss') };
      case 'atom-feed':
        return { kind: 'feed', ...parseFeed(text, 'atom') };
    }
  } catch (error) {
    if (error instanceof ArticleRejectedError) throw error;
    // A parser bug must still leave the input rejected with a reason, not crash ingest with a bare Error.
    const reason = error instanceof Error ? error.message : String(error);
    throw new ArticleRejectedError(
      'unrecognized-format',
      `The ${detected.format} could not be parsed: ${reason}`,
      undefined,
      {
        cause: error,
      },
    );
  }
}

/**
 * Parses an input that must be one story: `parseInput` for callers that have no use for feeds.
 *
 * @throws ArticleRejectedError for every input that cannot be parsed, and for a feed (`unrecognized-format`).
 */
export function parseArticle(input: ArticleInput): ParsedArticle {
  const parsed = parseInput(input);
  if (parsed.kind === 'feed') {
    throw new ArticleRejectedError(
      'unrecognized-format',
      `The input is ${parsed.format === 'rss' ? 'an RSS' : 'an Atom'} feed, not one story`,
    );
  }
  return parsed.article;
}
