import { UnprocessableError } from '../errors';
import type { CommentConfig } from './comment-config';

/** What the automatic rules decide about a new comment before it is stored. */
export type Screening =
  | { verdict: 'approved' }
  | { verdict: 'pending'; heldFor: 'suspect_word' | 'link' }
  | { verdict: 'refused'; field: 'author' | 'body'; term: string };

/** The 422 for text the rules refuse, naming the field and the term. */
export function refusal(screening: Extract<Screening, { verdict: 'refused' }>): UnprocessableError {
  return new UnprocessableError(
    'comment_refused',
    `The comment was refused: it contains "${screening.term}", which is not allowed here`,
    [{ path: `body.${screening.field}`, message: 'Contains a banned word' }],
  );
}

/**
 * Schemes, `www.` and bare host names under common top-level domains. Abbreviations such as
 * "U.S." or "e.g." do not match: a domain label must precede the dot. A host name is only
 * tried where a word starts (the lookbehind), which keeps matching linear in the text's length.
 */
const LINK =
  /(?:(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/|\bwww\.|(?<![a-z0-9.-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|biz|io|co|me|ly|gl|ru|cn|xyz|top|tk|us|uk|de|fr|online|site|click|link|app)(?![a-z0-9-]))/iu;

/** A compiled screen: the word lists become one expression each, built once per process. */
export class CommentScreen {
  private readonly banned: RegExp | null;
  private readonly suspect: RegExp | null;

  constructor(private readonly config: Pick<CommentConfig, 'bannedWords' | 'suspectWords' | 'holdLinks'>) {
    this.banned = termsExpression(config.bannedWords);
    this.suspect = termsExpression(config.suspectWords);
  }

  /**
   * Banned words refuse the comment (in the author or the body); suspect words and links
   * hold it for review. Matching ignores case and compatibility forms (NFKC, so full-width
   * letters and ligatures do not slip through) and needs whole words, so "scumble" is not "scum".
   */
  screen(input: { author: string; body: string }): Screening {
    for (const field of ['author', 'body'] as const) {
      const term = firstMatch(this.banned, input[field]);
      if (term !== null) return { verdict: 'refused', field, term };
    }
    const text = `${input.author}\n${input.body}`;
    if (firstMatch(this.suspect, text) !== null) return { verdict: 'pending', heldFor: 'suspect_word' };
    if (this.config.holdLinks && LINK.test(fold(text))) return { verdict: 'pending', heldFor: 'link' };
    return { verdict: 'approved' };
  }
}

function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

function termsExpression(terms: readonly string[]): RegExp | null {
  const alternatives = terms
    .map((term) => fold(term).trim())
    .filter(Boolean)
    .map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
  if (alternatives.length === 0) return null;
  // Whole words: no letter or digit right before or after the term.
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'u');
}

function firstMatch(expression: RegExp | null, text: string): string | null {
  if (!expression) return null;
  return expression.exec(fold(text))?.[0] ?? null;
}
