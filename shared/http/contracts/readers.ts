/** The contracts of the reader identity routes (shared/identity), and the refusal every reader write shares. */
import { banBodySchema, readerPathSchema } from '../../identity/ban-schemas';
import { issuedReaderTokenSchema, readerBanSchema } from '../../identity/identity-shapes';
import * as z from '../../validation';
import { errorBodySchema, errorResponses, type ResponseContract, type RouteContracts } from '../route-contract';

/** A banned reader's refusal: the error, and until when the ban holds (null: until lifted). */
export const readerBannedSchema = z.strictObject({ ...errorBodySchema.shape, until: z.nullable(z.string()) });

/**
 * The 403 of every reader write (the reader authenticator refuses a banned reader before the
 * route does anything): spread into each reader route's responses.
 */
export const bannedReaderResponses: Record<403, ResponseContract> = {
  403: {
    description:
      'The reader is banned (`reader_banned`): their posts, votes and flags are refused until `until` ' +
      '(ISO-8601; null: until an editor lifts the ban).',
    schema: readerBannedSchema,
  },
};

/** The 403s of the author's own routes: banned, or not the author (`not_author`). */
export const authorOnlyResponses: Record<403, ResponseContract> = {
  403: {
    description: `${bannedReaderResponses[403].description} Or the comment is someone else's (\`not_author\`).`,
    schema: z.union([readerBannedSchema, errorBodySchema]),
  },
};

export const readerContracts: RouteContracts = {
  'POST /readers/anonymous': {
    summary: 'Become an anonymous reader',
    description:
      'Mints a reader id in a token the backend signs; send it as `Authorization: Bearer <token>` on the reader ' +
      'routes. Limited per source address (`READER_TOKENS_PER_SOURCE`, 20 an hour by default): this is the brake ' +
      'on how many readers, and so votes and flags, one address can make.',
    tags: ['readers'],
    responses: {
      201: { description: 'The new reader and its token.', schema: issuedReaderTokenSchema },
      ...errorResponses([429, 500], { 429: 'This source has minted its share of reader tokens; see Retry-After.' }),
    },
  },
  'PUT /readers/{readerId}/ban': {
    summary: 'Ban a reader',
    description:
      "The reader's posts, votes and flags are refused (403 `reader_banned`) until `until` (an ISO-8601 time in " +
      'the next ten years; absent or null: until lifted), from the moment each warm function has read the bans ' +
      'again, within about a second. Banning a banned reader replaces their ban. A signed-in reader is banned on ' +
      'every device. Every ban is kept in the reader’s history with the editor and the reason.',
    tags: ['readers'],
    request: { path: readerPathSchema, body: banBodySchema },
    responses: {
      200: { description: 'The ban, as it now stands.', schema: readerBanSchema },
      ...errorResponses([400, 401, 403, 409, 413, 415, 500], {
        409:
          'As many readers are banned as the list holds (`ban_list_full`: give bans an expiry), or other editors ' +
          'kept changing the bans meanwhile (`conflict`: try again).',
      }),
    },
  },
  'DELETE /readers/{readerId}/ban': {
    summary: "Lift a reader's ban",
    description:
      'Idempotent: 204 once no ban stands, whether one was lifted (and recorded in the reader’s history) or there was none.',
    tags: ['readers'],
    request: { path: readerPathSchema },
    responses: {
      204: { description: 'No ban stands.' },
      ...errorResponses([400, 401, 403, 409, 500], {
        409: 'Other editors kept changing the bans meanwhile; try again.',
      }),
    },
  },
};
