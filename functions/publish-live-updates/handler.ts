import type { EventBridgeEvent } from 'aws-lambda';
import { createLiveUpdateDependencies } from '../../shared/adapters/wiring/live-update-dependencies';
import { readLiveEvent } from '../../shared/live/live-messages';
import { publishLiveUpdate } from '../../shared/live/publish-live-update';
import { eventHandler } from '../../shared/observability/event-handler';
import { logger } from '../../shared/observability/logger';

const deps = createLiveUpdateDependencies();

/**
 * Kept back from the invocation's time for the publish itself (its timeout) and the logs: no
 * slot is claimed after that, so a claimed message is always published before the timeout.
 */
const PUBLISH_RESERVE_MS = 8_000;

/**
 * A tally, a comment or a correction changed (`PollTallyUpdated`, `CommentPosted`,
 * `CommentEdited`, `CommentModerated`, `ErrorReportResolved`): push it to the pages open on the
 * story, at most one message a second per story and kind (see `publish-live-update`). A throw
 * (the Events API refused, or the story's slot stayed busy until the reserve) makes Lambda invoke
 * the function again, and the event goes to the dead-letter queue after the retries.
 */
export const handler = eventHandler<EventBridgeEvent<string, unknown>, void>(async (event, context) => {
  const live = readLiveEvent(event['detail-type'], event.detail);
  if ('invalid' in live) {
    logger.warn('Event ignored', { detailType: event['detail-type'], reason: live.invalid });
    return;
  }
  const deadline = new Date(Date.now() + context.getRemainingTimeInMillis() - PUBLISH_RESERVE_MS);
  const result = await publishLiveUpdate(deps, live, { claimant: event.id, deadline });
  logger.info('Live update', { detailType: event['detail-type'], ...result });
});
