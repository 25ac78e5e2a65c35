/**
 * When the editor last looked at the alerts, kept per editor (their `sub`) in localStorage: not a
 * secret, and it should outlast the tab, unlike the tokens. `since` is the `recordedAt` of the
 * newest alert seen, sent as `GET /editor/alerts?since=`; the route counts `since` in, so the ids
 * seen at exactly that time are kept too and left out of what is new. No DOM, so the unit tests
 * run it in Node.
 */
import type { EditorAlert } from './shapes';

export interface SeenMark {
  since: string;
  /** The alerts recorded at exactly `since` that were seen. */
  ids: string[];
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const keyOf = (subject: string) => `newsroom-desk:alerts-seen:${subject}`;

export function readSeen(storage: KeyValueStorage | null, subject: string): SeenMark | null {
  try {
    const parsed = JSON.parse(storage?.getItem(keyOf(subject)) ?? 'null') as Partial<SeenMark> | null;
    if (typeof parsed?.since !== 'string' || Number.isNaN(Date.parse(parsed.since))) return null;
    return {
      since: parsed.since,
      ids: Array.isArray(parsed.ids) ? parsed.ids.filter((id) => typeof id === 'string') : [],
    };
  } catch {
    return null;
  }
}

/** The alerts not seen yet: after `since`, or at it and not among the ids seen then. */
export function unseen(alerts: EditorAlert[], mark: SeenMark | null): EditorAlert[] {
  if (!mark) return alerts;
  const since = Date.parse(mark.since);
  return alerts.filter((alert) => {
    const at = Date.parse(alert.recordedAt);
    return at > since || (at === since && !mark.ids.includes(alert.id));
  });
}

/** Marks `alerts` (and everything before them) seen; returns the mark now kept. */
export function markSeen(
  storage: KeyValueStorage | null,
  subject: string,
  alerts: EditorAlert[],
  previous: SeenMark | null,
): SeenMark | null {
  const newest = Math.max(...alerts.map((alert) => Date.parse(alert.recordedAt)));
  if (!Number.isFinite(newest)) return previous;
  const since = alerts.find((alert) => Date.parse(alert.recordedAt) === newest)!.recordedAt;
  const atNewest = alerts.filter((alert) => Date.parse(alert.recordedAt) === newest).map((alert) => alert.id);
  const keep = previous && Date.parse(previous.since) === newest ? previous.ids : [];
  const mark = { since, ids: [...new Set([...keep, ...atNewest])] };
  try {
    storage?.setItem(keyOf(subject), JSON.stringify(mark));
  } catch {
    // Storage full or off: the mark holds for this page only.
  }
  return mark;
}
