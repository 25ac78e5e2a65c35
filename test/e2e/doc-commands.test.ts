/**
 * The shell blocks of the README and of every page under docs/, run as a new user would run them
 * on a fresh clone: a page's blocks in order, in one bash session of their own (so `$API`, `$ID`,
 * `$TOKEN` come from the page's earlier lines, never from another page), from the repository root,
 * against a local stack. Blocks marked `needs-aws` or `skip, <reason>` are only syntax-checked
 * (see `test/support/markdown-blocks.ts` for the markers).
 *
 * Three things differ from a user's terminal, so that a broken command fails the test:
 * - `API=http://127.0.0.1:3000` lines point at this test's stack (it listens on a free port,
 *   since 3000 may be taken), and `LOCAL_DATA_DIR` at its data folder, which is where
 *   `npm run ingest` and `npm run token` find the stack;
 * - `curl` runs with `--fail-with-body --show-error` (from a `.curlrc` in `CURL_HOME`), so an
 *   HTTP error is a failed command, and the session runs under `set -euo pipefail`;
 * - each page's curl comes from an address of its own (`X-Forwarded-For`, which this stack
 *   trusts), as readers of different pages are different people: one page's readers do not use
 *   up the reader tokens another page's address may mint.
 * Output is not compared; what a page says its commands leave behind is checked afterwards.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/local/local-stack';
import { http } from '../support/http';
import { withLocalStack } from '../support/local-stack';
import { fencesOf, shellBlocksOf, type ShellBlock } from '../support/markdown-blocks';

const API_LINE = /^API=http:\/\/127\.0\.0\.1:3000$/;
/** What an AWS-only command looks like; such a block needs the `needs-aws` marker. */
const AWS_COMMAND = /(?:^|[\s;|&(])(?:aws\s|(?:npx\s+)?cdk\s+(?:deploy|destroy|bootstrap))|--stack\s/;

interface Page {
  /** The page's path from the repository root, as failures name it. */
  name: string;
  markdown: string;
  blocks: ShellBlock[];
}

/**
 * What a page's commands must leave, beyond succeeding: the variables its session ends with, and
 * a check of them against the stack. A page not named here need only succeed.
 */
const LEAVES = new Map<string, { variables: string[]; check: (values: string[], api: string) => Promise<void> }>([
  [
    'README.md',
    {
      variables: ['ID', 'TOKEN', 'REPORT'],
      // Only what is the tour's own: other pages act on the same story, at the same time.
      check: async ([id, token, report], api) => {
        expect(id).toMatch(/^[0-9a-f]{16}$/);
        expect(token!.split('.')).toHaveLength(3);
        expect(report).toMatch(new RegExp(`^${id}-[0-9a-f]{16}$`));
        const story = await http(`${api}/articles/${id}`);
        const triaged = await http(`${api}/error-reports/${report}`, {
          headers: { authorization: `Bearer ${token}` },
        });

        expect(story.body.headline).toBe('Old Lighthouse Logbooks Fill a Gap in Storm Records');
        expect(story.body.counts.votes).toBeGreaterThanOrEqual(1);
        expect(story.body.corrections).toContainEqual(
          expect.objectContaining({ text: 'An earlier version gave the wrong year for the storm.' }),
        );
        expect(triaged.body.status).toBe('corrected');
      },
    },
  ],
  [
    // Only what is this page's own: other pages' sessions run on the same stack at the same time.
    'docs/api.md',
    {
      variables: ['ID', 'TOKEN', 'COMMENT', 'REPORT', 'TROLL'],
      check: async ([id, token, comment, report, troll], api) => {
        const asEditor = { headers: { authorization: `Bearer ${token}` } };
        const story = await http(`${api}/articles/${id}`);
        const comments = await http(`${api}/articles/${id}/comments?limit=100`);
        const closedReport = await http(`${api}/error-reports/${report}`, asEditor);
        const unbanned = await http(`${api}/moderation/readers/${troll}`, asEditor);

        expect(story.body.corrections).toContainEqual(
          expect.objectContaining({
            text: 'An earlier version gave the council vote as 6–3; it was 7–2.',
          }),
        );
        // Edited, flagged, approved, hidden, and visible again by the undo.
        expect(comments.body.items).toContainEqual(
          expect.objectContaining({ id: comment, body: 'A careful piece, well sourced.', edited: true }),
        );
        expect(closedReport.body).toMatchObject({ reportId: report, status: 'corrected' });
        expect(unbanned.body).toMatchObject({ readerId: troll, ban: null });
        expect(unbanned.body.banHistory.length).toBeGreaterThanOrEqual(2);
      },
    },
  ],
]);

const pages: Page[] = loadPages();

/** README.md, then every Markdown page under docs/ in path order. */
function loadPages(): Page[] {
  const names = ['README.md', ...markdownUnder('docs')];
  return names.map((name) => {
    const markdown = readFileSync(join(REPO_ROOT, name), 'utf8');
    return { name, markdown, blocks: shellBlocksOf(markdown) };
  });
}

function markdownUnder(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.md'))
    .map((path) => join(dir, path))
    .sort();
}

const runBlocksOf = (page: Page) => page.blocks.filter((block) => block.mode === 'run');
const pagesThatRun = pages.filter((page) => runBlocksOf(page).length > 0);

describe.each(pages.map((page) => [page.name, page] as const))("%s's shell blocks", (name, page) => {
  it('are each run, or marked needs-aws or skipped with a reason, and no AWS command goes unmarked', () => {
    const awsInRunBlocks = runBlocksOf(page)
      .flatMap((block) => block.lines.map((text, i) => ({ line: block.line + i, text })))
      .filter(({ text }) => AWS_COMMAND.test(text.replace(/#.*$/, '')));
    const needlessAwsMarkers = page.blocks
      .filter((block) => block.mode === 'needs-aws' && !block.lines.some((text) => AWS_COMMAND.test(text)))
      .map((block) => block.line);
    const shortReasons = page.blocks.filter((block) => block.mode === 'skip' && block.reason!.length < 10);
    // A fence without a language could hold commands this test never sees.
    const bareFences = fencesOf(page.markdown).filter((fence) => fence.info === '');

    expect({ awsInRunBlocks, needlessAwsMarkers, shortReasons, bareFences }).toEqual({
      awsInRunBlocks: [],
      needlessAwsMarkers: [],
      shortReasons: [],
      bareFences: [],
    });
  });

  it('use no variable before an earlier line of a run block on the page sets it', () => {
    const assigned = new Set<string>();
    const unset: string[] = [];
    for (const block of runBlocksOf(page)) {
      block.lines.forEach((text, i) => {
        const code = text.replace(/'[^']*'/g, "''").replace(/(^|\s)#.*$/, '');
        for (const [, variable] of code.matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)) {
          if (!assigned.has(variable!)) unset.push(`${name} line ${block.line + i}: $${variable}`);
        }
        for (const [, variable] of code.matchAll(/(?:^|[\s;])([A-Z][A-Z0-9_]*)=/g)) assigned.add(variable!);
      });
    }

    expect(unset).toEqual([]);
    expect([...assigned]).toEqual(expect.arrayContaining(LEAVES.get(name)?.variables ?? []));
  });

  it('reach the local stack only through $API, whose one setting the test points at its own stack', () => {
    const hardCoded = runBlocksOf(page)
      .flatMap((block) => block.lines.map((text, i) => ({ line: block.line + i, text })))
      .filter(({ text }) => /(?:127\.0\.0\.1|localhost):\d/.test(text) && !API_LINE.test(text));

    expect(hardCoded).toEqual([]);
  });

  it('are valid bash, every one of them (bash -n)', () => {
    const errors = page.blocks.flatMap((block) => {
      const check = spawnSync('bash', ['-n'], { input: `${block.lines.join('\n')}\n`, encoding: 'utf8' });
      return check.status === 0 ? [] : [`${name} line ${block.line} (${block.mode}): ${check.stderr.trim()}`];
    });

    expect(errors).toEqual([]);
  });
});

describe("the pages' local-stack commands, run against a local stack", () => {
  // The stack runs in this process rather than through `npm start`, whose README block is skipped
  // (it never exits); the pages' `npm run ingest` and `npm run token` find it through
  // LOCAL_DATA_DIR as they would find one `npm start` started.
  const local = withLocalStack({ name: 'doc-commands', handlerLogLevel: 'WARN' });

  it("include the README's tour", () => {
    expect(pagesThatRun.map((page) => page.name)).toContain('README.md');
  });

  // The pages' sessions all start once the stack is up and run side by side, as readers of
  // different pages would (each from its own address, with its own variables); each test waits for
  // its page's. Most of a session is waiting on the stack and on npm, so side by side they take
  // about half as long as one after another.
  const sessions = new Map<string, Promise<PageSession>>();
  beforeAll(() => {
    pagesThatRun.forEach((page, index) => sessions.set(page.name, runPage(page, index)));
  });

  async function runPage(page: Page, index: number): Promise<PageSession> {
    const { stack, api, dataDir } = local;
    const pageDir = await mkdtemp(join(dataDir, 'page-'));
    const leaves = LEAVES.get(page.name);
    const valuesFile = join(pageDir, 'values');
    const script = sessionScript(runBlocksOf(page), api, leaves ? { variables: leaves.variables, valuesFile } : null);
    const scriptFile = join(pageDir, 'session.sh');
    await writeFile(scriptFile, script.text);
    // curl reads $CURL_HOME/.curlrc before its arguments: the pages' own curl, failing on HTTP
    // errors, from the page's own address (198.51.100.0/24 is for documentation).
    await writeFile(
      join(pageDir, '.curlrc'),
      `fail-with-body\nshow-error\nheader = "X-Forwarded-For: 198.51.100.${index + 1}"\n`,
    );
    const run = await runBash(scriptFile, { ...process.env, LOCAL_DATA_DIR: dataDir, CURL_HOME: pageDir });
    await stack.idle();
    const failedAt = /failed at script line (\d+)/.exec(run.stderr)?.[1];
    const failure =
      run.code === 0
        ? null
        : `${page.name} line ${failedAt ? script.pageLineOf(Number(failedAt)) : '?'} failed (exit ${run.code}):\n` +
          run.stderr.slice(-3000);
    const values = failure === null && leaves ? (await readFile(valuesFile, 'utf8')).split('\n') : [];
    return { failure, values };
  }

  it.each(pagesThatRun.map((page) => [page.name] as const))(
    '%s: all succeed in order, and leave what the page says they do',
    async (name) => {
      // Prepare: the page's session, started with the others in beforeAll
      const session = sessions.get(name)!;

      // Act
      const { failure, values } = await session;

      // Assess
      expect(failure).toBeNull();
      await LEAVES.get(name)?.check(values, local.api);
    },
    180_000,
  );
});

/** How a page's session ended: the failing line and its output, or null; the variables it kept. */
interface PageSession {
  failure: string | null;
  values: string[];
}

/**
 * One bash script holding a page's run blocks in order, and a map from its lines back to the
 * page's. The ERR trap names the failing line; `set -e` then ends the session.
 */
function sessionScript(
  runBlocks: readonly ShellBlock[],
  api: string,
  keep: { variables: string[]; valuesFile: string } | null,
): { text: string; pageLineOf: (scriptLine: number) => number | null } {
  const lines: Array<{ text: string; page: number | null }> = [
    'set -euo pipefail',
    `trap 'echo "failed at script line $LINENO" >&2' ERR`,
  ].map((text) => ({ text, page: null }));
  for (const block of runBlocks) {
    block.lines.forEach((text, i) =>
      lines.push({ text: API_LINE.test(text) ? `API=${api}` : text, page: block.line + i }),
    );
  }
  if (keep) {
    const values = keep.variables.map((variable) => `"$${variable}"`).join(' ');
    lines.push({ text: `printf '%s\\n' ${values} > '${keep.valuesFile}'`, page: null });
  }
  return {
    text: `${lines.map((line) => line.text).join('\n')}\n`,
    pageLineOf: (scriptLine) => lines[scriptLine - 1]?.page ?? null,
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
