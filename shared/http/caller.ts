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

/**
 * The caller of an editor route: 401 without verified claims, 403 unless `editors` is one of
 * the caller's groups by exact name. Handlers record the returned `subject` as the editor.
 */
export function requireEditor(event: EventWithClaims): Caller {
  const caller = callerOf(event);
  if (!caller) throw new UnauthorizedError('A bearer token is required');
  if (!caller.groups.includes(EDITOR_GROUP)) throw new ForbiddenError(`This route is for the ${EDITOR_GROUP} group`);
  return caller;
}

/**
 * The groups a token's `cognito:groups` claim names, read only in the two forms the hosts
 * produce: a real array, and API Gateway's flattening of an array claim into one string,
 * `[editors admins]` (the local gateway does the same). Cognito allows commas, brackets and
 * other punctuation in group names but no whitespace, so the flattened form is split on
 * whitespace only, after removing exactly one bracket at each end: `["readers,editors"]`
 * arrives as `[readers,editors]`, one group that is not `editors`. Any other value (a bare
 * string, a number) names no group, since Cognito never issues one.
 */
function parseGroups(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((group): group is string => typeof group === 'string');
  if (typeof claim !== 'string') return [];
  const flattened = /^\[(.*)\]$/s.exec(claim);
  if (!flattened) return [];
  return flattened[1]!.split(/\s+/).filter(Boolean);
}
