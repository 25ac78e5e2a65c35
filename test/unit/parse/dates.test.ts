import {
  isUsTimestampLine,
  parseIsoTimestamp,
  parseRfc822Timestamp,
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
    ['PDT in December', 'Dec 1, 2014 9:00 AM PDT', '2014-12-01T16:00:00.000Z'],
    ['EST in July', 'Jul 4, 2014 9:00 AM EST', '2014-07-04T14:00:00.000Z'],
    ['CDT in February', 'Feb 1, 2014 9:00 AM CDT', '2014-02-01T14:00:00.000Z'],
  ])('keeps the named offset for %s', (_case, printed, expected) => {
    expect(parseUsTimestamp(printed)).toBe(expected);
  });

  it.each([
    // 2014-03-09: clocks in New York and Los Angeles jump from 2:00 to 3:00.
    ['Mar 9, 2014 1:59 AM ET', '2014-03-09T06:59:00.000Z'],
    ['Mar 9, 2014 2:00 AM ET', '2014-03-09T07:00:00.000Z'],
    ['Mar 9, 2014 2:30 AM ET', '2014-03-09T07:30:00.000Z'],
    ['Mar 9, 2014 2:59 AM ET', '2014-03-09T07:59:00.000Z'],
    ['Mar 9, 2014 3:00 AM ET', '2014-03-09T07:00:00.000Z'],
    ['Mar 9, 2014 2:30 AM CT', '2014-03-09T08:30:00.000Z'],
    ['Mar 9, 2014 2:30 AM PT', '2014-03-09T10:30:00.000Z'],
  ])('reads %s, inside or beside the skipped spring hour, on standard time', (printed, expected) => {
    expect(parseUsTimestamp(printed)).toBe(expected);
  });

  it.each([
    // 2014-11-02: clocks fall back from 2:00 to 1:00, so 1:00–1:59 happens twice.
    ['Nov 2, 2014 12:59 AM ET', '2014-11-02T04:59:00.000Z'],
    ['Nov 2, 2014 1:00 AM ET', '2014-11-02T06:00:00.000Z'],
    ['Nov 2, 2014 1:30 AM ET', '2014-11-02T06:30:00.000Z'],
    ['Nov 2, 2014 1:59 AM ET', '2014-11-02T06:59:00.000Z'],
    ['Nov 2, 2014 2:00 AM ET', '2014-11-02T07:00:00.000Z'],
    ['Nov 2, 2014 1:30 AM MT', '2014-11-02T08:30:00.000Z'],
    ['Nov 2, 2014 1:30 AM PT', '2014-11-02T09:30:00.000Z'],
  ])('reads %s, inside or beside the repeated autumn hour, on standard time', (printed, expected) => {
    expect(parseUsTimestamp(printed)).toBe(expected);
  });

  it('reads the repeated hour the same whatever the date the code runs on', () => {
    // Prepare: a summer clock, when ET itself is on daylight time.
    jest.useFakeTimers({ now: new Date('2026-07-01T12:00:00Z') });

    try {
      // Act
      const iso = parseUsTimestamp('Nov 2, 2014 1:30 AM ET');

      // Assess
      expect(iso).toBe('2014-11-02T06:30:00.000Z');
    } finally {
      jest.useRealTimers();
    }
  });

  it.each([
    ['Dec 31, 2014 11:30 PM EST', '2015-01-01T04:30:00.000Z'],
    ['Dec 31, 2014 11:59:59 PM PT', '2015-01-01T07:59:59.000Z'],
    ['Jan 1, 2015 12:30 AM ET', '2015-01-01T05:30:00.000Z'],
    ['Jan 1, 2015 12:00 AM UTC', '2015-01-01T00:00:00.000Z'],
  ])('carries %s across the year boundary', (printed, expected) => {
    expect(parseUsTimestamp(printed)).toBe(expected);
  });

  it.each([
    ['Feb 29, 2016 12:00 PM ET', '2016-02-29T17:00:00.000Z'],
    ['Feb 29, 2000 12:00 PM UTC', '2000-02-29T12:00:00.000Z'],
  ])('accepts the leap day %s', (printed, expected) => {
    expect(parseUsTimestamp(printed)).toBe(expected);
  });

  it('keeps a year below 100 as written rather than as 19xx', () => {
    expect(parseUsTimestamp('Jan 1, 0050 12:00 AM UTC')).toBe('0050-01-01T00:00:00.000Z');
  });

  it.each([
    ['an impossible day', 'Feb 30, 2014 12:34 PM CDT'],
    ['Feb 29 in a common year', 'Feb 29, 2015 12:00 PM ET'],
    ['Feb 29 in a century year not divisible by 400', 'Feb 29, 1900 12:00 PM UTC'],
    ['day 0', 'Mar 0, 2014 12:00 PM CDT'],
    ['hour 24', 'Mar 14, 2014 24:00 CDT'],
    ['second 60', 'Mar 14, 2014 12:34:60 PM CDT'],
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
    ['2014-03-14T17:34Z', '2014-03-14T17:34:00.000Z'],
    ['2014-03-14t17:34z', '2014-03-14T17:34:00.000Z'],
    ['2014-03-14T12:34-05', '2014-03-14T17:34:00.000Z'],
    ['2014-03-14T12:34-0500', '2014-03-14T17:34:00.000Z'],
    ['2014-03-14T12:34-05:00', '2014-03-14T17:34:00.000Z'],
    ['2014-03-14T23:04+05:30', '2014-03-14T17:34:00.000Z'],
    ['2014-03-14T23:04+0530', '2014-03-14T17:34:00.000Z'],
    ['2014-03-14T17:34+00', '2014-03-14T17:34:00.000Z'],
    ['2014-03-14T17:34-00:00', '2014-03-14T17:34:00.000Z'],
    // The sign covers the minutes too: -00:30 is half an hour behind UTC.
    ['2014-03-14T17:04-00:30', '2014-03-14T17:34:00.000Z'],
  ])('reads the offset in %s', (iso, expected) => {
    expect(parseIsoTimestamp(iso)).toBe(expected);
  });

  it.each([
    ['2014-03-14T17:34:00.5Z', '2014-03-14T17:34:00.500Z'],
    ['2014-03-14T17:34:00.123456789Z', '2014-03-14T17:34:00.123Z'],
    // Truncated, not rounded: rounding would carry into the next second.
    ['2014-03-14T17:34:59.999999999Z', '2014-03-14T17:34:59.999Z'],
    ['2014-03-14T17:34:00.0009+01:00', '2014-03-14T16:34:00.000Z'],
  ])('keeps the first three digits of the fraction in %s', (iso, expected) => {
    expect(parseIsoTimestamp(iso)).toBe(expected);
  });

  it.each([
    ['2014-12-31T23:30:00-05:00', '2015-01-01T04:30:00.000Z'],
    ['2015-01-01T00:30+01:00', '2014-12-31T23:30:00.000Z'],
    ['2016-02-29T12:00Z', '2016-02-29T12:00:00.000Z'],
    ['2016-02-29T23:00-05:00', '2016-03-01T04:00:00.000Z'],
    ['0050-06-01T00:00Z', '0050-06-01T00:00:00.000Z'],
  ])('carries %s across day, month and year boundaries', (iso, expected) => {
    expect(parseIsoTimestamp(iso)).toBe(expected);
  });

  it.each([
    ['a date without time', '2014-03-14'],
    ['a time without offset', '2014-03-14T12:34:00'],
    ['an impossible date', '2014-02-30T12:00:00Z'],
    ['Feb 30 at midnight', '2014-02-30T00:00Z'],
    ['Feb 29 in a common year', '2015-02-29T12:00Z'],
    ['month 13', '2014-13-01T00:00Z'],
    ['month 0', '2014-00-01T00:00Z'],
    ['day 0', '2014-01-00T00:00Z'],
    ['hour 24 (no end-of-day midnight)', '2014-03-14T24:00Z'],
    ['hour 24 with seconds', '2014-03-14T24:00:00.000+01:00'],
    ['hour 25', '2014-03-14T25:00Z'],
    ['minute 60', '2014-03-14T23:60Z'],
    ['second 60', '2014-03-14T23:59:60Z'],
    ['more than nine fraction digits', '2014-03-14T17:34:00.1234567890Z'],
    ['a fraction point without digits', '2014-03-14T17:34:00.Z'],
    ['an offset minute past 59', '2014-03-14T12:00+05:99'],
    ['an offset hour past 23', '2014-03-14T12:00+99:00'],
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

describe('parseRfc822Timestamp', () => {
  it.each([
    ['Tue, 03 Mar 2026 14:05:00 -0500', '2026-03-03T19:05:00.000Z'],
    ['3 Mar 2026 14:05 GMT', '2026-03-03T14:05:00.000Z'],
    ['Thu, 05 Mar 2026 16:45:00 EST', '2026-03-05T21:45:00.000Z'],
    // PDT is a fixed UTC-7, even in March before daylight saving began
    ['Sun, 01 Mar 2026 08:00:00 PDT', '2026-03-01T15:00:00.000Z'],
    ['Mon, 02 Mar 2026 00:30:00 +0530', '2026-03-01T19:00:00.000Z'],
    ['Mon, 02 Mar 2026 10:00:00 UT', '2026-03-02T10:00:00.000Z'],
  ])('reads %s', (text, expected) => {
    expect(parseRfc822Timestamp(text)).toBe(expected);
  });

  it.each([
    ['an ISO time', '2026-03-02T10:00:00Z'],
    ['a two-digit year', 'Mon, 02 Mar 26 10:00:00 GMT'],
    ['a military zone', 'Mon, 02 Mar 2026 10:00:00 A'],
    ['an impossible date', 'Mon, 30 Feb 2026 10:00:00 GMT'],
    ['an offset out of range', 'Mon, 02 Mar 2026 10:00:00 +2500'],
  ])('rejects %s', (_case, text) => {
    expectRejection(() => parseRfc822Timestamp(text), 'invalid-date');
  });
});
