/**
 * Our HTML tokenizer against htmlparser2 (and parse5, for reference), side by side in one run:
 * time per MB on the story pages the parser tests read and on 2 MB hostile pages (the ingest
 * limit), median of interleaved rounds, and the minified bundle each adds to a function.
 *
 * Each parser first parses each hostile page once in a child process under a time limit
 * (`BENCH_HTML_LIMIT_S`, 60 s): one that does not finish is reported as stopped and left out
 * of the rounds, which run in this process.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildTree, type HtmlDocument, parseHtml, textOf } from '../shared/articles/parse/html/tree';
import { CANDIDATES, hostilePages, HTMLPARSER2_TOKENS, OURS, REPO_ROOT, storyPages } from './html-inputs';
import { tokenizeWithHtmlparser2 } from './htmlparser2-tokens';

const OUT_DIR = resolve(REPO_ROOT, '.bench', 'html');
const MB = 1024 * 1024;

export async function benchHtml(options: { rounds: number; limitSeconds: number }): Promise<void> {
  const inputs = [
    // A small page is parsed over and over, so that its time per MB is not timer noise.
    ...storyPages().map((page) => ({ ...page, repeat: Math.ceil(MB / page.html.length), hostile: false })),
    ...hostilePages().map((page) => ({ ...page, repeat: 1, hostile: true })),
  ];
  const key = (input: string, candidate: string) => `${input}\u0000${candidate}`;

  const stopped = new Set<string>();
  for (const input of inputs.filter((i) => i.hostile)) {
    for (const candidate of CANDIDATES) {
      if (!probeFinishes(candidate.name, input.name, options.limitSeconds))
        stopped.add(key(input.name, candidate.name));
    }
  }

  const timings = new Map<string, number[]>(); // ms per MB
  for (let round = 0; round < options.rounds; round++) {
    for (const input of inputs) {
      for (const candidate of CANDIDATES) {
        if (stopped.has(key(input.name, candidate.name))) continue;
        const start = performance.now();
        for (let i = 0; i < input.repeat; i++) candidate.parse(input.html);
        const msPerMb = (performance.now() - start) / ((input.html.length * input.repeat) / MB);
        timings.set(key(input.name, candidate.name), [
          ...(timings.get(key(input.name, candidate.name)) ?? []),
          msPerMb,
        ]);
      }
    }
  }

  console.log(
    `HTML parsers, ms per MB of input (× ours), median of ${options.rounds} interleaved rounds, Node ${process.version}; ` +
      `story pages parsed to 1 MB in all, hostile pages of ${(hostilePages()[0]!.html.length / MB).toFixed(1)} MB:`,
  );
  console.table(
    inputs.map((input) => {
      const row: Record<string, string> = { input: input.name };
      const base = median(timings.get(key(input.name, OURS.name))!);
      for (const candidate of CANDIDATES) {
        const samples = timings.get(key(input.name, candidate.name));
        if (!samples) {
          row[candidate.name] = `stopped: > ${options.limitSeconds} s`;
          continue;
        }
        const ms = median(samples);
        row[candidate.name] = candidate === OURS ? ms.toFixed(0) : `${ms.toFixed(0)} (×${(ms / base).toFixed(2)})`;
      }
      const htmlparser2Stopped = stopped.has(key(input.name, HTMLPARSER2_TOKENS.name));
      row['same text'] = htmlparser2Stopped ? '-' : sameText(input.html) ? 'yes' : 'no';
      return row;
    }),
  );
  console.log("'same text': our tree builder reads the same text from our tokens and from htmlparser2's.\n");

  await benchBundleSizes();
}

function probeFinishes(candidate: string, page: string, limitSeconds: number): boolean {
  try {
    execFileSync(process.execPath, [...process.execArgv, resolve(__dirname, 'html-probe.ts'), candidate, page], {
      timeout: limitSeconds * 1000,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return true;
  } catch (error) {
    if ((error as { signal?: string }).signal === 'SIGTERM') return false;
    throw error;
  }
}

/** Whether our tree builder reads the same text from either tokenizer's output. */
function sameText(html: string): boolean {
  const text = (document: HtmlDocument) => textOf(document.root);
  return text(parseHtml(html)) === text(buildTree(tokenizeWithHtmlparser2(html)));
}

async function benchBundleSizes(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const sizes: { name: string; bytes: number; gzipBytes: number }[] = [];
  for (const [index, candidate] of CANDIDATES.entries()) {
    const result = await build({
      stdin: { contents: candidate.bundleEntry, resolveDir: REPO_ROOT, loader: 'ts', sourcefile: `entry-${index}.ts` },
      write: false,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      minify: true,
      mainFields: ['module', 'main'],
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.contents;
    writeFileSync(join(OUT_DIR, `bundle-${index}.mjs`), code);
    sizes.push({ name: candidate.name, bytes: code.length, gzipBytes: gzipSync(code).length });
  }
  const base = sizes[0]!;
  console.log('Each parser bundled alone (esbuild, minified ESM, platform node, node22, as the functions are):');
  console.table(
    sizes.map((size) => ({
      parser: size.name,
      'minified KB': (size.bytes / 1024).toFixed(1),
      'gzip KB': (size.gzipBytes / 1024).toFixed(1),
      'size ×': (size.bytes / base.bytes).toFixed(2),
    })),
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
