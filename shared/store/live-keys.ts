/**
 * Item keys of the live-update slots on the single table (see `shared/store/table-design.ts`):
 *
 * | item                          | pk                 | sk                     | written by           |
 * |-------------------------------|--------------------|------------------------|----------------------|
 * | a story's slot for one kind   | `LIVE#<articleId>` | `<kind>` (`poll`, …)   | publish-live-updates |
 * | a comment's published version | `LIVE#<articleId>` | `VERSION#<commentId>`  | publish-live-updates |
 *
 * A partition of their own, not the story's `ARTICLE#` one: no listing or stream filter reads
 * them, and their writes (one a second at most per story and kind) stay off the story's items.
 * No stream filter selects `LIVE#` keys, so the slots never invoke a stream consumer.
 */
export const liveKeys = {
  partition: (articleId: string) => `LIVE#${articleId}`,
  /** `kind` is a live message kind (`poll`, `comment`, `comment-removed`, `corrections`). */
  slot: (kind: string) => kind,
  commentVersion: (commentId: string) => `VERSION#${commentId}`,
} as const;

/**
 * How long a slot is kept after its last claim (the table's TTL attribute removes it after). It
 * must outlive every event the bus rule may still deliver for the state it records: the rule
 * gives up on an event after a day, and Lambda retries a failed invocation for up to six hours
 * more. A slot that outlived those still turns away an older version's late retry; one removed
 * earlier would let it publish an older state (harmless to a subscriber that has the newer
 * version, but a wasted message and a stale tally on a page opened in between).
 */
export const LIVE_SLOT_LIFETIME_SECONDS = 2 * 24 * 3600;
