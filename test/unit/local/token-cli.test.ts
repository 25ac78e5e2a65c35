import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeJwt } from 'jose';
import { EDITOR_TOKEN_MAX_LIFETIME_SECONDS, loadOrCreateSigningKey, verifyBearer } from '../../../infra/local/auth';
import { loadOrCreateKey, SITE_TOKEN_SECRET_FILE } from '../../../infra/local/data-dir';
import { LOCAL_SITE_SIGN_IN } from '../../../infra/local/function-environment';
import { createSiteTokenVerifier } from '../../../shared/identity/site-token';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** `npm run token -- …` as a user runs it (the script is `tsx infra/local/token-cli.ts`). */
function runTokenCli(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((settle) => {
    execFile(
      join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
      [join(REPO_ROOT, 'infra', 'local', 'token-cli.ts'), ...args],
      { cwd: REPO_ROOT, env: { ...process.env, LOCAL_DATA_DIR: dataDir } },
      (error, stdout, stderr) => settle({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'newsroom-token-cli-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm run token', () => {
  it('prints its usage for --help and exits 0', async () => {
    // Act
    const { code, stdout, stderr } = await runTokenCli(['--help'], dataDir);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: npm run -s token -- /);
    expect(stdout).toContain('--ttl');
    expect(stderr).toBe('');
  });

  it('mints by default an editor token that the local gateway accepts, living at most 24 hours', async () => {
    // Act
    const { code, stdout } = await runTokenCli([], dataDir);

    // Assess
    expect(code).toBe(0);
    const token = stdout.trim();
    const claims = await verifyBearer(await loadOrCreateSigningKey(dataDir), `Bearer ${token}`);
    expect(claims?.['cognito:groups']).toEqual(['editors']);
    const { iat, exp } = decodeJwt(token);
    expect(exp! - iat!).toBeLessThanOrEqual(EDITOR_TOKEN_MAX_LIFETIME_SECONDS);
  });

  it('refuses an editor lifetime over 24 hours, printing no token', async () => {
    // Act
    const { code, stdout, stderr } = await runTokenCli(
      ['--ttl', String(EDITOR_TOKEN_MAX_LIFETIME_SECONDS + 1)],
      dataDir,
    );

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('at most 86400 s');
  });
});

describe('npm run token -- --role site-reader', () => {
  it("prints a token of the imitated news site that the reader routes' site verifier accepts", async () => {
    // Act
    const { code, stdout } = await runTokenCli(
      ['--role', 'site-reader', '--subject', 'alice', '--name', 'Alice'],
      dataDir,
    );

    // Assess: verified with the secret the local stack serves for the site, as a reader route does.
    expect(code).toBe(0);
    const secret = await loadOrCreateKey(dataDir, SITE_TOKEN_SECRET_FILE);
    const verifier = createSiteTokenVerifier({
      ...LOCAL_SITE_SIGN_IN,
      key: { kind: 'secret', secret: new TextEncoder().encode(secret) },
    });
    await expect(verifier.verify(stdout.trim())).resolves.toMatchObject({ subject: 'alice', displayName: 'Alice' });
  });
});
