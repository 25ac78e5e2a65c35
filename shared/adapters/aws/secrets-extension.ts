/**
 * Reads a Secrets Manager secret through the AWS Parameters and Secrets Lambda Extension: a
 * local HTTP endpoint that Lambda runs beside the function (the construct adds the layer to
 * every function that reads a secret). Why not the Secrets Manager client: it is about 13 KB
 * of every reader function's bundle and its own client initialisation for one call per cold
 * start; the extension answers from its cache (so a rotated secret is picked up within the
 * cache TTL, with no redeploy) and needs nothing in the bundle but `fetch`.
 */

/** The extension's own variable for its port, and its documented default. */
export const SECRETS_EXTENSION_PORT_VARIABLE = 'PARAMETERS_SECRETS_EXTENSION_HTTP_PORT';
const DEFAULT_PORT = 2773;
/** Long enough for the extension's first fetch from Secrets Manager, short of the function's timeout. */
const TIMEOUT_MS = 3_000;

export class SecretUnavailableError extends Error {
  constructor(secretId: string, reason: string) {
    // The id names the secret (an ARN, not its value); the reason is the extension's status.
    super(`Secret ${secretId} could not be read through the Lambda extension: ${reason}`);
    this.name = 'SecretUnavailableError';
  }
}

/** The secret's string value. Requests are authenticated with the function's session token, as the extension requires. */
export async function readSecretString(secretId: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const port = Number(env[SECRETS_EXTENSION_PORT_VARIABLE] ?? DEFAULT_PORT);
  const url = `http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { 'X-Aws-Parameters-Secrets-Token': env.AWS_SESSION_TOKEN ?? '' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new SecretUnavailableError(secretId, error instanceof Error ? error.name : 'unreachable');
  }
  // The body of a refusal may quote AWS internals: only the status goes into the error.
  if (!response.ok) throw new SecretUnavailableError(secretId, `HTTP ${response.status}`);
  const body = (await response.json()) as { SecretString?: unknown };
  if (typeof body.SecretString !== 'string' || body.SecretString === '') {
    throw new SecretUnavailableError(secretId, 'the secret has no string value');
  }
  return body.SecretString;
}
