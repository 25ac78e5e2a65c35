import { DateTime, FixedOffsetZone, type Zone } from 'luxon';
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
  const hour = toTwentyFourHour(Number(hourText), meridiem, text);
  const dateTime = DateTime.fromObject(
    {
      year: Number(year),
      month: MONTHS.indexOf(monthName.slice(0, 3).toLowerCase()) + 1,
      day: Number(day),
      hour,
      minute: Number(minute),
      second: second === undefined ? 0 : Number(second),
    },
    { zone: zoneFor(zoneName.toUpperCase()) },
  );
  if (!dateTime.isValid) throw invalidDate(text, dateTime.invalidExplanation ?? 'no such time');
  return toUtcIso(dateTime);
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * Parses an ISO-8601 date-time that states its offset (`Z` or `±hh:mm`) into ISO-8601 UTC
 * with milliseconds. A date alone or a time without offset is rejected rather than guessed:
 * which zone a feed meant is exactly what cannot be recovered later.
 *
 * @throws ArticleRejectedError `invalid-date`
 */
export function parseIsoTimestamp(text: string): string {
  const trimmed = text.trim();
  if (!ISO_WITH_OFFSET.test(trimmed)) {
    throw invalidDate(text, 'expected an ISO-8601 date-time with an offset, e.g. "2014-03-14T12:34:00-05:00"');
  }
  // Luxon reads 24:00 as the next day's midnight; the printed form already rejects hour 24.
  const hour = Number(trimmed.slice(11, 13));
  if (hour > 23) throw invalidDate(text, `hour ${hour} is out of range`);
  const dateTime = DateTime.fromISO(trimmed, { setZone: true });
  if (!dateTime.isValid) throw invalidDate(text, dateTime.invalidExplanation ?? 'no such time');
  return toUtcIso(dateTime);
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

function zoneFor(name: string): Zone | string {
  const offset = FIXED_OFFSET_MINUTES[name];
  return offset === undefined ? REGION_ZONES[name]! : FixedOffsetZone.instance(offset);
}

function toUtcIso(dateTime: DateTime): string {
  return dateTime.toUTC().toISO({ suppressMilliseconds: false })!;
}

function invalidDate(text: string, reason: string): ArticleRejectedError {
  return new ArticleRejectedError('invalid-date', `Invalid date "${text.trim().slice(0, 80)}": ${reason}`, {
    value: text.slice(0, 200),
  });
}
