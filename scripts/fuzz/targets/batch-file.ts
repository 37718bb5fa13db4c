import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { checkBatchFile } from '../../../kiosk/controller/batch/check-batch';
import type { HeldCard } from '../../../kiosk/controller/issuance/assess-application';
import { batchApplicationSchema, batchColumns, batchProblemSchema, requiredBatchColumns, type BatchColumn, type BatchFormat } from '../../../shared/contract/batch';
import { compareDates, parseIsoDate } from '../../../shared/domain/calendar-date';
import { defaultCityRules } from '../../../shared/domain/rules';
import { checkTaiwanId } from '../../../shared/identity/taiwan-id';
import type { FuzzTarget } from '../target';

/**
 * Imported nursing-home batch files (`checkBatchFile`: parse-batch.ts, then validate-batch.ts with the
 * counter's rules): the README's sample, clean, as CSV and as JSON, mutated as spreadsheets and clerks
 * mutate files (byte-order mark, CRLF or CR line ends, quoted cells, a column gone or renamed, invalid
 * ID numbers, 29 February in a leap year and not, ROC years, wrong JSON types, `__proto__` keys) beside
 * arbitrary text. Its promises: never a throw; every problem fits the contract and names its row and,
 * for a cell, its column; a clean row is an application the contract accepts (a real ID, a real past
 * date); the mutation made is found where it was made; line ends and a BOM change nothing.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const sample = readFileSync(join(root, 'docs', 'samples', 'nursing-home-batch.csv'), 'utf8');
const today = '2026-12-07';
const holders: Record<string, HeldCard[]> = { H220513973: [{ type: 'senior', status: 'active' }], H220877150: [{ type: 'senior', status: 'active' }] };
const deps = { rules: defaultCityRules, today: () => today, heldCards: async (id: string) => holders[id] ?? [] };

const [headerLine = '', ...sampleLines] = sample.trimEnd().split('\n');
const header = headerLine.split(',') as BatchColumn[];
/**
 * The sample without its three bad rows (spreadsheet rows 7, 13, 18): every row clean. Its first ten rows
 * (with a guardian, a replacement, two schemes, a disability card) keep each input cheap.
 */
const cleanRows: string[][] = sampleLines.filter((_, i) => ![7, 13, 18].includes(i + 2)).slice(0, 10).map((line) => line.split(','));

type Cell = string | number | boolean | null | object;
type Expectation =
  | { readonly kind: 'none' }
  | { readonly kind: 'same-as-clean' }
  | { readonly kind: 'cell-problem'; readonly row: number; readonly column: BatchColumn }
  | { readonly kind: 'no-problem-at'; readonly row: number; readonly column: BatchColumn }
  | { readonly kind: 'column-missing'; readonly column: BatchColumn };

interface Input {
  readonly text: string;
  readonly format: BatchFormat;
  readonly expect: Expectation;
}

function csvText(head: readonly string[], rows: readonly (readonly string[])[], ending = '\n', bom = false): string {
  return (bom ? '\ufeff' : '') + [head, ...rows].map((cells) => cells.join(',')).join(ending) + ending;
}

function jsonText(head: readonly string[], rows: readonly (readonly Cell[])[], wrapped: boolean): string {
  const list = rows.map((cells) => {
    const entry: Record<string, Cell> = {};
    head.forEach((column, i) => Object.defineProperty(entry, column, { value: cells[i] ?? '', enumerable: true, configurable: true, writable: true }));
    return entry;
  });
  return JSON.stringify(wrapped ? { rows: list } : list);
}

const text = (format: BatchFormat, head: readonly string[], rows: readonly (readonly Cell[])[], wrapped = false): string =>
  format === 'csv' ? csvText(head, rows.map((cells) => cells.map(String))) : jsonText(head, rows, wrapped);

const format = fc.constantFrom<BatchFormat>('csv', 'json');
const rowIndex = fc.nat(cleanRows.length - 1);
const columnIndex = (column: BatchColumn): number => header.indexOf(column);
const withCell = (at: number, column: BatchColumn, value: Cell): Cell[][] =>
  cleanRows.map((cells, i) => (i === at ? cells.map((cell, c) => (c === columnIndex(column) ? value : cell)) : cells));

const invalidIds = fc.oneof(
  fc.constantFrom('H120345614', 'h12034561', 'H1203456155', 'Z9999999990', '1H20345615', 'H32034561５', 'ＨＡ20345615'),
  fc.stringMatching(/^[A-Z][0-9]{9}$/).filter((id) => !checkTaiwanId(id).valid),
);
const invalidDates = fc.constantFrom('2023-02-29', '1931-02-29', '2100-02-29', '112/02/29', '1950-13-01', '1950-00-10', '1950-04-31', '31/12/1950', '1950-1-1-1', '1950年1月1日', '9999-99-99', '2027-01-01');
const validDates = fc.constantFrom('2024-02-29', '1932-02-29', '113/02/29', '021/02/29', '1950/1/1', '1950.12.31', '１９５０－０１－０２'.replace(/－/g, '-'));

const mutations: fc.Arbitrary<Input> = fc.oneof(
  // Line ends and a byte-order mark, as spreadsheets save them: nothing changes.
  fc.tuple(fc.constantFrom('\n', '\r\n', '\r'), fc.boolean(), fc.boolean()).map(([ending, bom, blank]) => ({
    text: csvText(header, blank ? [...cleanRows.slice(0, 3), [], ...cleanRows.slice(3)].map((r) => (r.length === 0 ? [''] : r)) : cleanRows, ending, bom).replace(/^(\ufeff?)/, '$1'),
    format: 'csv' as const,
    expect: blank ? ({ kind: 'none' } as const) : ({ kind: 'same-as-clean' } as const),
  })),
  fc.boolean().map((wrapped) => ({ text: (wrapped ? '\ufeff' : '') + jsonText(header, cleanRows, wrapped), format: 'json' as const, expect: { kind: 'same-as-clean' } as const })),
  // An invalid ID number, a date that is no day, a day that is: found on its row, in its column.
  fc.tuple(format, rowIndex, invalidIds).map(([f, at, id]) => ({ text: text(f, header, withCell(at, 'id_number', id)), format: f, expect: { kind: 'cell-problem', row: rowOf(f, at), column: 'id_number' } as const })),
  fc.tuple(format, rowIndex, invalidDates).map(([f, at, date]) => ({ text: text(f, header, withCell(at, 'birth_date', date)), format: f, expect: { kind: 'cell-problem', row: rowOf(f, at), column: 'birth_date' } as const })),
  fc.tuple(format, rowIndex, validDates).map(([f, at, date]) => ({ text: text(f, header, withCell(at, 'birth_date', date)), format: f, expect: { kind: 'no-problem-at', row: rowOf(f, at), column: 'birth_date' } as const })),
  fc.tuple(format, rowIndex, fc.constantFrom<BatchColumn>('district', 'card_type', 'scheme', 'indigenous', 'bedridden', 'disability_certificate'), fc.constantFrom('x', '?', '台北', 'yes please', '0.5', '敬老', 'EASYCARD ')).map(([f, at, column, value]) => ({
    text: text(f, header, withCell(at, column, value)),
    format: f,
    // 'EASYCARD ' is a scheme once trimmed and folded: only a wrong value must be flagged.
    expect: column === 'scheme' && value === 'EASYCARD ' ? ({ kind: 'none' } as const) : ({ kind: 'cell-problem', row: rowOf(f, at), column } as const),
  })),
  // A required column left out of the file.
  fc.tuple(format, fc.constantFrom(...requiredBatchColumns)).map(([f, column]) => {
    const keep = header.map((_, i) => i).filter((i) => i !== columnIndex(column));
    return { text: text(f, keep.map((i) => header[i] ?? ''), cleanRows.map((cells) => keep.map((i) => cells[i] ?? ''))), format: f, expect: { kind: 'column-missing', column } as const };
  }),
  // Quoted cells: commas, quotes and line breaks inside, or a quote left open.
  fc.tuple(rowIndex, fc.nat(header.length - 1), fc.constantFrom('"陳,阿金"', '"say ""hi"""', '"two\nlines"', '"open', 'a"b', '"x"y', '""')).map(([at, column, cell]) => ({
    text: csvText(header, cleanRows.map((cells, i) => (i === at ? cells.map((c, j) => (j === column ? cell : c)) : cells))),
    format: 'csv' as const,
    expect: { kind: 'none' } as const,
  })),
  // JSON cells of the wrong type, hostile keys, entries that are not rows.
  fc.tuple(rowIndex, fc.nat(header.length - 1), fc.constantFrom<Cell>(null, true, false, 0, -1, 1e21, [], {}, ['H120345615'], { id: 'H120345615' }, 'A'.repeat(10_000))).map(([at, column, cell]) => ({
    text: jsonText(header, cleanRows.map((cells, i) => (i === at ? cells.map((c, j) => (j === column ? cell : c)) : cells)), false),
    format: 'json' as const,
    expect: { kind: 'none' } as const,
  })),
  fc.tuple(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', ''), fc.constantFrom<Cell>({ room: 'x' }, 'x', 1, null)).map(([key, value]) => ({
    text: jsonText([...header, key], cleanRows.map((cells) => [...cells, value]), false),
    format: 'json' as const,
    expect: { kind: 'none' } as const,
  })),
  fc.tuple(rowIndex, fc.constantFrom('null', '1', '"row"', '[]', '[{"room":"1"}]')).map(([at, entry]) => {
    const rows = JSON.parse(jsonText(header, cleanRows, false)) as unknown[];
    rows.splice(at, 0, JSON.parse(entry));
    return { text: JSON.stringify(rows), format: 'json' as const, expect: { kind: 'none' } as const };
  }),
  // The text cut or spliced anywhere.
  fc.tuple(format, fc.nat(), fc.nat(20), fc.string({ maxLength: 6 })).map(([f, at, remove, inserted]) => {
    const whole = text(f, header, cleanRows);
    const where = at % (whole.length + 1);
    return { text: whole.slice(0, where) + inserted + whole.slice(where + remove), format: f, expect: { kind: 'none' } as const };
  }),
  // Rows swapped for each other's columns, duplicated, a heading renamed to a Chinese alias or to nothing known.
  fc.tuple(format, fc.nat(header.length - 1), fc.constantFrom('房號', '姓名', '身分證字號', '生日', '卡別', 'Room ', 'ID-Number', 'unknown', '', '=1+1')).map(([f, column, heading]) => ({
    text: text(f, header.map((h, i) => (i === column ? heading : h)), cleanRows),
    format: f,
    expect: { kind: 'none' } as const,
  })),
  fc.tuple(format, rowIndex, fc.nat(cleanRows.length - 1)).map(([f, a, b]) => ({ text: text(f, header, [...cleanRows, cleanRows[a] ?? [], cleanRows[b] ?? []]), format: f, expect: { kind: 'cell-problem', row: rowOf(f, cleanRows.length), column: 'id_number' } as const })),
  // A room or a name longer than any form takes.
  fc.tuple(format, rowIndex, fc.constantFrom<BatchColumn>('room', 'name_zh', 'name', 'guardian_relation'), fc.integer({ min: 21, max: 500 })).map(([f, at, column, length]) => ({
    text: text(f, header, withCell(at, column, '長'.repeat(length))),
    format: f,
    expect: { kind: 'none' } as const,
  })),
);

function rowOf(f: BatchFormat, index: number): number {
  return f === 'csv' ? index + 2 : index + 1;
}

const arbitrary: fc.Arbitrary<Input> = fc.oneof(
  fc.tuple(fc.string({ maxLength: 300 }), format).map(([t, f]) => ({ text: t, format: f, expect: { kind: 'none' } as const })),
  fc.tuple(fc.string({ unit: 'binary', maxLength: 300 }), format).map(([t, f]) => ({ text: t, format: f, expect: { kind: 'none' } as const })),
  fc.jsonValue({ maxDepth: 4 }).map((value) => ({ text: JSON.stringify(value) ?? '', format: 'json' as const, expect: { kind: 'none' } as const })),
  fc.array(fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...batchColumns)), { maxLength: 16 }), { maxLength: 6 }).map((rows) => ({
    text: rows.map((cells) => cells.join(',')).join('\n'),
    format: 'csv' as const,
    expect: { kind: 'none' } as const,
  })),
);

let cleanResult: string | null = null;
const summary = (checked: Awaited<ReturnType<typeof checkBatchFile>>): string => JSON.stringify({ problems: checked.problems, clean: checked.clean });

export const target: FuzzTarget<Input> = {
  name: 'batch-file',
  subject: 'kiosk/controller/batch/check-batch.ts checkBatchFile (parse-batch.ts, validate-batch.ts)',
  input: fc.oneof({ weight: 5, arbitrary: mutations }, { weight: 1, arbitrary }),
  async feed(input) {
    const checked = await checkBatchFile(input.text, input.format, deps);
    const rejected = new Set(checked.rejectedRows);
    for (const problem of checked.problems) {
      if (!batchProblemSchema.safeParse(problem).success) throw new Error(`a problem outside the contract: ${JSON.stringify(problem)}`);
      if (problem.row > 0 && problem.column === null && problem.message.code !== 'batch.row-not-an-object') {
        throw new Error(`a problem on row ${problem.row} that names no column: ${problem.message.code}`);
      }
      if (problem.row > 0 && !rejected.has(problem.row)) throw new Error(`row ${problem.row} has a problem but is not rejected`);
    }
    const ids = new Set<string>();
    for (const { row, application } of checked.clean) {
      if (rejected.has(row)) throw new Error(`row ${row} is both clean and rejected`);
      const fits = batchApplicationSchema.safeParse(application);
      if (!fits.success) throw new Error(`clean row ${row} is an application the contract refuses: ${fits.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`).join(', ')}`);
      const id = checkTaiwanId(application.idNumber);
      if (!id.valid || id.id !== application.idNumber) throw new Error(`clean row ${row} has the invalid ID ${application.idNumber}`);
      if (ids.has(application.idNumber)) throw new Error(`two clean rows for one person (row ${row})`);
      ids.add(application.idNumber);
      const birth = parseIsoDate(application.birthDate);
      const now = parseIsoDate(today);
      if (birth === null || now === null || compareDates(birth, now) > 0) throw new Error(`clean row ${row} has the birth date ${application.birthDate}`);
    }
    const expect = input.expect;
    switch (expect.kind) {
      case 'none':
        return;
      case 'same-as-clean': {
        cleanResult ??= summary(await checkBatchFile(csvText(header, cleanRows), 'csv', deps));
        const here = summary(checked).replace(/"row":(\d+)/g, (_m, n: string) => `"row":${input.format === 'json' ? Number(n) + 1 : n}`);
        if (here !== cleanResult) throw new Error(`line ends, a BOM or the format changed the result: ${here.slice(0, 300)}`);
        return;
      }
      case 'cell-problem':
        if (!checked.problems.some((p) => p.row === expect.row && p.column === expect.column)) {
          throw new Error(`a bad ${expect.column} on row ${expect.row} was not found there: ${JSON.stringify(checked.problems.map((p) => [p.row, p.column, p.message.code]))}`);
        }
        return;
      case 'no-problem-at':
        if (checked.problems.some((p) => p.row === expect.row && p.column === expect.column)) {
          throw new Error(`a good ${expect.column} on row ${expect.row} was refused: ${JSON.stringify(checked.problems.filter((p) => p.row === expect.row))}`);
        }
        return;
      case 'column-missing':
        if (checked.clean.length > 0 || !checked.problems.some((p) => p.message.code === 'batch.column-missing' && p.message.params['column'] === expect.column)) {
          throw new Error(`the file without ${expect.column} was not refused for it`);
        }
    }
  },
};
