import { ValidationError } from '../../../shared/errors';
import { MAX_JSON_DEPTH, parseStrictJson } from '../../../shared/http/strict-json';

const parse = (text: string | Buffer) => () => parseStrictJson(typeof text === 'string' ? Buffer.from(text) : text);

describe('parseStrictJson', () => {
  it('parses well-formed JSON, escapes and surrogate pairs included', () => {
    expect(
      parseStrictJson(Buffer.from('{"a":"caf\\u00e9 \\ud83d\\ude00","b":[{"a":1},{"a":2}],"c":{"a":{}}}')),
    ).toEqual({
      a: 'café 😀',
      b: [{ a: 1 }, { a: 2 }],
      c: { a: {} },
    });
    expect(parseStrictJson(Buffer.from(' [1, "x"] '))).toEqual([1, 'x']);
  });

  it.each([
    ['a repeated field', '{"option":"a","value":1,"option":"b"}', 'Duplicate field "option"'],
    ['a field repeated through an escape', '{"a":1,"\\u0061":2}', 'Duplicate field "a"'],
    ['a repeated field in a nested object', '{"a":{"b":1,"b":2}}', 'Duplicate field "b"'],
    ['an unpaired surrogate in a value', '{"author":"x\\ud800"}', 'Unpaired surrogate'],
    ['an unpaired surrogate in a name', '{"\\udfff":1}', 'Unpaired surrogate'],
    ['nesting past the limit', `${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`, 'Nested deeper'],
    ['a byte-order mark', '\ufeff{}', 'Malformed JSON'],
    ['malformed JSON', '{"a":1,}', 'Malformed JSON'],
  ])('refuses %s with a 400 naming the body', (_case, text, message) => {
    const thrown = caught(parse(text));

    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).details).toEqual([{ path: 'body', message: expect.stringContaining(message) }]);
  });

  it.each([[[0xff]], [[0xc0, 0xaf]], [[0xed, 0xa0, 0x80]], [[0xe2, 0x82]]])(
    'refuses invalid UTF-8 %j instead of reading it as U+FFFD',
    (bytes) => {
      const body = Buffer.concat([Buffer.from('{"author":"a'), Buffer.from(bytes), Buffer.from('b"}')]);

      expect(parse(body)).toThrow('The body is not valid UTF-8');
    },
  );

  it('accepts the same name in sibling objects and nesting up to the limit', () => {
    expect(parseStrictJson(Buffer.from('[{"a":1},{"a":2}]'))).toEqual([{ a: 1 }, { a: 2 }]);
    const deepest = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(() => parseStrictJson(Buffer.from(deepest))).not.toThrow();
  });
});

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
