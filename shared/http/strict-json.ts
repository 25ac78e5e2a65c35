import { ValidationError } from '../errors';

/** Request bodies are flat records; anything nested deeper is refused before it is walked. */
export const MAX_JSON_DEPTH = 32;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses a request body as strict JSON (RFC 8259): UTF-8 only, unique member names, strings of
 * whole characters and limited nesting. `JSON.parse` alone is lenient where it matters: a
 * repeated name keeps its last value (so a filter and the handler may read different values
 * from one body), invalid UTF-8 turns into U+FFFD (so garbage becomes text that is stored) and
 * `"\ud800"` is a string no store can hold as UTF-8. A byte-order mark stays and is refused.
 */
export function parseStrictJson(bytes: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw refused('The body is not valid UTF-8', 'Invalid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError('The body is not valid JSON', [{ path: 'body', message: 'Malformed JSON' }]);
  }
  checkStructure(text);
  return value;
}

/**
 * One pass over text that `JSON.parse` accepted: nesting depth, member names unique within
 * each object, and no unpaired surrogate in any name or string.
 */
function checkStructure(text: string): void {
  const objects: Array<Set<string> | null> = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{' || ch === '[') {
      objects.push(ch === '{' ? new Set() : null);
      if (objects.length > MAX_JSON_DEPTH) {
        throw refused('The body is nested too deeply', `Nested deeper than ${MAX_JSON_DEPTH} levels`);
      }
    } else if (ch === '}' || ch === ']') {
      objects.pop();
    } else if (ch === '"') {
      const end = closingQuote(text, i);
      const token = text.slice(i, end + 1);
      // Only escapes can produce a surrogate: decoded UTF-8 never holds an unpaired one.
      const decoded = token.includes('\\') ? (JSON.parse(token) as string) : token.slice(1, -1);
      if (/\p{Cs}/u.test(decoded)) throw refused('The body holds text that is not Unicode', 'Unpaired surrogate');
      if (isMemberName(text, end)) {
        const names = objects[objects.length - 1];
        if (names?.has(decoded)) {
          throw refused('The body repeats a field', `Duplicate field ${JSON.stringify(decoded)}`);
        }
        names?.add(decoded);
      }
      i = end;
    }
  }
}

/** Index of the quote that ends the string starting at `start` (the text is valid JSON). */
function closingQuote(text: string, start: number): number {
  let i = start + 1;
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i;
}

/** A string is a member name when a colon follows it. */
function isMemberName(text: string, end: number): boolean {
  let i = end + 1;
  while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r') i++;
  return text[i] === ':';
}

const refused = (message: string, detail: string) => new ValidationError(message, [{ path: 'body', message: detail }]);
