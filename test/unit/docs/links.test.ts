/**
 * Every relative link in README.md and docs/ leads somewhere: a file of the repository, and, for a
 * `#fragment`, a heading of the page it names (GitHub's anchors: lowercased, punctuation dropped,
 * spaces as hyphens, `-1`, `-2`… for repeats). Links to other sites are not followed.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { REPO_ROOT } from '../../../infra/constructs/news-function';

/** README.md and every Markdown page under docs/. */
function markdownPages(): string[] {
  const pages = [join(REPO_ROOT, 'README.md')];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md')) pages.push(path);
    }
  };
  walk(join(REPO_ROOT, 'docs'));
  return pages;
}

/** Fenced code is not Markdown: a `[x](y)` inside it is text. */
const withoutCode = (markdown: string) => markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');

/** GitHub's anchor for each heading of a page, repeats numbered as GitHub numbers them. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = heading!
      .replace(/<[^>]+>/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const repeats = seen.get(slug) ?? 0;
    seen.set(slug, repeats + 1);
    anchors.add(repeats === 0 ? slug : `${slug}-${repeats}`);
  }
  return anchors;
}

interface Link {
  page: string;
  target: string;
}

function relativeLinks(page: string): Link[] {
  const text = withoutCode(readFileSync(page, 'utf8'));
  const targets = [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]!);
  return targets.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target)).map((target) => ({ page, target }));
}

/** Why the link leads nowhere, or null when it leads somewhere. */
function problemOf({ page, target }: Link): string | null {
  const [path, fragment] = target.split('#', 2) as [string, string | undefined];
  const file = path === '' ? page : join(dirname(page), decodeURI(path));
  if (!existsSync(file)) return `${relative(REPO_ROOT, file)} does not exist`;
  if (fragment === undefined || fragment === '' || !file.endsWith('.md')) return null;
  return headingAnchors(readFileSync(file, 'utf8')).has(decodeURIComponent(fragment))
    ? null
    : `${relative(REPO_ROOT, file)} has no heading #${fragment}`;
}

describe('relative links in README.md and docs/', () => {
  const links = markdownPages().flatMap(relativeLinks);

  it('are found at all (the extraction works)', () => {
    expect(links.length).toBeGreaterThan(5);
  });

  it('all lead to a file that exists and a heading it has', () => {
    const broken = links
      .map((link) => ({ link: `${relative(REPO_ROOT, link.page)}: ${link.target}`, problem: problemOf(link) }))
      .filter((entry) => entry.problem !== null);

    expect(broken).toEqual([]);
  });
});

describe('the anchors GitHub gives headings', () => {
  it('lowercases, drops punctuation and code marks, joins words with hyphens and numbers repeats', () => {
    const anchors = headingAnchors(
      [
        '# Newsroom',
        '## Live updates: `npm run bench -- live`',
        "### Renewing the live readers' key",
        '## Tests',
        '## Tests',
        '```sh',
        '# not a heading',
        '```',
      ].join('\n'),
    );

    expect([...anchors]).toEqual([
      'newsroom',
      'live-updates-npm-run-bench----live',
      'renewing-the-live-readers-key',
      'tests',
      'tests-1',
    ]);
  });
});
