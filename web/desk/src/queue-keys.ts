/**
 * The moderation queue's keys, one per action, declared once: the queue acts on them, its Keys list
 * and its buttons' `aria-keyshortcuts` show them, and docs/desk.md is held against them
 * (test/unit/docs/embedding-and-desk-pages.test.ts). No DOM, so Node reads it too.
 */
import type { Decision } from './shapes';

/** What a key does in a queue: move the selection, decide on the selected comment, or undo. */
export type QueueAction = 'next' | 'previous' | Decision | 'undo';

/** Every action has exactly one key: an action without one fails `tsc`. */
export const QUEUE_KEYS = {
  next: 'j',
  previous: 'k',
  approved: 'a',
  rejected: 'r',
  hidden: 'h',
  deleted: 'd',
  undo: 'u',
} as const satisfies Record<QueueAction, string>;

/** The action a key stands for, or null when it is none of the queue's. */
export function queueActionOf(key: string): QueueAction | null {
  return (Object.keys(QUEUE_KEYS) as QueueAction[]).find((action) => QUEUE_KEYS[action] === key) ?? null;
}
