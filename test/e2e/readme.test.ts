/**
 * The README's shell blocks, run as a new user would run them on a fresh clone: in order, in
 * one bash session (so `$API`, `$ID`, `$TOKEN`, `$REPORT` come from earlier lines), from the
 * repository root, against a local stack. Blocks marked `needs-aws` or `skip, <reason>` are
 * only syntax-checked (see `test/support/readme-blocks.ts` for the markers).
 *
 * Two things differ from a user's terminal, both so a broken command fails the test:
 * - `API=http://127.0.0.1:3000` lines point at this test's stack (it listens on a free port,
 *   since 3000 may be taken), and `LOCAL_DATA_DIR` at its data folder, which is where
 *   `npm run ingest` and `npm run token` find the stack;
 * - `curl` runs with `--fail-with-body --show-error` (from a `.curlrc` in `CURL_HOME`), so an
 *   HTTP error is a failed command, and the session runs under `set -euo pipefail`.
 * Output is not compared; a few key results are checked afterwards.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/local/local-stack';
import { http } from '../support/http';
import { withLocalStack } from '../support/local-stack';
import { fencesOf, shellBlocksOf, type ShellBlock } from '../support/readme-blocks';

const README = join(REPO_ROOT, 'README.md');
const README_API_LINE = /^API=http:\/\/127\.0\.0\.1:3000$/;
/** What an AWS-only command looks like; such a block needs the `needs-aws` marker. */
const AWS_COMMAND = /(?:^|[\s;|&(])(?:aws\s|(?:npx\s+)?cdk\s+(?:deploy|destroy|bootstrap))|--stack\s/;

let markdown: string;
let blocks: ShellBlock[];

beforeAll(async () => {
  markdown = await readFile(README, 'utf8');
  blocks = shellBlocksOf(markdown);
});

describe("the README's shell blocks", () => {
  it('are each run, or marked needs-aws or skipped with a reason, and no AWS command goes unmarked', () => {
    const awsInRunBlocks = blocks
      .filter((block) => block.mode === 'run')
      .flatMap((block) => block.lines.map((text, i) => ({ line: block.line + i, text })))
      .filter(({ text }) => AWS_COMMAND.test(text.replace(/#.*$/, '')));
    const needlessAwsMarkers = blocks
      .filter((block) => block.mode === 'needs-aws' && !block.lines.some((text) => AWS_COMMAND.test(text)))
      .map((block) => block.line);
    const bareFences = fencesOf(markdown).filter((fence) => fence.info === '');

    expect(blocks.filter((block) => block.mode === 'run').length).toBeGreaterThanOrEqual(5);
    expect(blocks.filter((block) => block.mode === 'skip').every((block) => block.reason!.length >= 10)).toBe(true);
    expect(awsInRunBlocks).toEqual([]);
    expect(needlessAwsMarkers).toEqual([]);
    // A fence without a language could hold commands this test never sees.
    expect(bareFences).toEqual([]);
  });

  it('use no variable before an earlier line of a run block sets it', () => {
    const assigned = new Set<string>();
    const unset: string[] = [];
    for (const block of blocks.filter((candidate) => candidate.mode === 'run')) {
      block.lines.forEach((text, i) => {
        const code = text.replace(/'[^']*'/g, "''").replace(/(^|\s)#.*$/, '');
        for (const [, name] of code.matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)) {
          if (!assigned.has(name!)) unset.push(`README line ${block.line + i}: $${name}`);
        }
        for (const [, name] of code.matchAll(/(?:^|[\s;])([A-Z][A-Z0-9_]*)=/g)) assigned.add(name!);
      });
    }

    expect(unset).toEqual([]);
    expect([...assigned]).toEqual(expect.arrayContaining(['API', 'ID', 'TOKEN', 'REPORT']));
  });

  it('reach the local stack only through $API, whose one setting the test points at its own stack', () => {
    const hardCoded = blocks
      .filter((block) => block.mode === 'run')
      .flatMap((block) => block.lines.map((text, i) => ({ line: block.line + i, text })))
      .filter(({ text }) => /(?:127\.0\.0\.1|localhost):\d/.test(text) && !README_API_LINE.test(text));

    expect(hardCoded).toEqual([]);
  });

  it('are valid bash, every one of them (bash -n)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'readme-syntax-'));
    try {
      const errors: string[] = [];
      for (const block of blocks) {
        const file = join(dir, `line-${block.line}.sh`);
        await writeFile(file, `${block.lines.join('\n')}\n`);
        const check = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
        if (check.status !== 0) errors.push(`README line ${block.line} (${block.mode}): ${check.stderr.trim()}`);
      }

      expect(errors).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the README's local-stack commands, run against a local stack", () => {
  // The stack runs in this process rather than through `npm start`, whose README block is skipped
  // (it never exits); the README's `npm run ingest` and `npm run token` find it through
  // LOCAL_DATA_DIR as they would find one `npm start` started. Only this block's test starts it.
  const local = withLocalStack({ name: 'readme', handlerLogLevel: 'WARN' });

  it('all succeed in order, and leave the story, the vote and the correction they describe', async () => {
    // Prepare
    const { stack, api, dataDir } = local;
    const valuesFile = join(dataDir, 'readme-values');
    const runBlocks = blocks.filter((block) => block.mode === 'run');
    const script = sessionScript(runBlocks, api, valuesFile);
    const scriptFile = join(dataDir, 'readme.sh');
    await writeFile(scriptFile, script.text);

    // Act
    // curl reads $CURL_HOME/.curlrc before its arguments: the README's own curl, failing on HTTP errors.
    await writeFile(join(dataDir, '.curlrc'), 'fail-with-body\nshow-error\n');
    const run = await runBash(scriptFile, { ...process.env, LOCAL_DATA_DIR: dataDir, CURL_HOME: dataDir });
    await stack.idle();

    // Assess
    const failedAt = /failed at script line (\d+)/.exec(run.stderr)?.[1];
    const failure =
      run.code === 0
        ? null
        : `README line ${failedAt ? script.readmeLineOf(Number(failedAt)) : '?'} failed (exit ${run.code}):\n` +
          run.stderr.slice(-3000);
    expect(failure).toBeNull();
    const [id, token, report] = (await readFile(valuesFile, 'utf8')).split('\n');
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(token!.split('.')).toHaveLength(3);
    expect(report).toMatch(new RegExp(`^${id}-[0-9a-f]{16}$`));
    const story = await http(`${api}/articles/${id}`);
    expect(story.body).toMatchObject({
      headline: 'Old Lighthouse Logbooks Fill a Gap in Storm Records',
      counts: { votes: 1, errorReports: 0 },
    });
    expect(story.body.corrections).toHaveLength(1);
  }, 180_000);
});

/**
 * One bash script holding every run block in order, and a map from its lines back to the
 * README's. The ERR trap names the failing line; `set -e` then ends the session.
 */
function sessionScript(
  runBlocks: readonly ShellBlock[],
  api: string,
  valuesFile: string,
): { text: string; readmeLineOf: (scriptLine: number) => number | null } {
  const lines: Array<{ text: string; readme: number | null }> = [
    'set -euo pipefail',
    `trap 'echo "failed at script line $LINENO" >&2' ERR`,
  ].map((text) => ({ text, readme: null }));
  for (const block of runBlocks) {
    block.lines.forEach((text, i) =>
      lines.push({ text: README_API_LINE.test(text) ? `API=${api}` : text, readme: block.line + i }),
    );
  }
  lines.push({ text: `printf '%s\\n' "$ID" "$TOKEN" "$REPORT" > '${valuesFile}'`, readme: null });
  return {
    text: `${lines.map((line) => line.text).join('\n')}\n`,
    readmeLineOf: (scriptLine) => lines[scriptLine - 1]?.readme ?? null,
  };
}

/** Runs bash without blocking the event loop: the local stack serves from this process. */
function runBash(file: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [file], { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}
