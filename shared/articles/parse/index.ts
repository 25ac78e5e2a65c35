import type { ParsedArticle } from '../article';
import { decodeInput } from './decode';
import { detectFormat } from './detect';
import { ArticleRejectedError } from './errors';
import { parseHtmlPage } from './html-page';
import { parseJsonArticle } from './json-article';
import { parseTextPage } from './text-page';
import { enforceArticleLimits } from './limits';

export { inputTooLarge, MAX_INPUT_BYTES } from './decode';
export { detectFormat, type DetectedFormat, type FormatHints } from './detect';
export { ArticleRejectedError, type RejectionCode, type RejectionDetails, type RejectionIssue } from './errors';

/** One input as ingest receives it: the object's bytes and what S3 says about it. */
export interface ArticleInput {
  body: Buffer | Uint8Array | string;
  /** The object's Content-Type; a hint only. */
  contentType?: string;
  /** The object's key; its extension is a hint only. */
  key?: string;
}

/**
 * Parses one story — a JSON article, an HTML story page or a plain-text story page, told
 * apart by content — into a `ParsedArticle`.
 *
 * @throws ArticleRejectedError for every input that cannot be parsed, and for nothing else.
 */
export function parseArticle(input: ArticleInput): ParsedArticle {
  const text = decodeInput(input.body);
  const detected = detectFormat(text, { contentType: input.contentType, key: input.key });
  try {
    switch (detected.format) {
      case 'json-article':
        return enforceArticleLimits(parseJsonArticle(detected.value));
      case 'html-page':
        return enforceArticleLimits(parseHtmlPage(text));
      case 'text-page':
        return enforceArticleLimits(parseTextPage(text));
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
