/**
 * docs/embedding.md and docs/desk.md against the code they describe: each table of what a site or
 * an editor may use (the widget's elements, attributes, custom properties and parts; the desk's
 * keys and local sign-in) lists exactly what the code declares, so a page can neither name what
 * the code lacks nor miss what it has.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../infra/constructs/news-function';
import { DEFAULT_LOCAL_EDITOR } from '../../../infra/local/oauth';
import { tableHeaded } from '../../support/markdown-tables';
import { QUEUE_KEYS } from '../../../web/desk/src/queue-keys';
import {
  ELEMENT_ATTRIBUTES,
  ELEMENT_TAGS,
  LANGUAGE_ATTRIBUTE,
  PARTS,
  THEME_PROPERTIES,
} from '../../../web/widget/src/embedding';

const page = (name: string) => readFileSync(join(REPO_ROOT, 'docs', name), 'utf8');

const firstCells = (markdown: string, firstHeader: string) => tableHeaded(markdown, firstHeader).map(([cell]) => cell);
const sorted = (values: readonly (string | undefined)[]) => [...values].sort();

describe('docs/embedding.md', () => {
  const embedding = page('embedding.md');

  it('lists exactly the elements the loader defines', () => {
    expect(sorted(firstCells(embedding, 'Element'))).toEqual(sorted(ELEMENT_TAGS));
  });

  it('lists exactly the attributes the elements read, lang included', () => {
    expect(sorted(firstCells(embedding, 'Attribute'))).toEqual(sorted([...ELEMENT_ATTRIBUTES, LANGUAGE_ATTRIBUTE]));
  });

  it('lists exactly the custom properties of the theme, each with its default', () => {
    const documented = tableHeaded(embedding, 'Custom property').map(
      ([property, fallback]) => `${property} ${fallback}`,
    );

    expect(sorted(documented)).toEqual(
      sorted(Object.entries(THEME_PROPERTIES).map(([property, { fallback }]) => `${property} ${fallback}`)),
    );
  });

  it('lists exactly the parts exposed to ::part()', () => {
    expect(sorted(firstCells(embedding, 'Part'))).toEqual(sorted(PARTS));
  });

  it('documents no part that no element sets (the declared list has no dead entries)', () => {
    const sources = readdirSync(join(REPO_ROOT, 'web/widget/src'))
      .map((name) => readFileSync(join(REPO_ROOT, 'web/widget/src', name), 'utf8'))
      .join('\n');
    const set = new Set([...sources.matchAll(/\bpart: '([\w-]+)'/g)].map((match) => match[1]));

    expect(PARTS.filter((part) => !set.has(part))).toEqual([]);
  });
});

describe('docs/desk.md', () => {
  const desk = page('desk.md');

  it('lists exactly the keys of the moderation queue', () => {
    expect(sorted(firstCells(desk, 'Key'))).toEqual(sorted(Object.values(QUEUE_KEYS)));
  });

  it('gives the local sign-in the stack starts with', () => {
    const defaults = new Map(tableHeaded(desk, 'Variable').map(([name, fallback]) => [name, fallback]));

    expect(defaults).toEqual(
      new Map([
        ['LOCAL_EDITOR_EMAIL', DEFAULT_LOCAL_EDITOR.email],
        ['LOCAL_EDITOR_PASSWORD', DEFAULT_LOCAL_EDITOR.password],
      ]),
    );
    expect(desk).toContain(`\`${DEFAULT_LOCAL_EDITOR.email}\`, password \`${DEFAULT_LOCAL_EDITOR.password}\``);
  });
});
