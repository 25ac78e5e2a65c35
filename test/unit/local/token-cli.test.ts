import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeJwt } from 'jose';
import { EDITOR_TOKEN_MAX_LIFETIME_SECONDS, loadOrCreateSigningKey, verifyBearer } from '../../../infra/local/auth';

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
