/**
 * The layer rule (eslint.layers.cjs) on small snippets placed in each layer. Only the layer rule
 * runs, without type information, so no TypeScript program is built. Imported files are found on
 * disk rather than named, so the test holds while files move between folders.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

// eslint.layers.cjs is CommonJS so that both eslint.config.mjs and this test can load it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { layersConfig } = require('../../../eslint.layers.cjs') as {
  layersConfig: () => Linter.Config[];
};

const ROOT = join(__dirname, '..', '..', '..');
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...layersConfig()],
});

function firstTypeScriptFile(folder: string): string {
  const entries = readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true });
  const file = entries.find((entry) => entry.isFile() && entry.name.endsWith('.ts'));
  if (!file) throw new Error(`No TypeScript file under ${folder}`);
  return relative(ROOT, join(file.parentPath, file.name));
}

/** An import of `target` (a path from the root) as written in a file at `from`. */
function importOf(from: string, target: string): string {
  const path = relative(dirname(from), target).replace(/\.ts$/, '');
  return `import * as probe from '${path.startsWith('.') ? path : `./${path}`}';\nexport { probe };\n`;
}

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) });
  return result!.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

const ADAPTER = firstTypeScriptFile('shared/adapters');
const DOMAIN_FILE = 'shared/polls/layer-probe.ts';

describe('the layer rule', () => {
  it('stops domain code from importing an AWS SDK client', async () => {
    const errors = await layerErrors(
      DOMAIN_FILE,
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport { DynamoDBClient };\n",
    );

    expect(errors).toEqual([
      expect.stringMatching(/^boundaries\/dependencies: domain code must not import @aws-sdk\/client-dynamodb/),
    ]);
  });

  it('stops domain code from importing Lambda types', async () => {
    const errors = await layerErrors(
      DOMAIN_FILE,
      "import type { Context } from 'aws-lambda';\nexport type { Context };\n",
    );

    expect(errors).toEqual([expect.stringContaining('domain code must not import aws-lambda')]);
  });

  it('stops domain code from importing an adapter', async () => {
    const errors = await layerErrors(DOMAIN_FILE, importOf(DOMAIN_FILE, ADAPTER));

    expect(errors).toEqual([
      expect.stringContaining(`domain code must not import from the adapter layer (${ADAPTER})`),
    ]);
  });

  it('lets domain code import a domain below it and the base layer', async () => {
    const probe = 'shared/comments/layer-probe.ts';
    const code =
      importOf(probe, 'shared/articles/article.ts') +
      importOf(probe, 'shared/polls/poll.ts').replace(/probe/g, 'poll') +
      importOf(probe, 'shared/errors.ts').replace(/probe/g, 'base');

    expect(await layerErrors(probe, code)).toEqual([]);
  });

  it('keeps domains one-way: polls never import articles, articles never import comments', async () => {
    const articlesProbe = 'shared/articles/layer-probe.ts';

    expect(await layerErrors(DOMAIN_FILE, importOf(DOMAIN_FILE, 'shared/articles/article.ts'))).toEqual([
      expect.stringContaining('shared/polls must not import another domain'),
    ]);
    expect(await layerErrors(articlesProbe, importOf(articlesProbe, 'shared/comments/comment.ts'))).toEqual([
      expect.stringContaining('shared/articles must not import shared/comments'),
    ]);
  });

  it('lets live updates read the comments and polls they announce, and keeps every other domain from importing them', async () => {
    const liveProbe = 'shared/live/layer-probe.ts';
    const commentsProbe = 'shared/comments/layer-probe.ts';

    expect(await layerErrors(liveProbe, importOf(liveProbe, 'shared/comments/comment-shapes.ts'))).toEqual([]);
    expect(await layerErrors(liveProbe, importOf(liveProbe, 'shared/polls/results.ts'))).toEqual([]);
    expect(await layerErrors(commentsProbe, importOf(commentsProbe, 'shared/live/channels.ts'))).toEqual([
      expect.stringContaining('shared/comments must not import shared/live'),
    ]);
  });

  it('lets the editors’ alerts read error reports and articles, and keeps those domains from importing the alerts', async () => {
    const alertsProbe = 'shared/alerts/layer-probe.ts';
    const reportsProbe = 'shared/error-reports/layer-probe.ts';

    expect(await layerErrors(alertsProbe, importOf(alertsProbe, 'shared/error-reports/report-id.ts'))).toEqual([]);
    expect(await layerErrors(alertsProbe, importOf(alertsProbe, 'shared/articles/identity.ts'))).toEqual([]);
    expect(await layerErrors(reportsProbe, importOf(reportsProbe, 'shared/alerts/editor-alerts.ts'))).toEqual([
      expect.stringContaining('shared/error-reports must not import shared/alerts'),
    ]);
  });

  it("stops an adapter group from importing another group's adapter, but not the shared AWS clients", async () => {
    const probe = 'shared/adapters/comments/layer-probe.ts';
    const otherGroup = firstTypeScriptFile('shared/adapters/polls');
    const aws = firstTypeScriptFile('shared/adapters/aws');

    expect(await layerErrors(probe, importOf(probe, otherGroup))).toEqual([
      expect.stringContaining('an adapter must not import another adapter group'),
    ]);
    expect(await layerErrors(probe, importOf(probe, aws))).toEqual([]);
  });

  it('lets the wiring combine adapter groups', async () => {
    const probe = 'shared/adapters/wiring/layer-probe.ts';
    const code =
      importOf(probe, firstTypeScriptFile('shared/adapters/polls')) +
      importOf(probe, firstTypeScriptFile('shared/adapters/articles')).replace(/probe/g, 'articles');

    expect(await layerErrors(probe, code)).toEqual([]);
  });

  it('stops the topology from importing an adapter', async () => {
    const probe = 'infra/topology/layer-probe.ts';

    expect(await layerErrors(probe, importOf(probe, ADAPTER))).toEqual([
      expect.stringContaining('infra/topology must not import'),
    ]);
  });

  it('lets an adapter import a domain', async () => {
    const probe = join(dirname(ADAPTER), 'layer-probe.ts');

    expect(await layerErrors(probe, importOf(probe, 'shared/polls/poll.ts'))).toEqual([]);
  });

  it('stops the HTTP edge from importing an adapter', async () => {
    const probe = 'shared/http/layer-probe.ts';

    expect(await layerErrors(probe, importOf(probe, ADAPTER))).toEqual([
      expect.stringContaining('the HTTP edge must not import from the adapter layer'),
    ]);
  });

  it('stops base code from importing a domain', async () => {
    const probe = 'shared/store/layer-probe.ts';

    expect(await layerErrors(probe, importOf(probe, 'shared/polls/poll.ts'))).toEqual([
      expect.stringContaining('base code'),
    ]);
  });

  it('lets a function import anything in shared', async () => {
    const probe = 'functions/layer-probe/handler.ts';

    expect(await layerErrors(probe, importOf(probe, ADAPTER))).toEqual([]);
  });
});
