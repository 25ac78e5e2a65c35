/**
 * The most a JSON input may nest. A story (a JSON article, a ninjs item with its associations, a
 * JSON-LD graph) is a few levels deep; `JSON.parse` copes with any depth, but every recursive walk
 * after it (serializing, hashing, validating) would overflow the stack on a hostile one.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * True when `json` (text `JSON.parse` accepted) nests arrays and objects deeper than `max`. One
 * pass over the characters, skipping strings, so it costs the same however the input is shaped.
 */
export function nestsDeeperThan(json: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const ch = json.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      i++;
      while (i < json.length && json.charCodeAt(i) !== 0x22) i += json.charCodeAt(i) === 0x5c /* \ */ ? 2 : 1;
    } else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}
