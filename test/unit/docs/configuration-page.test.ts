/**
 * docs/configuration.md against the code: its runtime settings and their defaults against the
 * catalog (shared/tunable-settings), its deploy options against the context keys a synthesis
 * actually reads. A setting or key added, renamed or removed in one place and not the other, or
 * a default changed in one, fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Node } from 'constructs';
import { DEFAULT_STACK_NAME, newsroomStackFromContext } from '../../../infra/context';
import { REPO_ROOT } from '../../../infra/constructs/news-function';
import { TUNABLE_SETTINGS } from '../../../infra/settings';
import { tableInSection } from '../../support/markdown-tables';

jest.setTimeout(120_000);

const markdown = readFileSync(join(REPO_ROOT, 'docs', 'configuration.md'), 'utf8');

/** Each row's first cell, with its second: name → default. */
const defaultsByName = (rows: string[][]) => Object.fromEntries(rows.map(([name, value]) => [name, value]));

describe('docs/configuration.md', () => {
  it('lists every runtime setting of the catalog, once, with its default, and no other', () => {
    const rows = tableInSection(markdown, 'Runtime settings');

    expect(defaultsByName(rows)).toEqual(
      Object.fromEntries(TUNABLE_SETTINGS.map((setting) => [setting.name, setting.default])),
    );
    expect(rows).toHaveLength(TUNABLE_SETTINGS.length);
  });

  it('lists every CDK context key a synthesis reads, once, and no other', () => {
    // Every read of the context, by the app's own code and by the CDK's (whose keys are namespaced,
    // `@aws-cdk/…` or `aws:cdk:…`, where the app's are plain names). The stack is built from an
    // empty context, so a key read only when another is set would go unseen: the app reads none so.
    const read = new Set<string>();
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with each node as `this`
    const tryGetContext = Node.prototype.tryGetContext;
    const spy = jest.spyOn(Node.prototype, 'tryGetContext').mockImplementation(function (this: Node, key: string) {
      read.add(key);
      return tryGetContext.call(this, key) as unknown;
    });
    try {
      newsroomStackFromContext(new App({ context: { 'aws:cdk:bundling-stacks': [] } }));
    } finally {
      spy.mockRestore();
    }
    const appKeys = [...read].filter((key) => /^[A-Za-z][A-Za-z0-9]*$/.test(key));
    const rows = tableInSection(markdown, 'Deploy options');

    expect(appKeys).toContain('stackName');
    expect(rows.map(([key]) => key).sort()).toEqual(appKeys.sort());
  });

  it("gives the stack name's default as the app uses it", () => {
    expect(defaultsByName(tableInSection(markdown, 'Deploy options')).stackName).toBe(DEFAULT_STACK_NAME);
  });
});
