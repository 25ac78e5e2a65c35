import { parseByline } from '../../../shared/articles/parse/byline';

describe('parseByline', () => {
  it.each([
    ['By Nora Halvorsen, Dispatch Staff', ['Nora Halvorsen'], 'Dispatch'],
    ['By Nora Halvorsen,\u00a0Dispatch Staff', ['Nora Halvorsen'], 'Dispatch'],
    ['By Maya Ortiz and Daniel Reyes', ['Maya Ortiz', 'Daniel Reyes'], null],
    ['By Maya Ortiz & Daniel Reyes, Newsroom Staff', ['Maya Ortiz', 'Daniel Reyes'], 'Newsroom'],
    [
      'By Priya Natarajan, Tom Becker and Ana Lima, Newsroom Staff',
      ['Priya Natarajan', 'Tom Becker', 'Ana Lima'],
      'Newsroom',
    ],
    ['By Priya Natarajan, Tom Becker, and Ana Lima', ['Priya Natarajan', 'Tom Becker', 'Ana Lima'], null],
    ['By Jane Doe', ['Jane Doe'], null],
    ['Jane Doe, Reuters', ['Jane Doe'], 'Reuters'],
    ['By Martin Luther King, Jr., Newsroom Staff', ['Martin Luther King, Jr.'], 'Newsroom'],
    ['By Ludwig van Beethoven', ['Ludwig van Beethoven'], null],
    ['By Newser Staff', [], 'Newser'],
  ])('reads "%s"', (text, authors, organization) => {
    expect(parseByline(text)).toEqual({ authors, organization });
  });

  it.each(['By the way, the bridge reopened', 'By 2030, the line will be complete', '', 'By'])(
    'does not mistake "%s" for a byline',
    (text) => {
      expect(parseByline(text)).toBeNull();
    },
  );
});
