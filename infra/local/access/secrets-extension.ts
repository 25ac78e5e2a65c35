/**
 * A small imitation of the AWS Parameters and Secrets Lambda Extension, the part handlers use:
 * `GET /secretsmanager/get?secretId=<name or ARN>` with the caller's session token in
 * `X-Aws-Parameters-Secrets-Token`, answered with GetSecretValue's JSON. Handlers read secrets
 * the same way in both hosts (`shared/adapters/aws/secrets-extension.ts`). In Lambda the
 * extension calls Secrets Manager as the function's role; here the caller is found by its token
 * and held to its declared grants like any other call:
 * - no token, or one no function holds: 401, as the extension refuses an unauthenticated caller;
 * - a secret the function may not read: 400 with Secrets Manager's `AccessDeniedException`;
 * - a secret that does not exist: 400 with `ResourceNotFoundException`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocally } from '../listen';
import { SECRET_READ_ACTIONS } from '../../needs';
import { denialMessage, firstDenied, type IdentityRegistry } from './identities';
import type { AccessDenial } from './access-guard';

/** One secret the imitation serves. */
export interface LocalSecret {
  /** Full ARN, `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>`. */
  arn: string;
  name: string;
  value: string;
}

export interface SecretsExtensionOptions {
  secrets: readonly LocalSecret[];
  identities: IdentityRegistry;
  onDenied?: (denial: AccessDenial) => void;
}

export interface SecretsExtension {
  /** What `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT` tells the functions that read a secret. */
  port: number;
  stop(): Promise<void>;
}

const TOKEN_HEADER = 'x-aws-parameters-secrets-token';

export async function startSecretsExtension(options: SecretsExtensionOptions): Promise<SecretsExtension> {
  const created = new Date();
  const server = createServer((req, res) => answer(req, res, options, created));
  // Loopback only, as the extension listens on localhost inside the sandbox.
  const { port, stop } = await listenLocally(server);
  return { port, stop };
}

function answer(req: IncomingMessage, res: ServerResponse, options: SecretsExtensionOptions, created: Date): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET' || url.pathname !== '/secretsmanager/get') {
    return send(res, 404, 'text/plain', 'not found');
  }
  const token = req.headers[TOKEN_HEADER];
  const caller = typeof token === 'string' ? options.identities.bySessionToken(token) : undefined;
  if (!caller) return send(res, 401, 'text/plain', 'Unauthorized: missing or unknown X-Aws-Parameters-Secrets-Token');

  const secretId = url.searchParams.get('secretId') ?? '';
  const secret = options.secrets.find(
    (candidate) =>
      candidate.arn === secretId || candidate.name === secretId || candidate.arn.startsWith(`${secretId}-`),
  );
  // IAM is asked before the secret is looked up: an unknown id the caller may not read is refused.
  const resource = secret?.arn ?? secretId;
  const denied = firstDenied(caller, [{ action: SECRET_READ_ACTIONS[0], resource }]);
  if (denied) {
    options.onDenied?.({ functionName: caller.functionName, ...denied });
    return sendAwsError(res, 'AccessDeniedException', denialMessage(caller, denied));
  }
  if (!secret) {
    return sendAwsError(res, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  }
  send(
    res,
    200,
    'application/json',
    JSON.stringify({
      ARN: secret.arn,
      Name: secret.name,
      VersionId: '00000000-0000-0000-0000-000000000001',
      SecretString: secret.value,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: created.toISOString(),
      ResultMetadata: {},
    }),
  );
}

function sendAwsError(res: ServerResponse, type: string, message: string): void {
  send(res, 400, 'application/x-amz-json-1.1', JSON.stringify({ __type: type, Message: message }));
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(body);
}
