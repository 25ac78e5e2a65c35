/**
 * Reading a secret through the Parameters and Secrets Lambda Extension, against a server that
 * answers as the extension does (its port variable, session-token header and GetSecretValue JSON).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  readSecretString,
  SECRETS_EXTENSION_PORT_VARIABLE,
  SecretUnavailableError,
} from '../../../shared/adapters/aws/secrets-extension';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:reader-hash-key-AbCdEf';
let server: Server;
let env: NodeJS.ProcessEnv;
let reply: (request: IncomingMessage) => { status: number; body: string };
const requests: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request);
    const { status, body } = reply(request);
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  env = {
    [SECRETS_EXTENSION_PORT_VARIABLE]: String((server.address() as AddressInfo).port),
    AWS_SESSION_TOKEN: 'session-token-of-the-function',
  };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => (requests.length = 0));

it('asks for the secret by id with the session token, and returns its string', async () => {
  reply = () => ({ status: 200, body: JSON.stringify({ ARN: SECRET_ARN, SecretString: 'k'.repeat(48) }) });
  await expect(readSecretString(SECRET_ARN, env)).resolves.toBe('k'.repeat(48));
  const [request] = requests;
  expect(new URL(request!.url!, 'http://localhost').pathname).toBe('/secretsmanager/get');
  expect(new URL(request!.url!, 'http://localhost').searchParams.get('secretId')).toBe(SECRET_ARN);
  expect(request!.headers['x-aws-parameters-secrets-token']).toBe('session-token-of-the-function');
});

it('fails with the status only, never the body, when the extension refuses', async () => {
  reply = () => ({
    status: 400,
    body: '{"message":"AccessDeniedException: User arn:aws:sts::123456789012:assumed-role/x"}',
  });
  const failure = readSecretString(SECRET_ARN, env);
  await expect(failure).rejects.toBeInstanceOf(SecretUnavailableError);
  await expect(failure).rejects.toThrow('HTTP 400');
  await expect(failure).rejects.not.toThrow(/assumed-role/);
});

it('refuses a secret without a string value', async () => {
  reply = () => ({ status: 200, body: JSON.stringify({ ARN: SECRET_ARN, SecretBinary: 'AAEC' }) });
  await expect(readSecretString(SECRET_ARN, env)).rejects.toThrow('no string value');
});

it('fails clearly when no extension listens', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await expect(
    readSecretString(SECRET_ARN, { ...env, [SECRETS_EXTENSION_PORT_VARIABLE]: String(port) }),
  ).rejects.toBeInstanceOf(SecretUnavailableError);
});
