import type { Photo } from '../article';
import { collapseWhitespace } from './whitespace';

const MAX_CAPTION_CHARS = 2000;

/** Pages set the credit apart with a run of spaces: `…on Thursday.  (AP Photo/Teresa Vang, File)`. */
const SPACED_CREDIT = /^(.*?)\s{2,}\(([^()]+)\)\s*$/su;
/** Without the spacing, only parentheses that read like a credit count, not any aside. */
const CREDIT_LIKE =
  /^(.*?)\s*\(((?:[^()]*?)(?:Photo|Images|Getty|Courtesy|Credit|File|Shutterstock|\/)[^()]*)\)\s*$/isu;

/**
 * Splits a caption into its text and the trailing parenthesized credit. Returns null when
 * both are empty. Whitespace inside each part is collapsed.
 */
export function splitCaption(text: string): Photo | null {
  // Captions are a sentence or two; past this the lazy patterns would cost quadratic time on hostile input.
  const match = text.length > MAX_CAPTION_CHARS ? null : (SPACED_CREDIT.exec(text) ?? CREDIT_LIKE.exec(text));
  const caption = collapseWhitespace(match ? match[1]! : text);
  const credit = match ? collapseWhitespace(match[2]!) : '';
  if (caption === '' && credit === '') return null;
  return { caption: caption === '' ? null : caption, credit: credit === '' ? null : credit };
}
