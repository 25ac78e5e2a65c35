/**
 * Where live updates go: one channel per story in the Event API's `stories` namespace. Readers
 * subscribe to their story's channel with the public, subscribe-only key; only the backend
 * publishes (IAM). Article ids are 16 hex digits, well within a channel segment's 50 characters
 * of `[A-Za-z0-9-]`.
 */
export const LIVE_NAMESPACE = 'stories';

export function storyChannel(articleId: string): string {
  return `/${LIVE_NAMESPACE}/${articleId}`;
}
