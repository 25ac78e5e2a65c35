import { ForbiddenError, UnauthorizedError } from '../errors';

/** The Cognito group whose members may use editor routes (created by the stack, issued by `npm run token`). */
export const EDITOR_GROUP = 'editors';

/** The claim that carries a user's groups in Cognito tokens, and in the local stack's tokens. */
export const GROUPS_CLAIM = 'cognito:groups';

export interface Caller {
  subject: string;
  groups: string[];
}

/** The part of an API Gateway v2 request this module reads; both hosts fill it the same way. */
export interface EventWithClaims {
  requestContext: {
    authorizer?: { jwt?: { claims?: Record<string, string | number | boolean | string[]> } };
  };
}

/**
 * The verified caller, or null on a public route. The JWT itself was checked before the
 * handler ran (by the HTTP API authorizer in AWS, by the local gateway locally).
 */
export function callerOf(event: EventWithClaims): Caller | null {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims || typeof claims.sub !== 'string') return null;
  return { subject: claims.sub, groups: parseGroups(claims[GROUPS_CLAIM]) };
}

export function requireEditor(event: EventWithClaims): Caller {
  const caller = callerOf(event);
  if (!caller) throw new UnauthorizedError('A bearer token is required');
  if (!caller.groups.includes(EDITOR_GROUP)) throw new ForbiddenError(`This route is for the ${EDITOR_GROUP} group`);
  return caller;
}

/**
 * API Gateway passes array claims to Lambda flattened into a string such as `[editors admins]`,
 * so both that form and a real array are accepted.
 */
function parseGroups(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string' || claim.trim() === '') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}
