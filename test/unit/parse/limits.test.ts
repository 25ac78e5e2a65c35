import { parseArticle, ArticleRejectedError } from '../../../shared/articles/parse';
import { LIMITS } from '../../../shared/limits';
import { SAMPLE_STORY_TEXT } from '../../support/sample-story';

/** The sample story with another headline, or with extra paragraphs. */
function story(headline: string, extraParagraphs: string[] = []): string {
  const [, ...rest] = SAMPLE_STORY_TEXT.split('\n');
  return [headline, ...rest, ...extraParagraphs.flatMap((paragraph) => [paragraph, ''])].join('\n');
}

function rejection(input: string): ArticleRejectedError {
  try {
    parseArticle({ body: input });
  } catch (error) {
    if (error instanceof ArticleRejectedError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('limits every parsed story must keep', () => {
  it('rejects a story too large for its index item, though within the input limit', () => {
    const paragraph = 'The council heard testimony from residents for the whole evening. '.repeat(40);
    const input = story('The Longest Council Meeting on Record', Array(150).fill(paragraph));
    expect(Buffer.byteLength(input)).toBeLessThan(LIMITS.maxIngestBytes);

    const error = rejection(input);

    expect(error.code).toBe('too-large');
    expect(error.details).toMatchObject({ maxBytes: LIMITS.maxArticleBytes });
  });

  it('rejects a headline longer than any real one, naming the field', () => {
    const error = rejection(story(`Harbor Town ${'Ferry '.repeat(100)}Pier`));

    expect(error.code).toBe('field-too-long');
    expect(error.details).toEqual([{ path: 'headline', message: `at most ${LIMITS.maxHeadlineChars} characters` }]);
  });

  it('accepts a headline of exactly the limit', () => {
    const headline = 'H'.repeat(LIMITS.maxHeadlineChars);

    expect(parseArticle({ body: story(headline) }).headline).toBe(headline);
  });
});
