import { tzOffset } from '@date-fns/tz/tzOffset';
import { ArticleRejectedError } from './errors';

/**
 * Story pages print times as `Mar 14, 2014 12:34 PM CDT`. A printed abbreviation names an
 * offset, not a region: "CDT" is UTC-5 even on a date when Chicago is on standard time, so
 * these map to fixed offsets and never to an IANA zone's rules.
 */
const FIXED_OFFSET_MINUTES: Readonly<Record<string, number>> = {
  EST: -5 * 60,
  EDT: -4 * 60,
  CST: -6 * 60,
  CDT: -5 * 60,
  MST: -7 * 60,
  MDT: -6 * 60,
  PST: -8 * 60,
  PDT: -7 * 60,
  AKST: -9 * 60,
  AKDT: -8 * 60,
  HST: -10 * 60,
  UTC: 0,
  GMT: 0,
};

/** "ET"/"CT"/"MT"/"PT" leave daylight saving unsaid, so the region's own rules decide the offset. */
const REGION_ZONES: Readonly<Record<string, string>> = {
  ET: 'America/New_York',
  CT: 'America/Chicago',
  MT: 'America/Denver',
  PT: 'America/Los_Angeles',
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const ZONE_NAMES = [...Object.keys(FIXED_OFFSET_MINUTES), ...Object.keys(REGION_ZONES)].join('|');
const MONTH_NAMES =
  'Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?';

/**
 * The timestamp grammar, unanchored so callers can anchor it to a whole line or find it in a
 * sentence. Groups: month, day, year, hour, minute, second, meridiem, zone.
 */
export const US_TIMESTAMP_SOURCE =
  `(${MONTH_NAMES})\\.?\\s+(\\d{1,2}),?\\s+(\\d{4}),?\\s+(?:at\\s+)?(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s*` +
  `([AaPp]\\.?\\s?[Mm]\\.?)?\\s+(${ZONE_NAMES})\\b`;

const WHOLE_US_TIMESTAMP = new RegExp(`^${US_TIMESTAMP_SOURCE}$`, 'i');

/** True when the whole line (NBSPs and outer spaces aside) is one US timestamp, as a comment's time line is. */
export function isUsTimestampLine(line: string): boolean {
  return WHOLE_US_TIMESTAMP.test(line.replace(/\s+/g, ' ').trim());
}

/**
 * Parses `Mar 14, 2014 12:34 PM CDT` (full month names, "Sept", a trailing period on the
 * month, "at" before the time, seconds, a.m./p.m. and a 24-hour clock without meridiem are
 * accepted too) into ISO-8601 UTC with milliseconds.
 *
 * @throws ArticleRejectedError `invalid-date` when the text is not such a timestamp or names an impossible time.
 */
export function parseUsTimestamp(text: string): string {
  const match = WHOLE_US_TIMESTAMP.exec(text.replace(/\s+/g, ' ').trim());
  if (!match) throw invalidDate(text, 'expected a time like "Mar 14, 2014 12:34 PM CDT"');
  const [, monthName = '', day, year, hourText, minute, second, meridiem, zoneName = ''] = match;
  const wall = wallClockMs(
    {
      year: Number(year),
      month: MONTHS.indexOf(monthName.slice(0, 3).toLowerCase()) + 1,
      day: Number(day),
      hour: toTwentyFourHour(Number(hourText), meridiem, text),
      minute: Number(minute),
      second: second === undefined ? 0 : Number(second),
      millisecond: 0,
    },
    text,
  );
  const zone = zoneName.toUpperCase();
  const fixedOffset = FIXED_OFFSET_MINUTES[zone];
  const instant = fixedOffset === undefined ? regionInstant(wall, REGION_ZONES[zone]!) : wall - offsetMs(fixedOffset);
  return new Date(instant).toISOString();
}

const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2})(?::?(\d{2}))?)$/i;

/**
 * Parses an ISO-8601 date-time that states its offset (`Z`, `±hh`, `±hhmm` or `±hh:mm`) into
 * ISO-8601 UTC with milliseconds. A date alone or a time without offset is rejected rather than
 * guessed: which zone a feed meant is exactly what cannot be recovered later. Fraction digits
 * past the millisecond are dropped, not rounded, so `59.9999Z` stays in its second.
 *
 * @throws ArticleRejectedError `invalid-date`
 */
export function parseIsoTimestamp(text: string): string {
  const match = ISO_WITH_OFFSET.exec(text.trim());
  if (!match) {
    throw invalidDate(text, 'expected an ISO-8601 date-time with an offset, e.g. "2014-03-14T12:34:00-05:00"');
  }
  const [, year, month, day, hour, minute, second = '0', fraction = '', sign, offsetHours = '0', offsetMinutes = '0'] =
    match;
  const wall = wallClockMs(
    {
      year: Number(year),
      month: Number(month),
      day: Number(day),
      hour: Number(hour),
      minute: Number(minute),
      second: Number(second),
      millisecond: Number(fraction.padEnd(3, '0').slice(0, 3)),
    },
    text,
  );
  // RFC 3339's grammar for offsets (hours 00-23, minutes 00-59): +05:99 is a typo, not a zone.
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) throw invalidDate(text, 'the offset is out of range');
  // The sign covers the minutes too: -00:30 is half an hour behind UTC.
  const offset = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
  return new Date(wall - offsetMs(offset)).toISOString();
}

const RFC_822 = new RegExp(
  `^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\\s*)?(\\d{1,2})\\s+(${MONTHS.join('|')})\\s+(\\d{4})\\s+` +
    `(\\d{2}):(\\d{2})(?::(\\d{2}))?\\s+([+-]\\d{4}|UT|GMT|Z|[ECMP][SD]T)$`,
  'i',
);

/**
 * Parses the RFC 822 date-time that RSS 2.0 prescribes for `pubDate` (as RFC 2822 and 5322 kept
 * it, four-digit years): `Tue, 03 Mar 2026 14:05:00 +0100`, `3 Mar 2026 14:05 GMT`, with the
 * North American zone names RFC 822 defines as fixed offsets. The day name is optional and not
 * checked against the date; military single-letter zones are refused (RFC 2822 calls them unreliable).
 *
 * @throws ArticleRejectedError `invalid-date`
 */
export function parseRfc822Timestamp(text: string): string {
  const match = RFC_822.exec(text.replace(/\s+/g, ' ').trim());
  if (!match) throw invalidDate(text, 'expected an RFC 822 date-time like "Tue, 03 Mar 2026 14:05:00 +0100"');
  const [, day, monthName = '', year, hour, minute, second = '0', zone = ''] = match;
  const wall = wallClockMs(
    {
      year: Number(year),
      month: MONTHS.indexOf(monthName.toLowerCase()) + 1,
      day: Number(day),
      hour: Number(hour),
      minute: Number(minute),
      second: Number(second),
      millisecond: 0,
    },
    text,
  );
  const upper = zone.toUpperCase();
  let offset: number;
  if (/^[+-]/.test(upper)) {
    const [hours, minutes] = [Number(upper.slice(1, 3)), Number(upper.slice(3, 5))];
    if (hours > 23 || minutes > 59) throw invalidDate(text, 'the offset is out of range');
    offset = (upper.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  } else {
    offset = upper === 'UT' || upper === 'Z' ? 0 : FIXED_OFFSET_MINUTES[upper]!;
  }
  return new Date(wall - offsetMs(offset)).toISOString();
}

/** Either accepted form: ISO with offset when it starts like a date, the printed US form otherwise. */
export function parseTimestamp(text: string): string {
  return /^\s*\d{4}-/.test(text) ? parseIsoTimestamp(text) : parseUsTimestamp(text);
}

function toTwentyFourHour(hour: number, meridiem: string | undefined, text: string): number {
  if (meridiem === undefined) {
    if (hour > 23) throw invalidDate(text, `hour ${hour} is out of range`);
    return hour;
  }
  if (hour < 1 || hour > 12) throw invalidDate(text, `hour ${hour} is out of range for a 12-hour clock`);
  const isPm = meridiem.toLowerCase().startsWith('p');
  // 12 AM is midnight and 12 PM is noon: the 12 wraps to 0 before the PM shift.
  return (hour % 12) + (isPm ? 12 : 0);
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * The wall-clock reading as milliseconds since the epoch, as if it were UTC, after checking
 * that the calendar and the clock have such a reading (proleptic Gregorian, no leap seconds).
 */
function wallClockMs(wall: WallClock, text: string): number {
  const { year, month, day, hour, minute, second, millisecond } = wall;
  if (month < 1 || month > 12) throw invalidDate(text, `month ${month} is out of range`);
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) throw invalidDate(text, `day ${day} is out of range for a month of ${days} days`);
  if (hour > 23) throw invalidDate(text, `hour ${hour} is out of range`);
  if (minute > 59) throw invalidDate(text, `minute ${minute} is out of range`);
  if (second > 59) throw invalidDate(text, `second ${second} is out of range`);
  // Not Date.UTC: it reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  return date.getTime();
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return [4, 6, 9, 11].includes(month) ? 30 : 31;
  const isLeap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return isLeap ? 29 : 28;
}

/**
 * The instant at which a region's clocks show `wall`. Twice a year that is not one instant:
 * in spring the clocks skip an hour (2:30 AM ET on 2014-03-09 never happens) and in autumn
 * they repeat one (1:30 AM ET on 2014-11-02 happens at 05:30Z as EDT and at 06:30Z as EST).
 * Both are read with the lower of the zone's offsets around the change, which for these US
 * zones is standard time: the skipped 2:30 AM ET is 07:30Z (2:30 EST, shown as 3:30 EDT) and
 * the repeated 1:30 AM ET is the second one, 06:30Z (1:30 EST). Why this reading:
 * - it is what the previous, library-based parser answered when these cases were recorded
 *   (2026-11-30), so the rewrite changes no recorded answer. That parser's answer for the
 *   repeated hour was not fixed, though: its first guess was the zone's offset at the moment
 *   the code ran, so in summer it answered EDT and a page re-ingested months later could move
 *   by an hour. A fixed answer keeps parsing a function of the page alone;
 * - one rule covers both cases, and nothing on a page that prints "1:30 AM ET" tells which
 *   of the two it meant.
 * Offsets come from the runtime's Intl data (via @date-fns/tz). The zone is assumed to change
 * its offset at most once within a day of `wall`, which holds for every US rule.
 */
function regionInstant(wall: number, zone: string): number {
  const offsetAt = (instant: number): number => {
    const offset = tzOffset(zone, new Date(instant));
    // Not the page's fault, so not an ArticleRejectedError: the runtime lacks the zone.
    if (!Number.isFinite(offset)) throw new Error(`No time zone data for ${zone}`);
    return offset;
  };
  const [lower, upper] = [offsetAt(wall - DAY_MS), offsetAt(wall + DAY_MS)].sort((a, b) => a - b) as [number, number];
  for (const offset of [lower, upper]) {
    const instant = wall - offsetMs(offset);
    if (offsetAt(instant) === offset) return instant;
  }
  // In the skipped hour neither offset fits; the lower one moves the reading past the gap.
  return wall - offsetMs(lower);
}

/** Offsets before 1883 are local mean time, with seconds: -04:56:02 for New York. */
function offsetMs(offsetMinutes: number): number {
  return Math.round(offsetMinutes * MINUTE_MS);
}

function invalidDate(text: string, reason: string): ArticleRejectedError {
  return new ArticleRejectedError('invalid-date', `Invalid date "${text.trim().slice(0, 80)}": ${reason}`, {
    value: text.slice(0, 200),
  });
}
