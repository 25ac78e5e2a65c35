/**
 * Invalid values for the text fields of request bodies, per the rules each field declares:
 * lengths count code points after NFC normalization and trimming, and control characters are
 * refused (comments) or dropped before the length is checked (error reports).
 */
import * as fc from 'fast-check';
import { lookAlike } from './hostile-values';

/** Characters String.prototype.trim removes, so a field of only these is empty. */
const TRIMMED = [' ', '\t', '\n', '\r', '\u000b', '\f', '\u00a0', '\u2003', '\u2028', '\u3000', '\ufeff'];
/** C0 controls except tab, line feed and carriage return, DEL, and C1 controls. */
const CONTROLS = [
  ...Array.from({ length: 32 }, (_, code) => code).filter((code) => ![9, 10, 13].includes(code)),
  0x7f,
  0x80,
  0x85,
  0x9f,
].map((code) => String.fromCharCode(code));

const blank = fc.array(fc.constantFrom(...TRIMMED), { maxLength: 6 }).map((chars) => chars.join(''));

/** Longer than `max` code points however it is normalized; under 16 KB as UTF-8. */
function overLong(max: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: 1, max: 200 }), fc.constantFrom('x', '\u00e9', 'e\u0301', '\u4e2d', '\ud83d\ude00'))
    .filter(([, unit]) => Buffer.byteLength(unit) * (max + 200) < 15_000)
    .map(([extra, unit]) => unit.repeat(max + extra));
}

/**
 * A comment author or body the comment rules refuse: empty once trimmed, too long, or holding a
 * control character (authors: any; bodies: any but tab and line breaks).
 */
export function badCommentText(max: number, lineBreaksAllowed: boolean): fc.Arbitrary<string> {
  const controls = lineBreaksAllowed ? CONTROLS : [...CONTROLS, '\t', '\n', '\r'];
  return fc.oneof(
    blank,
    overLong(max),
    fc
      .tuple(
        fc.string({ minLength: 1, maxLength: 10 }),
        fc.constantFrom(...controls),
        fc.string({ minLength: 1, maxLength: 10 }),
      )
      .filter(([before, , after]) => before.trim() !== '' && after.trim() !== '')
      .map(([before, control, after]) => `${before}${control}${after}`),
  );
}

/** A report text with fewer than `min` or more than `max` code points once control characters are dropped and it is trimmed. */
export function badCleanedText(min: number, max: number): fc.Arbitrary<string> {
  const short = fc
    .tuple(
      fc.array(fc.constantFrom(...CONTROLS.filter((c) => c.charCodeAt(0) < 0x80)), { maxLength: 8 }),
      fc.integer({ min: 0, max: min - 1 }),
      blank,
    )
    .map(
      ([controls, visible, spaces]) =>
        `${spaces}${controls.join('')}${'k'.repeat(visible)}${controls.join('')}${spaces}`,
    );
  return fc.oneof(short, overLong(max));
}

/** Not an e-mail address, or longer than the 254 characters of a forward path. */
export function badEmail(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 40 }).filter((value) => !value.includes('@')),
    fc.constantFrom(
      '',
      '@example.org',
      'reader@',
      'reader@@example.org',
      'reader@exa mple.org',
      '<reader@example.org>',
      'reader@example.org, other@example.org',
      'reader@example.org\u0000',
      'reader\u202e@example.org',
      'javascript:alert(1)@x',
    ),
    fc.integer({ min: 245, max: 400 }).map((n) => `${'a'.repeat(n)}@example.org`),
  );
}

/** A token-like string `pattern` refuses: a look-alike of `like`, a wrong length, or stray characters. */
export function notMatching(pattern: RegExp, like: string): fc.Arbitrary<string> {
  return fc
    .oneof(
      lookAlike(like),
      fc.string({ maxLength: 7 }),
      fc.integer({ min: 129, max: 600 }).map((n) => like.repeat(Math.ceil(n / like.length)).slice(0, n)),
      fc
        .tuple(
          fc.nat({ max: like.length }),
          fc.constantFrom(' ', '/', '@', '+', '%', '\u00e9', '\u0000', '\u0430', '..'),
        )
        .map(([i, bad]) => `${like.slice(0, i)}${bad}${like.slice(i)}`),
    )
    .filter((value) => !pattern.test(value));
}
