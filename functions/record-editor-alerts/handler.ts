import type { EventBridgeEvent } from 'aws-lambda';
import { DynamoEditorAlerts } from '../../shared/adapters/alerts/dynamo-editor-alerts';
import { DynamoStoryHeadlines } from '../../shared/adapters/alerts/dynamo-story-headlines';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { readAlertEvent, recordEditorAlert } from '../../shared/alerts/editor-alerts';
import { ENV, requireEnv } from '../../shared/config';
import { eventHandler } from '../../shared/observability/event-handler';
import { logger } from '../../shared/observability/logger';
import { systemClock } from '../../shared/ports';

const db = createDocumentClient();
const tableName = requireEnv(ENV.tableName);
const deps = {
  alerts: new DynamoEditorAlerts(db, tableName),
  headlines: new DynamoStoryHeadlines(db, tableName),
  clock: systemClock,
};

/**
 * An event editors are alerted to (`ErrorReportSubmitted`, `ArticleRejected`), delivered by the
 * editor-alert rule: recorded in the alerts list the desks read (`GET /editor/alerts`), once per
 * event. A throw makes Lambda invoke the function again, and the event goes to the dead-letter
 * queue after the retries; an event that is not an alert is logged and dropped, as every bus
 * consumer here does.
 */
export const handler = eventHandler<EventBridgeEvent<string, unknown>, void>(async (event) => {
  const source = readAlertEvent(event);
  if ('invalid' in source) {
    logger.warn('Event ignored', { detailType: event['detail-type'], reason: source.invalid });
    return;
  }
  const outcome = await recordEditorAlert(deps, source);
  logger.info('Editor alert', { detailType: event['detail-type'], kind: source.kind, outcome });
});
