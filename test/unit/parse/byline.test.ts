import { parseByline, parseWireByline } from '../../../shared/articles/parse/byline';

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

describe('parseWireByline', () => {
  it.each([
    ['By Jane Roe, AP', ['AP'], { authors: ['Jane Roe'], organization: 'AP' }],
    ['Von Jana Roth, dpa', ['dpa'], { authors: ['Jana Roth'], organization: 'dpa' }],
    [
      'By Jane Roe and Amos Tillery, Associated Press',
      [],
      { authors: ['Jane Roe', 'Amos Tillery'], organization: 'AP' },
    ],
    ['NTB', ['NTB'], { authors: [], organization: 'NTB' }],
    ['Av Ola Brekke, NTB', ['NTB'], { authors: ['Ola Brekke'], organization: 'NTB' }],
    ['By Jane Roe', ['AP'], { authors: ['Jane Roe'], organization: null }],
  ])('reads %s (agencies %j)', (text, agencies, expected) => {
    expect(parseWireByline(text, agencies)).toEqual(expected);
  });

  it('does not take a lower-case last part for an agency the item does not credit', () => {
    expect(parseWireByline('Von Jana Roth, dpa', [])).toBeNull();
  });
});
