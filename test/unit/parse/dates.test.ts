import {
  isUsTimestampLine,
  parseIsoTimestamp,
  parseTimestamp,
  parseUsTimestamp,
} from '../../../shared/articles/parse/dates';
import { expectRejection } from './rejection';

describe('parseUsTimestamp', () => {
  it.each([
    ['EST', '2014-03-14T17:34:00.000Z'],
    ['EDT', '2014-03-14T16:34:00.000Z'],
    ['CST', '2014-03-14T18:34:00.000Z'],
    ['CDT', '2014-03-14T17:34:00.000Z'],
    ['MST', '2014-03-14T19:34:00.000Z'],
    ['MDT', '2014-03-14T18:34:00.000Z'],
    ['PST', '2014-03-14T20:34:00.000Z'],
    ['PDT', '2014-03-14T19:34:00.000Z'],
    ['AKST', '2014-03-14T21:34:00.000Z'],
    ['AKDT', '2014-03-14T20:34:00.000Z'],
    ['HST', '2014-03-14T22:34:00.000Z'],
    ['UTC', '2014-03-14T12:34:00.000Z'],
    ['GMT', '2014-03-14T12:34:00.000Z'],
  ])('reads 12:34 PM %s as a fixed offset', (zone, expected) => {
    expect(parseUsTimestamp(`Mar 14, 2014 12:34 PM ${zone}`)).toBe(expected);
  });

  it('uses the offset the abbreviation names even on a date outside its season', () => {
    // Prepare: January is standard time in Chicago, but the page says CDT (UTC-5).
    const printed = 'Jan 10, 2014 9:00 AM CDT';

    // Act
    const iso = parseUsTimestamp(printed);

    // Assess
    expect(iso).toBe('2014-01-10T14:00:00.000Z');
  });

  it.each([
    ['12:00 AM', '2014-03-14T05:00:00.000Z'],
    ['12:59 AM', '2014-03-14T05:59:00.000Z'],
    ['1:00 AM', '2014-03-14T06:00:00.000Z'],
    ['11:59 AM', '2014-03-14T16:59:00.000Z'],
    ['12:00 PM', '2014-03-14T17:00:00.000Z'],
    ['12:30 PM', '2014-03-14T17:30:00.000Z'],
    ['1:00 PM', '2014-03-14T18:00:00.000Z'],
    ['11:59 PM', '2014-03-15T04:59:00.000Z'],
  ])('treats %s as the 24-hour clock does (12 AM is midnight, 12 PM is noon)', (time, expected) => {
    expect(parseUsTimestamp(`Mar 14, 2014 ${time} CDT`)).toBe(expected);
  });

  it.each([
    'March 14, 2014 12:34 PM CDT',
    'Mar. 14, 2014 12:34 PM CDT',
    'March 14, 2014 at 12:34 PM CDT',
    'Mar 14 2014 12:34 pm cdt',
    'Mar 14, 2014 12:34 p.m. CDT',
    'Mar 14, 2014 12:34PM CDT',
    '  Mar\u00a014, 2014 12:34\u00a0PM CDT  ',
    'Mar 14, 2014 17:34 UTC',
  ])('accepts the variant "%s"', (printed) => {
    expect(parseUsTimestamp(printed)).toBe('2014-03-14T17:34:00.000Z');
  });

  it('resolves region zones without a season (ET) by the region’s own rules', () => {
    expect(parseUsTimestamp('Jul 4, 2024 9:00 PM ET')).toBe('2024-07-05T01:00:00.000Z');
    expect(parseUsTimestamp('Dec 4, 2024 9:00 PM ET')).toBe('2024-12-05T02:00:00.000Z');
  });

  it.each([
    ['an impossible day', 'Feb 30, 2014 12:34 PM CDT'],
    ['hour 13 with PM', 'Mar 14, 2014 13:34 PM CDT'],
    ['hour 0 with AM', 'Mar 14, 2014 0:15 AM CDT'],
    ['minute 60', 'Mar 14, 2014 12:60 PM CDT'],
    ['an unknown zone', 'Mar 14, 2014 12:34 PM XYZ'],
    ['no zone', 'Mar 14, 2014 12:34 PM'],
    ['no time', 'Mar 14, 2014'],
    ['prose', 'yesterday afternoon'],
  ])('rejects %s as invalid-date', (_case, printed) => {
    expectRejection(() => parseUsTimestamp(printed), 'invalid-date');
  });
});

describe('parseIsoTimestamp', () => {
  it.each([
    ['2014-03-14T12:34:00-05:00', '2014-03-14T17:34:00.000Z'],
    ['2014-03-14T17:34:00Z', '2014-03-14T17:34:00.000Z'],
    ['2014-03-14T17:34:00.250Z', '2014-03-14T17:34:00.250Z'],
    ['2014-03-14T22:34+0500', '2014-03-14T17:34:00.000Z'],
  ])('normalizes %s to UTC with milliseconds', (iso, expected) => {
    expect(parseIsoTimestamp(iso)).toBe(expected);
  });

  it.each([
    ['a date without time', '2014-03-14'],
    ['a time without offset', '2014-03-14T12:34:00'],
    ['an impossible date', '2014-02-30T12:00:00Z'],
    ['a US-style date', 'Mar 14, 2014 12:34 PM CDT'],
  ])('rejects %s as invalid-date', (_case, value) => {
    expectRejection(() => parseIsoTimestamp(value), 'invalid-date');
  });
});

describe('parseTimestamp', () => {
  it('accepts both the ISO and the printed form', () => {
    expect(parseTimestamp('2014-03-14T12:34:00-05:00')).toBe(parseTimestamp('Mar 14, 2014 12:34 PM CDT'));
  });
});

describe('isUsTimestampLine', () => {
  it('recognizes a line that is only a timestamp, and not a sentence containing one', () => {
    expect(isUsTimestampLine('Mar 16, 2014 2:11 PM CDT')).toBe(true);
    expect(isUsTimestampLine('It was Mar 16, 2014 2:11 PM CDT when it happened.')).toBe(false);
  });
});
