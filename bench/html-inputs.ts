/**
 * What `npm run bench -- html` measures: the parsers (each turning a page into a tree), the
 * story pages the parser tests read, and 2 MB hostile pages. Shared by the bench and the child
 * process that tries each parser on each hostile page first, under a time limit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parse5Parse } from 'parse5';
import { MAX_INPUT_BYTES } from '../shared/articles/parse';
import { buildTree, parseHtml } from '../shared/articles/parse/html/tree';
import { tokenizeWithHtmlparser2 } from './htmlparser2-tokens';

/** Not the CDK construct's constant: importing aws-cdk-lib would slow every probe process. */
export const REPO_ROOT = resolve(__dirname, '..');

export interface Candidate {
  name: string;
  parse: (html: string) => unknown;
  /** A module exporting the parser, bundled from the repository root for the size figure. */
  bundleEntry: string;
}

export const OURS: Candidate = {
  name: 'ours: tokenizer + tree',
  parse: parseHtml,
  bundleEntry: "export { parseHtml } from './shared/articles/parse/html/tree';",
};

/** What switching would mean: htmlparser2's tokenizer under our tree builder. */
export const HTMLPARSER2_TOKENS: Candidate = {
  name: 'htmlparser2 tokens + our tree',
  parse: (html) => buildTree(tokenizeWithHtmlparser2(html)),
  bundleEntry: [
    "import { buildTree } from './shared/articles/parse/html/tree';",
    "import { tokenizeWithHtmlparser2 } from './bench/htmlparser2-tokens';",
    'export const parseHtml = (html) => buildTree(tokenizeWithHtmlparser2(html));',
  ].join('\n'),
};

export const CANDIDATES: readonly Candidate[] = [
  OURS,
  HTMLPARSER2_TOKENS,
  { name: 'parse5 (spec tree)', parse: parse5Parse, bundleEntry: "export { parse } from 'parse5';" },
];

/** `unit` repeated between `prefix` and `suffix` to the ingest limit, cut at a whole repetition. */
const fill = (prefix: string, unit: string, suffix = ''): string =>
  prefix + unit.repeat(Math.floor((MAX_INPUT_BYTES - prefix.length - suffix.length) / unit.length)) + suffix;

/** 2 MB pages built to hit each tokenizer and tree-builder path the hardest. */
export function hostilePages(): { name: string; html: string }[] {
  return [
    { name: 'nested <div>', html: fill('', '<div class="wrap">') },
    { name: 'stray "<"', html: fill('<p>', '< <<') },
    { name: 'unterminated "</x"', html: fill('<p>', '</x ') },
    { name: 'unclosed attribute quote', html: fill('<p><a href="', 'x') },
    { name: 'one tag, 500k attributes', html: fill('<p ', 'a=1 ', '>') },
    { name: 'references', html: fill('<p>', '&amp;&#x41;&bogus;&copy &') },
    { name: 'misnested <b><i>', html: fill('<p>', '<b><i>x</b></i>') },
    { name: '<p>/<li> under 300 <span>', html: fill('<span>'.repeat(300), '<p>x<li>y') },
    { name: 'unclosed comment', html: fill('<p>x<!--', '-- ->') },
  ];
}

/** The story pages the parser tests read: every HTML file among the samples and fixtures. */
export function storyPages(): { name: string; html: string }[] {
  const dirs = [resolve(REPO_ROOT, 'samples/stories'), resolve(REPO_ROOT, 'test/fixtures/stories')];
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((file) => file.endsWith('.html'))
      .map((file) => ({ name: file, html: readFileSync(join(dir, file), 'utf8') })),
  );
}
