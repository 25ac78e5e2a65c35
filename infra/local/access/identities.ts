/**
 * Who is calling a local engine, and what it may do. Every function of the local stack gets its
 * own credentials (as each Lambda function runs as its own role) and the IAM statements its
 * declared needs imply (`policyFor` in `infra/needs`, the same statements the CDK stack grants).
 * The access guards and the secrets extension imitation find the caller by its access key id
 * or session token and check each action against those statements. It is about declared grants,
 * not security: signatures are not verified, and the host's own key is unrestricted.
 */
import { randomBytes } from 'node:crypto';
import type { PolicyStatement } from '../../needs';
import { LOCAL_ACCOUNT, LOCAL_CREDENTIALS } from '../engines/local-clients';

/** One function's local credentials and grants. */
export interface LocalIdentity {
  /** The topology name of the function. */
  functionName: string;
  /** `LOCAL` and the name in capitals without dashes: DynamoDB Local takes letters and digits only. */
  accessKeyId: string;
  secretAccessKey: string;
  /** Also the token the function shows the secrets extension, as in Lambda (`AWS_SESSION_TOKEN`). */
  sessionToken: string;
  /** How AWS names the caller in a refusal: the function's assumed role session. */
  principal: string;
  statements: readonly PolicyStatement[];
}

/** One action on one resource, as IAM authorizes a request (a request may need several). */
export interface AccessCheck {
  action: string;
  resource: string;
}

export function localIdentity(functionName: string, statements: readonly PolicyStatement[]): LocalIdentity {
  return {
    functionName,
    accessKeyId: `LOCAL${functionName.toUpperCase().replace(/[^A-Z0-9]/g, '')}`,
    secretAccessKey: randomBytes(20).toString('base64url'),
    sessionToken: randomBytes(32).toString('base64url'),
    principal: `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${functionName}-role/local-${functionName}`,
    statements,
  };
}

/** The host itself (tests, CLIs, pollers): anything goes. */
export const ADMIN = 'admin';

/** Every identity of one local stack, found by access key id or by session token. */
export class IdentityRegistry {
  private readonly byKey = new Map<string, LocalIdentity>();
  private readonly byToken = new Map<string, LocalIdentity>();

  constructor(identities: Iterable<LocalIdentity>) {
    for (const identity of identities) {
      const taken = this.byKey.get(identity.accessKeyId);
      if (taken) {
        throw new Error(
          `${identity.functionName} and ${taken.functionName} would share the access key ${identity.accessKeyId}`,
        );
      }
      this.byKey.set(identity.accessKeyId, identity);
      this.byToken.set(identity.sessionToken, identity);
    }
  }

  /** The function using this key, {@link ADMIN} for the host's key, or undefined for an unknown key. */
  byAccessKey(accessKeyId: string): LocalIdentity | typeof ADMIN | undefined {
    if (accessKeyId === LOCAL_CREDENTIALS.accessKeyId) return ADMIN;
    return this.byKey.get(accessKeyId);
  }

  bySessionToken(token: string): LocalIdentity | undefined {
    return this.byToken.get(token);
  }
}

/** The first check the identity's statements do not allow, or undefined when all are allowed. */
export function firstDenied(identity: LocalIdentity, checks: readonly AccessCheck[]): AccessCheck | undefined {
  return checks.find((check) => !isAllowed(identity.statements, check));
}

/** Whether some statement allows the action on the resource (IAM wildcards; no Deny statements here). */
export function isAllowed(statements: readonly PolicyStatement[], { action, resource }: AccessCheck): boolean {
  return statements.some(
    (statement) =>
      statement.actions.some((pattern) => wildcard(pattern, true).test(action)) &&
      statement.resources.some((pattern) => wildcard(pattern, false).test(resource)),
  );
}

/** The message AWS gives with AccessDeniedException / AccessDenied (S3 quotes the resource). */
export function denialMessage(
  identity: LocalIdentity,
  { action, resource }: AccessCheck,
  options: { quoteResource?: boolean } = {},
): string {
  const named = options.quoteResource ? `"${resource}"` : resource;
  return (
    `User: ${identity.principal} is not authorized to perform: ${action} on resource: ${named} ` +
    `because no identity-based policy allows the ${action} action`
  );
}

const compiled = new Map<string, RegExp>();

/** IAM's matching: `*` is any run of characters (`/` included), `?` any one; actions ignore case. */
function wildcard(pattern: string, ignoreCase: boolean): RegExp {
  const cacheKey = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = compiled.get(cacheKey);
  if (!regex) {
    const source = pattern
      .split('')
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    compiled.set(cacheKey, regex);
  }
  return regex;
}
