import { ForbiddenError, UnauthorizedError } from '../../../shared/errors';
import { callerOf, requireEditor, type EventWithClaims } from '../../../shared/http/caller';

/** An event as a host hands it over after verifying the token, with this `cognito:groups` claim. */
function eventWithGroups(groups: unknown): EventWithClaims {
  // Typed loosely on purpose: the claim may hold any JSON value a token carries.
  const claims: Record<string, unknown> = { sub: 'editor-sub-1' };
  if (groups !== undefined) claims['cognito:groups'] = groups;
  return { requestContext: { authorizer: { jwt: { claims: claims as Record<string, string> } } } };
}

describe('callerOf', () => {
  it.each([
    ['a real array', ['readers', 'editors'], ['readers', 'editors']],
    ['the flattened form of an array', '[readers editors]', ['readers', 'editors']],
    ['the flattened form with a single group', '[editors]', ['editors']],
    ['the flattened form of an empty array', '[]', []],
    ['the flattened form of a group whose name holds a comma', '[readers,editors]', ['readers,editors']],
    ['the flattened form of a group whose name holds brackets', '[[editors]]', ['[editors]']],
  ])('reads the groups of %s', (_form, claim, groups) => {
    // Act
    const caller = callerOf(eventWithGroups(claim));

    // Assess
    expect(caller).toEqual({ subject: 'editor-sub-1', groups });
  });

  it.each([
    ['a bare string', 'editors'],
    ['a comma-separated string', 'readers,editors'],
    ['a string with a bracket at one end only', '[editors'],
    ['a number', 7],
    ['no claim at all', undefined],
  ])('reads no groups from %s, a form no host produces', (_form, claim) => {
    // Act
    const caller = callerOf(eventWithGroups(claim));

    // Assess
    expect(caller?.groups).toEqual([]);
  });
});

describe('requireEditor', () => {
  it.each([
    ['an array holding a group named "readers,editors"', ['readers,editors']],
    ['that group flattened by API Gateway', '[readers,editors]'],
    ['the comma-separated string "readers,editors"', 'readers,editors'],
    ['the flattened form of "editors,"', '[editors,]'],
    ['a group named "editors " in an array', ['editors ']],
    ['a group whose name only starts with editors', ['editors-emeritus']],
  ])('refuses %s with 403: membership is by exact name', (_case, claim) => {
    // Act
    const act = () => requireEditor(eventWithGroups(claim));

    // Assess
    expect(act).toThrow(ForbiddenError);
  });

  it.each([
    ['an array', ['readers', 'editors']],
    ['the flattened form', '[readers editors]'],
  ])('admits a member of editors whose groups come as %s, and returns the subject', (_form, claim) => {
    // Act
    const caller = requireEditor(eventWithGroups(claim));

    // Assess
    expect(caller.subject).toBe('editor-sub-1');
  });

  it('refuses a request without verified claims with 401', () => {
    // Act
    const act = () => requireEditor({ requestContext: {} });

    // Assess
    expect(act).toThrow(UnauthorizedError);
  });
});
