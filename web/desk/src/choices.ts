/**
 * The desk's choices that follow rules: how long a ban lasts, and where an error report may move.
 * No DOM, so the unit tests run them in Node.
 */
import type { ReportStatus } from './shapes';

export type BanLength = '1d' | '7d' | '30d' | 'until' | 'forever';

const DAY_MS = 24 * 60 * 60 * 1000;
const DAYS: Partial<Record<BanLength, number>> = { '1d': 1, '7d': 7, '30d': 30 };

/**
 * When a ban chosen as `length` ends: a Date, null for "until lifted", or `missing` when a date and
 * time was to be given and was not. `at` is a `datetime-local` value (the editor's own time).
 */
export function banEnd(length: BanLength, now: number, at: string): Date | null | 'missing' {
  const days = DAYS[length];
  if (days !== undefined) return new Date(now + days * DAY_MS);
  if (length === 'forever') return null;
  const end = at ? new Date(at) : null;
  return end && !Number.isNaN(end.getTime()) ? end : 'missing';
}

/**
 * Where a report may go from `status`: forward only (received → reviewing → corrected or
 * rejected, a step may be skipped); a closed report goes nowhere. Backward moves are not offered.
 */
export function forwardMoves(status: ReportStatus): Exclude<ReportStatus, 'received'>[] {
  switch (status) {
    case 'received':
      return ['reviewing', 'corrected', 'rejected'];
    case 'reviewing':
      return ['corrected', 'rejected'];
    default:
      return [];
  }
}
