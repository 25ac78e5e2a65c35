import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'newsroom-ingest-cli-'));
  // A local stack that has stopped: its endpoints file remains, nothing answers on the port.
  await writeFile(join(dataDir, 'endpoints.json'), JSON.stringify({ s3: 'http://127.0.0.1:9', bucket: 'newsroom' }));
  await writeFile(join(dataDir, 'story.txt'), 'A story.\n');
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm run ingest', () => {
  it('creates its S3 client without printing the SDK Node-version warning, and still says what went wrong', async () => {
    // Prepare: the child must not inherit the switch the jest setup sets for the test workers.
    const env: NodeJS.ProcessEnv = { ...process.env, LOCAL_DATA_DIR: dataDir };
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;

    // Act
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((settle) => {
      execFile(
        join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
        [join(REPO_ROOT, 'infra', 'cli', 'ingest.ts'), '--timeout', '5', join(dataDir, 'story.txt')],
        { cwd: REPO_ROOT, env },
        (error, _stdout, stderr) => settle({ code: error ? Number(error.code) : 0, stderr }),
      );
    });

    // Assess (on Node 22 and later the SDK has nothing to warn about, so this holds trivially there)
    expect(stderr).not.toContain('NodeVersionSupportWarning');
    expect(stderr).toContain('The local stack is not answering');
    expect(code).toBe(2);
  });
});
