/**
 * The shell blocks of a Markdown page (the README, docs/*.md), with what test/e2e/doc-commands.test.ts
 * does with each.
 *
 * A fenced block whose info string is `sh`, `bash` or `shell` is a shell block. The line just
 * before its fence (blank lines between are allowed) may carry a marker:
 *
 * - `<!-- readme-test: needs-aws -->`: needs an AWS account (`cdk deploy`, the `aws` CLI,
 *   `--stack`); only its syntax is checked.
 * - `<!-- readme-test: skip, <reason> -->`: must not run in a test (it installs, starts a
 *   long-running process, or rewrites a committed file); only its syntax is checked.
 *
 * Any other shell block is run, in order with the page's others, against a local stack.
 */
export type BlockMode = 'run' | 'needs-aws' | 'skip';

export interface ShellBlock {
  /** 1-based line of the block's first command (the line after the opening fence). */
  line: number;
  lines: string[];
  mode: BlockMode;
  /** Why a skipped block is skipped. */
  reason: string | null;
}

export interface MarkdownFence {
  line: number;
  info: string;
}

const FENCE = /^```\s*(.*)$/;
const SHELL_INFO = /^(?:sh|bash|shell)$/;
const MARKER = /^<!--\s*readme-test:\s*(.*?)\s*-->$/;

/** Every fenced block's opening line and info string, shell or not. */
export function fencesOf(markdown: string): MarkdownFence[] {
  const fences: MarkdownFence[] = [];
  let open = false;
  markdown.split('\n').forEach((text, index) => {
    const fence = FENCE.exec(text);
    if (!fence) return;
    if (!open) fences.push({ line: index + 1, info: fence[1]!.trim() });
    open = !open;
  });
  return fences;
}

/**
 * The shell blocks, each with its mode.
 *
 * @throws Error for a marker this file does not define, a skip without a reason, a marker
 * that is not followed by a shell block, or a fence that is never closed.
 */
export function shellBlocksOf(markdown: string): ShellBlock[] {
  const lines = markdown.split('\n');
  const blocks: ShellBlock[] = [];
  let marker: { line: number; text: string } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const markerMatch = MARKER.exec(text.trim());
    if (markerMatch) {
      marker = { line: i + 1, text: markerMatch[1]! };
      continue;
    }
    const fence = FENCE.exec(text);
    if (!fence) {
      if (marker && text.trim() !== '') throw new Error(`line ${marker.line}: a marker must precede a shell block`);
      continue;
    }
    const end = lines.findIndex((candidate, j) => j > i && FENCE.test(candidate));
    if (end === -1) throw new Error(`line ${i + 1}: the fence is never closed`);
    if (SHELL_INFO.test(fence[1]!.trim())) {
      blocks.push({ line: i + 2, lines: lines.slice(i + 1, end), ...modeOf(marker) });
    } else if (marker) {
      throw new Error(`line ${marker.line}: a marker must precede a shell block`);
    }
    marker = null;
    i = end;
  }
  return blocks;
}

function modeOf(marker: { line: number; text: string } | null): Pick<ShellBlock, 'mode' | 'reason'> {
  if (marker === null) return { mode: 'run', reason: null };
  if (marker.text === 'needs-aws') return { mode: 'needs-aws', reason: null };
  const skip = /^skip,\s*(\S.*)$/.exec(marker.text);
  if (skip) return { mode: 'skip', reason: skip[1]! };
  throw new Error(`line ${marker.line}: unknown marker "${marker.text}" (use "needs-aws" or "skip, <reason>")`);
}
