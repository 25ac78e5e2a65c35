import { detectSources, normalizeSourceNames } from '../../../shared/articles/parse/sources';

describe('detectSources', () => {
  it.each([
    ['reports the Washington Post.', ['Washington Post']],
    ['the Guardian summed up that it was bad.', ['Guardian']],
    ['A CNN poll finds most agree.', ['CNN']],
    ['according to the New York Times.', ['New York Times']],
    ['Reuters reports the deal closed.', ['Reuters']],
    ['the mayor told NBC News on Monday.', ['NBC News']],
    ['per the Associated Press.', ['AP']],
    ['writes Jane Doe in the New Yorker.', ['New Yorker']],
    ['Time magazine named her, and the Economist notes the cost.', ['Time', 'Economist']],
    ['as reported by the Independent.', ['Independent']],
  ])('finds the outlet cited in "%s"', (sentence, expected) => {
    expect(detectSources([sentence])).toEqual(expected);
  });

  it.each([
    'For the first time in a decade, turnout rose.',
    'Time will tell whether it works.',
    'She is an independent candidate, and a New Yorker by birth.',
    'Ships crossed the Atlantic in March.',
    'The photo was credited to AP Photo/Lena Park.',
    'Former mayor Michael Bloomberg visited.',
    'CNNs and BBCs are not words.',
  ])('finds no outlet in "%s"', (sentence) => {
    expect(detectSources([sentence])).toEqual([]);
  });

  it('lists outlets once each, in order of first mention across paragraphs', () => {
    const paragraphs = [
      'CNN reports one thing.',
      'The BBC reports another; CNN agrees.',
      'So does the Washington Post.',
    ];
    expect(detectSources(paragraphs)).toEqual(['CNN', 'BBC', 'Washington Post']);
  });

  it('prefers the longer name where names overlap', () => {
    expect(detectSources(['Bloomberg News reports, and so does NBC News.'])).toEqual(['Bloomberg', 'NBC News']);
  });
});

describe('normalizeSourceNames', () => {
  it('drops a leading "the", maps known spellings and removes repeats', () => {
    expect(normalizeSourceNames(['The Guardian', 'guardian', 'the Associated Press', 'The Harbor Gazette'])).toEqual([
      'Guardian',
      'AP',
      'Harbor Gazette',
    ]);
  });
});
