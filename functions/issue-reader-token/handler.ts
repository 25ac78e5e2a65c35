import { createRateLimiter } from '../../shared/adapters/abuse/dynamo-rate-limiter';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { readerHasherFromEnvironment } from '../../shared/adapters/aws/reader-hash-key';
import { readerTokenKeysFromEnvironment } from '../../shared/adapters/identity/reader-token-keys';
import { ENV, requireEnv } from '../../shared/config';
import { readerTokenConfigFromEnv } from '../../shared/identity/reader-token-config';
import { issueReaderToken, newReaderId } from '../../shared/identity/reader-token';
import type { IssuedReaderTokenBody } from '../../shared/identity/identity-shapes';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { sourceHashOf } from '../../shared/http/source';
import { systemClock } from '../../shared/ports';

const db = createDocumentClient();
const limiter = createRateLimiter(db, requireEnv(ENV.tableName));
const config = readerTokenConfigFromEnv();
const readerHasher = readerHasherFromEnvironment();
const readerTokenKeys = readerTokenKeysFromEnvironment();

/**
 * `POST /readers/anonymous`: 201 `{ token, readerId, expiresAt }`, a new anonymous reader. The
 * per-source limit is here, at the one moment an identity is made, instead of on every vote:
 * what one address can cast is bounded by how many readers it can mint.
 */
export const handler = httpHandler(async (event) => {
  const now = systemClock.now();
  const hasher = await readerHasher();
  await limiter.consume(config.issuance, sourceHashOf(hasher, event), now);
  const issued = await issueReaderToken(await readerTokenKeys(), {
    readerId: newReaderId(),
    now,
    ttlDays: config.ttlDays,
  });
  const body: IssuedReaderTokenBody = {
    token: issued.token,
    readerId: issued.readerId,
    expiresAt: issued.expiresAt.toISOString(),
  };
  return json(201, body);
});
