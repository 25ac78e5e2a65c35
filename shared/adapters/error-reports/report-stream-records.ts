import type { DynamoDBRecord } from 'aws-lambda';
import type { ErrorReport } from '../../error-reports/report-schema';
import { fromImage } from '../aws/stream-images';
import { errorReportOf } from './dynamo-error-reports';

/**
 * The images of a report item a stream record carries, parsed like any report read from the
 * table (the consumer's filter passes `REPORT#` items only). An INSERT has no previous image.
 *
 * @throws StoredItemError when an image is not a report
 */
export function reportImagesOf(record: DynamoDBRecord): {
  current: ErrorReport | undefined;
  previous: ErrorReport | undefined;
} {
  const current = fromImage(record.dynamodb?.NewImage);
  const previous = fromImage(record.dynamodb?.OldImage);
  return {
    current: current && errorReportOf(current),
    previous: previous && errorReportOf(previous),
  };
}
