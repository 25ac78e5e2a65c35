/** The contracts of the reader identity routes (shared/identity). */
import { issuedReaderTokenSchema } from '../../identity/identity-shapes';
import { errorResponses, type RouteContracts } from '../route-contract';

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
};
