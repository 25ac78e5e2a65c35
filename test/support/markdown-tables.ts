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

/** A cell as the value it names: without the code marks around the whole cell. */
export const plainCell = (cell: string) => cell.replace(/^`([^`]*)`$/, '$1');

/** The body rows of a table, as plain cells. */
const plainRows = (table: MarkdownTable) => table.rows.map((row) => row.cells.map(plainCell));

/**
 * The body rows, as plain cells, of the page's one table whose first header cell is
 * `firstHeader` (e.g. `Attribute`). Throws when there is none or more than one, so a renamed
 * column fails the test that reads it instead of emptying it.
 */
export function tableHeaded(markdown: string, firstHeader: string): string[][] {
  const found = tablesOf(markdown).filter((table) => table.header[0] === firstHeader);
  if (found.length !== 1) throw new Error(`${found.length} tables headed "${firstHeader}", not one`);
  return plainRows(found[0]!);
}

/**
 * The body rows, as plain cells, of the one table in the page's `## <heading>` section (up to the
 * next `## `). Throws when the section is missing or holds no table or several.
 */
export function tableInSection(markdown: string, heading: string): string[][] {
  const section = markdown.split(/^## /m).find((part) => part.startsWith(`${heading}\n`));
  if (section === undefined) throw new Error(`No "## ${heading}" section`);
  const found = tablesOf(section);
  if (found.length !== 1) throw new Error(`${found.length} tables in "## ${heading}", not one`);
  return plainRows(found[0]!);
}
