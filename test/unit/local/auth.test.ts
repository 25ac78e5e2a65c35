import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import {
  EDITOR_TOKEN_MAX_LIFETIME_SECONDS,
  issueToken,
  loadOrCreateSigningKey,
  verifyBearer,
  type LocalSigningKey,
} from '../../../infra/local/auth';
import { nowSeconds, signWithLocalKey } from '../../support/tokens';

const DAY = EDITOR_TOKEN_MAX_LIFETIME_SECONDS;
const editorClaims = { sub: 'editor-1', 'cognito:groups': ['editors'] };

let dataDir: string;
let key: LocalSigningKey;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'newsroom-auth-'));
  key = await loadOrCreateSigningKey(dataDir);
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('the local gateway verifying editor tokens', () => {
  it('accepts the token `npm run token` issues by default, which lives an hour', async () => {
    // Prepare
    const token = await issueToken(key, { role: 'editor' });

    // Act
    const claims = await verifyBearer(key, `Bearer ${token}`);

    // Assess
    expect(claims).toMatchObject({ sub: 'local-editor', 'cognito:groups': ['editors'] });
    expect(claims!.exp! - claims!.iat!).toBe(3600);
  });

  it('accepts a token that lives exactly 24 hours', async () => {
    // Prepare
    const iat = nowSeconds();
    const token = await signWithLocalKey(key, { ...editorClaims, iat, exp: iat + DAY });

    // Act
    const claims = await verifyBearer(key, `Bearer ${token}`);

    // Assess
    expect(claims?.sub).toBe('editor-1');
  });

  it.each([
    ['without exp, which would never expire', () => ({ iat: nowSeconds() })],
    ['without iat, whose lifetime is unknown', () => ({ exp: nowSeconds() + 3600 })],
    ['living a second over 24 hours', () => ({ iat: nowSeconds(), exp: nowSeconds() + DAY + 1 })],
    ['living ten years', () => ({ iat: nowSeconds(), exp: nowSeconds() + 10 * 365 * DAY })],
    ['issued an hour in the future', () => ({ iat: nowSeconds() + 3600, exp: nowSeconds() + 7200 })],
    ['with a non-numeric exp', () => ({ iat: nowSeconds(), exp: 'never' as unknown as number })],
  ])('refuses a validly signed token %s', async (_case, times) => {
    // Prepare
    const token = await signWithLocalKey(key, { ...editorClaims, ...times() });

    // Act
    const claims = await verifyBearer(key, `Bearer ${token}`);

    // Assess
    expect(claims).toBeNull();
  });
});

describe('issuing local tokens', () => {
  it('issues an editor token for up to 24 hours', async () => {
    // Act
    const token = await issueToken(key, { role: 'editor', ttlSeconds: DAY });

    // Assess
    const { iat, exp } = decodeJwt(token);
    expect(exp! - iat!).toBe(DAY);
    expect(await verifyBearer(key, `Bearer ${token}`)).not.toBeNull();
  });

  it('refuses to issue an editor token the gateway would refuse', async () => {
    // Act
    const issuing = issueToken(key, { role: 'editor', ttlSeconds: DAY + 1 });

    // Assess
    await expect(issuing).rejects.toThrow(/at most 86400 s/);
  });
});
