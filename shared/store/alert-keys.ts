/**
 * Item keys of the editors' alerts. Each alert is its own item, keyed by the id of the bus event
 * it was made from, so recording it is a conditional put that a redelivered event finds taken.
 * The desk's list is one partition of the overloaded `gsi1`, sorted by the time the alert was
 * recorded: "since the editor last looked" is one query from a bound. Alerts come at an editor's
 * pace (reader reports are rate limited, ingests are editor-paced), far below a partition's limit.
 *
 *   pk `ALERT#<eventId>`  sk `ALERT`                            the alert (TTL: `expiresAt`)
 *   gsi1 `EDITOR_ALERTS`  `<recordedAt>#<eventId>`              the list, by time recorded
 */
export const alertKeys = {
  partition: (eventId: string) => `ALERT#${eventId}`,
  sort: 'ALERT',
  list: 'EDITOR_ALERTS',
  listSort: (alert: { recordedAt: string; id: string }) => `${alert.recordedAt}#${alert.id}`,
} as const;
