/**
 * What the editors' alerts need from the store. The DynamoDB adapters in `shared/adapters/alerts/`
 * implement these; tests can implement them in memory.
 */
import type { AlertPage, EditorAlert } from './alert-shapes';

export interface EditorAlertStore {
  /**
   * Keeps the alert until `expiresAt`, once per event: `exists` when an alert of the same event
   * id was recorded before (a redelivery), and nothing is written.
   */
  record(alert: EditorAlert, expiresAt: Date): Promise<'recorded' | 'exists'>;
  /** Alerts recorded at or after `from` (an ISO time), newest first. */
  list(query: { from: string; limit: number; cursor?: string }): Promise<AlertPage>;
}

export interface StoryHeadlines {
  /** The story's headline; null when there is no such story. */
  headline(articleId: string): Promise<string | null>;
}
