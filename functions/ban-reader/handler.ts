import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { DynamoReaderBans } from '../../shared/adapters/identity/dynamo-reader-bans';
import { ENV, requireEnv } from '../../shared/config';
import { jsonBody } from '../../shared/http/body';
import { requireEditor } from '../../shared/http/caller';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { banBodySchema, readerPathSchema } from '../../shared/identity/ban-schemas';
import { banReader } from '../../shared/identity/reader-bans';
import { LIMITS } from '../../shared/limits';
import { systemClock } from '../../shared/ports';

const deps = { bans: new DynamoReaderBans(createDocumentClient(), requireEnv(ENV.tableName)), clock: systemClock };

/**
 * `PUT /readers/{readerId}/ban` (editors) with `{ until?, reason? }`: 200 with the ban. The reader's
 * posts, votes and flags are refused from the moment every warm function has read the list again
 * (about a second); banning again replaces the ban, and both are in the reader's history.
 */
export const handler = httpHandler(async (event) => {
  const editor = requireEditor(event);
  const { readerId } = parseInput(readerPathSchema, event.pathParameters ?? {}, 'path');
  const input = parseInput(banBodySchema, jsonBody(event, LIMITS.maxReaderBodyBytes), 'body');
  const ban = await banReader(deps, {
    readerId,
    until: input.until ?? null,
    reason: input.reason ?? null,
    editor: editor.subject,
  });
  return json(200, ban);
});
