/**
 * Checks that a publish is signed (SigV4) by a caller the local stack knows, as AppSync checks an
 * IAM-authorized request: the signature is recomputed with `@smithy/signature-v4` from the
 * caller's own secret (the function's local identity, or the host's unrestricted key), over the
 * headers the request says it signed and the body as received, for service `appsync` in the
 * stack's region. A changed body or header, another secret, another scope or a date more than
 * five minutes off fails, as it does in AWS.
 *
 * The refusals use AppSync Events' status and error type: a request with no signature (an API
 * key alone) or an unknown key is 401 UnauthorizedException; a signature that does not verify is
 * 400 BadRequestException, with STS's wording (AppSync Events answers a bad signature that way).
 */
import { timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import { ADMIN, type IdentityRegistry, type LocalIdentity } from '../access/identities';
import { LOCAL_CREDENTIALS } from '../engines/local-clients';
import { badRequest, unauthorized, type EventsError } from './event-api-protocol';
import { NodeSha256 } from '../../../shared/adapters/aws/node-sha256';

/** An HTTP request as received, with its header names in lower case. */
export interface ReceivedRequest {
  method: string;
  /** The path and query, as the request line has them. */
  url: string;
  headers: ReadonlyMap<string, string>;
  body: string;
}

/** A refused request: the status and the error entry to answer with. */
export interface Refusal {
  status: number;
  error: EventsError;
}

export type SignatureCheck = { caller: LocalIdentity | typeof ADMIN } | { refusal: Refusal };

export interface SignatureScope {
  identities: IdentityRegistry;
  region: string;
  service: string;
  /** Epoch milliseconds; the clock the request's date is held to. */
  now?: () => number;
}

/** How far a request's `x-amz-date` may be from the clock, either way, as in AWS. */
const ALLOWED_SKEW_MS = 5 * 60 * 1000;
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^,\s]+), ?SignedHeaders=([^,\s]+), ?Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const HEADER_NAME = /^[a-z0-9-]+$/;
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';

const refuse = (status: number, error: EventsError): SignatureCheck => ({ refusal: { status, error } });

/** Who signed the request, or why it is refused; see the file comment. */
export async function checkSignature(request: ReceivedRequest, scope: SignatureScope): Promise<SignatureCheck> {
  const authorization = request.headers.get('authorization');
  // An API key (or nothing) where only IAM may publish.
  if (authorization === undefined) return refuse(401, unauthorized());
  const parts = AUTHORIZATION.exec(authorization);
  if (!parts) {
    return refuse(
      400,
      badRequest("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' (AWS4-HMAC-SHA256)."),
    );
  }
  const [, credential = '', signedHeaderList = '', signature = ''] = parts;
  const [accessKeyId, scopeDate, scopeRegion, scopeService, terminator, ...rest] = credential.split('/');
  if (!accessKeyId || terminator !== 'aws4_request' || rest.length > 0) {
    return refuse(
      400,
      badRequest(`Credential should be scoped with a valid terminator: 'aws4_request', not '${credential}'.`),
    );
  }

  const caller = scope.identities.byAccessKey(accessKeyId);
  if (caller === undefined) return refuse(401, unauthorized(INVALID_TOKEN));
  // A function signs with its role session's token, as in Lambda; the host's key has none.
  if (caller !== ADMIN && request.headers.get('x-amz-security-token') !== caller.sessionToken) {
    return refuse(401, unauthorized(INVALID_TOKEN));
  }

  const amzDate = request.headers.get('x-amz-date') ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) {
    return refuse(
      400,
      badRequest("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."),
    );
  }
  const stale = staleness(signedAt, amzDate, (scope.now ?? Date.now)());
  if (stale) return refuse(400, badRequest(stale));
  if (scopeDate !== amzDate.slice(0, 8)) {
    return refuse(
      400,
      badRequest(
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}'.`,
      ),
    );
  }
  if (scopeRegion !== scope.region) return refuse(400, badRequest('Credential should be scoped to a valid region.'));
  if (scopeService !== scope.service) {
    return refuse(400, badRequest(`Credential should be scoped to correct service: '${scope.service}'.`));
  }

  const signedHeaderNames = signedHeaderList.split(';');
  const signed = signedHeaderNames.map((name) => [name, request.headers.get(name)] as const);
  if (
    !signedHeaderNames.includes('host') ||
    signed.some(([name, value]) => !HEADER_NAME.test(name) || value === undefined)
  ) {
    return refuse(400, badRequest(MISMATCH));
  }
  // The signer trusts a content hash header; AWS compares it with the body, so does this.
  const declaredHash = request.headers.get('x-amz-content-sha256');
  if (declaredHash !== undefined && declaredHash !== (await hexSha256(request.body))) {
    return refuse(400, badRequest(MISMATCH));
  }

  const expected = await recomputeSignature(request, {
    credentials: caller === ADMIN ? LOCAL_CREDENTIALS : caller,
    headers: signed as ReadonlyArray<readonly [string, string]>,
    signedHeaderNames,
    signedAt,
    region: scope.region,
    service: scope.service,
  });
  if (!sameHex(expected, signature)) return refuse(400, badRequest(MISMATCH));
  return { caller };
}

async function recomputeSignature(
  request: ReceivedRequest,
  input: {
    credentials: { accessKeyId: string; secretAccessKey: string };
    headers: ReadonlyArray<readonly [string, string]>;
    signedHeaderNames: string[];
    signedAt: Date;
    region: string;
    service: string;
  },
): Promise<string> {
  const url = new URL(request.url, 'http://localhost');
  const signer = new SignatureV4({
    // The session token is among the signed headers already; the signer must add nothing.
    credentials: { accessKeyId: input.credentials.accessKeyId, secretAccessKey: input.credentials.secretAccessKey },
    region: input.region,
    service: input.service,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const toSign: HttpRequest = {
    method: request.method,
    protocol: 'http:',
    // The signer reads the host from the signed `host` header, not from here.
    hostname: url.hostname,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: Object.fromEntries(input.headers),
    body: request.body,
  };
  const signed = await signer.sign(toSign, {
    signingDate: input.signedAt,
    signableHeaders: new Set(input.signedHeaderNames),
  });
  return /Signature=([0-9a-f]{64})$/.exec(signed.headers.authorization ?? '')?.[1] ?? '';
}

function parseAmzDate(value: string): Date | undefined {
  const parts = AMZ_DATE.exec(value);
  if (!parts) return undefined;
  const [year = 0, month = 0, day = 0, hours = 0, minutes = 0, seconds = 0] = parts.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** AWS's message for a request dated too far from now, or undefined when it is within the skew. */
function staleness(signedAt: Date, amzDate: string, now: number): string | undefined {
  const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
  if (signedAt.getTime() < now - ALLOWED_SKEW_MS) {
    return `Signature expired: ${amzDate} is now earlier than ${stamp(now - ALLOWED_SKEW_MS)} (${stamp(now)} - 5 min.)`;
  }
  if (signedAt.getTime() > now + ALLOWED_SKEW_MS) {
    return `Signature not yet current: ${amzDate} is still later than ${stamp(now + ALLOWED_SKEW_MS)} (${stamp(now)} + 5 min.)`;
  }
  return undefined;
}

async function hexSha256(text: string): Promise<string> {
  const hash = new NodeSha256();
  hash.update(Buffer.from(text, 'utf8'));
  return Buffer.from(await hash.digest()).toString('hex');
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
