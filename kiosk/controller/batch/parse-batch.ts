import { parse } from 'csv-parse/sync';
import { batchColumns, maxBatchRows, requiredBatchColumns, type BatchColumn, type BatchFormat, type BatchProblem } from '../../../shared/contract/batch';
import { batchColumnAliases } from '../../../shared/contract/batch-cells';
import { message } from '../../../shared/contract/messages';

/**
 * A batch file's text as rows of named cells: CSV (with a header row) or JSON (an array of objects, or
 * `{ "rows": [...] }`). Only the shape is checked here; the values are checked by `validate-batch.ts`.
 */

/** One row of the file: its number as the clerk sees it, and its cells by column (trimmed; '' when empty). */
export interface RawBatchRow {
  readonly row: number;
  readonly cells: Readonly<Record<BatchColumn, string>>;
}

export interface ParsedBatch {
  readonly rows: readonly RawBatchRow[];
  /** Problems of the file as a whole (a missing column...): nothing can be imported while there is one. */
  readonly fileProblems: readonly BatchProblem[];
  /** Entries that are not rows at all (a JSON list's string...): they are left out, the others stand. */
  readonly rowProblems?: readonly BatchProblem[];
}

const known = new Set<string>(batchColumns);

function columnOf(heading: string): BatchColumn | null {
  const clean = heading.normalize('NFKC').trim();
  const lower = clean.toLowerCase().replace(/[\s-]+/g, '_');
  if (known.has(lower)) return lower as BatchColumn;
  return batchColumnAliases[clean] ?? null;
}

const fileProblem = (problem: Omit<BatchProblem, 'row' | 'column' | 'reasons'>): BatchProblem => ({ row: 0, column: null, reasons: [], ...problem });

export function parseBatch(text: string, format: BatchFormat): ParsedBatch {
  // A spreadsheet saved as "CSV UTF-8" starts with a byte-order mark; so may a JSON export.
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (content.trim() === '') return { rows: [], fileProblems: [fileProblem({ message: message('batch.file-empty') })] };
  return format === 'csv' ? parseCsv(content) : parseJson(content);
}

function parseCsv(content: string): ParsedBatch {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(content, { relax_column_count: true, skip_empty_lines: true, trim: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    return { rows: [], fileProblems: [fileProblem({ message: message('batch.file-unreadable', { detail: csvErrorDetail(error) }) })] };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], fileProblems: [fileProblem({ message: message('batch.file-empty') })] };
  const headings = mapHeadings(header.record);
  // The line the record ends on: the spreadsheet's row number (blank lines count, as they do there).
  const rows = body.map(({ record, info }) => ({
    row: info.lines,
    cells: cellsOf((column) => {
      const at = headings.indexOf(column);
      return at === -1 ? '' : (record[at] ?? '');
    }),
  }));
  return withRowLimit(rows, headings.problems);
}

function parseJson(content: string): ParsedBatch {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    // V8's message quotes the text around the fault (a resident's data): say only where it is.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    const detail = position === undefined ? 'not valid JSON' : `not valid JSON at position ${position}`;
    return { rows: [], fileProblems: [fileProblem({ message: message('batch.file-unreadable', { detail }) })] };
  }
  const list = Array.isArray(value) ? value : isObject(value) && Array.isArray(value['rows']) ? (value['rows'] as unknown[]) : null;
  if (!list) return { rows: [], fileProblems: [fileProblem({ message: message('batch.file-unreadable', { detail: 'expected an array of rows, or { "rows": [...] }' }) })] };
  if (list.length === 0) return { rows: [], fileProblems: [fileProblem({ message: message('batch.file-empty') })] };
  const problems: BatchProblem[] = [];
  const notRows: BatchProblem[] = [];
  const unknown = new Set<string>();
  const rows: RawBatchRow[] = [];
  list.forEach((entry, index) => {
    const row = index + 1;
    if (!isObject(entry)) {
      notRows.push({ row, column: null, message: message('batch.row-not-an-object'), reasons: [] });
      return;
    }
    const byColumn = new Map<BatchColumn, string>();
    for (const [key, cell] of Object.entries(entry)) {
      const column = columnOf(key);
      if (column === null) unknown.add(key);
      else byColumn.set(column, jsonCell(cell));
    }
    rows.push({ row, cells: cellsOf((column) => byColumn.get(column) ?? '') });
  });
  for (const column of unknown) problems.push(fileProblem({ message: message('batch.column-unknown', { column }) }));
  const present = new Set(rows.flatMap((row) => batchColumns.filter((column) => row.cells[column] !== '')));
  // A JSON row may leave out an empty optional key, but a required column nobody has is a file problem.
  for (const column of requiredBatchColumns) {
    if (rows.length > 0 && !present.has(column)) problems.push(fileProblem({ message: message('batch.column-missing', { column }) }));
  }
  return { ...withRowLimit(rows, problems), rowProblems: notRows };
}

function withRowLimit(rows: readonly RawBatchRow[], problems: readonly BatchProblem[]): ParsedBatch {
  if (rows.length === 0 && problems.length === 0) return { rows, fileProblems: [fileProblem({ message: message('batch.file-empty') })] };
  if (rows.length > maxBatchRows) return { rows: [], fileProblems: [...problems, fileProblem({ message: message('batch.too-many-rows', { max: maxBatchRows }) })] };
  return { rows, fileProblems: problems };
}

interface Headings {
  indexOf(column: BatchColumn): number;
  readonly problems: readonly BatchProblem[];
}

function mapHeadings(header: readonly string[]): Headings {
  const problems: BatchProblem[] = [];
  const at = new Map<BatchColumn, number>();
  header.forEach((heading, index) => {
    if (heading.trim() === '') return;
    const column = columnOf(heading);
    if (column === null) problems.push(fileProblem({ message: message('batch.column-unknown', { column: heading.trim() }) }));
    else if (!at.has(column)) at.set(column, index);
  });
  for (const column of requiredBatchColumns) {
    if (!at.has(column)) problems.push({ row: 1, column, message: message('batch.column-missing', { column }), reasons: [] });
  }
  return { indexOf: (column) => at.get(column) ?? -1, problems };
}

function cellsOf(cell: (column: BatchColumn) => string): Record<BatchColumn, string> {
  return Object.fromEntries(batchColumns.map((column) => [column, cell(column).normalize('NFC').trim()])) as Record<BatchColumn, string>;
}

function jsonCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** csv-parse's code and line, without the record's text (it may hold a resident's data). */
function csvErrorDetail(error: unknown): string {
  const code = isObject(error) && typeof error['code'] === 'string' ? error['code'] : 'CSV_INVALID';
  const line = isObject(error) && typeof error['lines'] === 'number' ? ` at line ${error['lines']}` : '';
  return `${code}${line}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
