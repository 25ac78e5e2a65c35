/**
 * The tables of a Markdown page, as the text of their cells, for the tests that hold reference pages
 * against the code. GitHub Flavored Markdown's table rule is all they need: a header row, a
 * delimiter row of dashes, then rows until a line that is not one, each split at its unescaped
 * pipes (a pipe inside a cell, code spans included, is written `\|`). A Markdown parser would be a
 * dependency for these few lines; the pages are ours, and their tables take no other form.
 */
export interface MarkdownTableRow {
  /** 1-based line of the row in the page, for messages. */
  line: number;
  cells: string[];
}

export interface MarkdownTable {
  header: string[];
  rows: MarkdownTableRow[];
}

const FENCE = /^```/;
const DELIMITER_ROW = /^\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/;
const isRow = (text: string) => text.trimStart().startsWith('|');

/** A row's cells, trimmed, with `\|` read back as the pipe it stands for. */
export function cellsOf(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/** Every table of the page, in order; tables inside fenced code are text, not tables. */
export function tablesOf(markdown: string): MarkdownTable[] {
  const lines = markdown.split('\n');
  const tables: MarkdownTable[] = [];
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (FENCE.test(text)) fenced = !fenced;
    if (fenced || !isRow(text) || !DELIMITER_ROW.test(lines[i + 1] ?? '')) continue;
    const table: MarkdownTable = { header: cellsOf(text), rows: [] };
    let row = i + 2;
    for (; row < lines.length && isRow(lines[row]!); row++)
      table.rows.push({ line: row + 1, cells: cellsOf(lines[row]!) });
    tables.push(table);
    i = row - 1; // the line after the table is read by the next turn, fence or not
  }
  return tables;
}
