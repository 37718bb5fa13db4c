import type { BatchApplication, BatchFormat, BatchProblem } from '../../../shared/contract/batch';
import type { AssessmentDependencies } from '../issuance/assess-application';
import { parseBatch } from './parse-batch';
import { validateBatchRows } from './validate-batch';

/** A batch file read and checked: every problem at once, and the rows that may be imported. */
export interface CheckedBatch {
  readonly rows: number;
  /** Every problem of the file and its rows, in file order. */
  readonly problems: readonly BatchProblem[];
  /** The rows without a problem (none while the file itself has one). */
  readonly clean: readonly { readonly row: number; readonly application: BatchApplication }[];
  /** The rows with a problem, by their number. */
  readonly rejectedRows: readonly number[];
}

export async function checkBatchFile(text: string, format: BatchFormat, deps: AssessmentDependencies): Promise<CheckedBatch> {
  const parsed = parseBatch(text, format);
  const checked = await validateBatchRows(parsed.rows, deps);
  // A column missing from the file is said once, not again as an empty cell on every row.
  const missing = new Set(parsed.fileProblems.filter((problem) => problem.message.code === 'batch.column-missing').map((problem) => problem.column));
  const rowProblems = checked.flatMap((row) => row.problems.filter((problem) => !(problem.message.code === 'batch.value-missing' && missing.has(problem.column))));
  const problems = [...parsed.fileProblems, ...(parsed.rowProblems ?? []), ...rowProblems].sort((a, b) => a.row - b.row);
  // A file problem (a missing column...) makes every row suspect: nothing is clean then.
  const fileIsSound = parsed.fileProblems.length === 0;
  const clean = fileIsSound ? checked.flatMap((row) => (row.application ? [{ row: row.row, application: row.application }] : [])) : [];
  const badRows = new Set(problems.filter((problem) => problem.row > 0).map((problem) => problem.row));
  return { rows: parsed.rows.length, problems, clean, rejectedRows: [...badRows].sort((a, b) => a - b) };
}
