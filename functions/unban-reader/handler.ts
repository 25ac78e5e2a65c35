import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { DynamoReaderBans } from '../../shared/adapters/identity/dynamo-reader-bans';
import { ENV, requireEnv } from '../../shared/config';
import { requireEditor } from '../../shared/http/caller';
import { httpHandler } from '../../shared/http/http-handler';
import { noContent } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { readerPathSchema } from '../../shared/identity/ban-schemas';
import { unbanReader } from '../../shared/identity/reader-bans';
import { systemClock } from '../../shared/ports';

const deps = { bans: new DynamoReaderBans(createDocumentClient(), requireEnv(ENV.tableName)), clock: systemClock };

/**
 * `DELETE /readers/{readerId}/ban` (editors): 204 once no ban stands, whether one was lifted (and
 * recorded in the reader's history) or there was none.
 */
export const handler = httpHandler(async (event) => {
  const editor = requireEditor(event);
  const { readerId } = parseInput(readerPathSchema, event.pathParameters ?? {}, 'path');
  await unbanReader(deps, { readerId, editor: editor.subject });
  return noContent();
});
