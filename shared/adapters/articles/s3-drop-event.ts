import type { S3EventRecord } from 'aws-lambda';
import type { DroppedObject } from '../../articles/ingest';
import { unquoted } from '../aws/s3-object-store';

const ISO_UTC = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

/**
 * What one S3 notification record says about a dropped object. S3 writes these records, but a
 * record can also be replayed by hand from a dead letter, so each fact is taken only when it is
 * well-formed; a missing one makes ingest find it out from the object itself.
 */
export function droppedObjectOf(record: S3EventRecord): DroppedObject {
  const { key, size, eTag } = record.s3.object;
  const time = ISO_UTC.exec(record.eventTime ?? '');
  const receivedAt = time && Number(time[1]) >= 1970 ? new Date(record.eventTime) : undefined;
  return {
    // S3 event keys are URL-encoded, with spaces as '+'.
    key: decodeURIComponent(key.replace(/\+/g, ' ')),
    ...(Number.isSafeInteger(size) && size >= 0 ? { size } : {}),
    ...(typeof eTag === 'string' && eTag !== '' ? { eTag: unquoted(eTag) } : {}),
    ...(receivedAt && !Number.isNaN(receivedAt.getTime()) ? { receivedAt } : {}),
  };
}
