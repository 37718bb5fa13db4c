import { batchCellMaxLength, type BatchApplication, type BatchColumn, type BatchProblem } from '../../../shared/contract/batch';
import { emptyApplicationForm, taoyuanDistricts, type ApplicationForm } from '../../../shared/contract/kiosk-api';
import { message, type Message, type MessageCode } from '../../../shared/contract/messages';
import { cardTypes } from '../../../shared/domain/card-types';
import { replacementCauses } from '../../../shared/domain/rules';
import { readCardType, readCause, readCertificate, readDate, readDistrict, readScheme, readYesNo } from '../../../shared/contract/batch-cells';
import { checkTaiwanId } from '../../../shared/identity/taiwan-id';
import { assessApplication, type AssessmentDependencies } from '../issuance/assess-application';
import { normalizeIdNumber } from '../store/context';
import type { RawBatchRow } from './parse-batch';

/**
 * Checks every row of a batch with the counter's own rules: the row becomes the application form an
 * operator would have typed, and `assessApplication` (ID checksum, eligibility with its reasons, the
 * person's cards in the store) judges it. On top: the file's own cells (values from the README's lists,
 * dates), the same person twice, and the replacement cause a counter operator is asked for when the
 * person already holds a card of the type. A row is clean or it is not: never half a row.
 */
export interface CheckedRow {
  readonly row: number;
  /** The application to import; null when the row has a problem (it is then not imported). */
  readonly application: BatchApplication | null;
  readonly problems: readonly BatchProblem[];
}

export async function validateBatchRows(rows: readonly RawBatchRow[], deps: AssessmentDependencies): Promise<CheckedRow[]> {
  const firstRowOf = new Map<string, number>();
  const checked: CheckedRow[] = [];
  // One row at a time: each asks the store for the person's cards.
  for (const raw of rows) checked.push(await validateRow(raw, deps, firstRowOf));
  return checked;
}

async function validateRow(raw: RawBatchRow, deps: AssessmentDependencies, firstRowOf: Map<string, number>): Promise<CheckedRow> {
  const problems: BatchProblem[] = [];
  const problem = (column: BatchColumn | null, said: Message, reasons: readonly BatchProblem['reasons'][number][] = []): void => {
    problems.push({ row: raw.row, column, message: said, reasons: reasons.map((reason) => ({ ...reason })) });
  };
  const { cells } = raw;

  const cell = <T>(column: BatchColumn, read: (text: string) => T | undefined, allowed: string, required: boolean): T | undefined => {
    const text = cells[column];
    if (text === '') {
      if (required) problem(column, message('batch.value-missing', { column }));
      return undefined;
    }
    const value = read(text);
    if (value === undefined) problem(column, message('batch.value-not-allowed', { value: text, allowed }));
    return value;
  };

  if (cells.room === '') problem('room', message('batch.value-missing', { column: 'room' }));
  // A cell longer than the counter's form takes would make a row that, once picked, no screen can show.
  for (const [column, max] of Object.entries(batchCellMaxLength) as [BatchColumn, number][]) {
    if (cells[column].length > max) problem(column, message('batch.value-too-long', { column, max }));
  }
  const district = cell('district', readDistrict, `${taoyuanDistricts.join(' ')} none`, true);
  const cardType = cell('card_type', readCardType, cardTypes.join(' / '), true);
  const scheme = cell('scheme', readScheme, 'easycard / ipass', true);
  const cause = cell('replacement_cause', readCause, replacementCauses.join(' / '), false);
  const certificate = cell('disability_certificate', readCertificate, 'none / yes / yes-companion', false) ?? 'none';
  const indigenous = cell('indigenous', readYesNo, 'yes / no', false) ?? false;
  const bedridden = cell('bedridden', readYesNo, 'yes / no', false) ?? false;
  let birthDate: string | undefined;
  if (cells.birth_date === '') problem('birth_date', message('batch.value-missing', { column: 'birth_date' }));
  else {
    birthDate = readDate(cells.birth_date);
    if (birthDate === undefined) problem('birth_date', message('batch.date-invalid', { value: cells.birth_date }));
  }
  const guardian = readGuardian(cells, problem);

  const id = checkTaiwanId(cells.id_number);
  if (id.valid) {
    const key = normalizeIdNumber(id.id);
    const first = firstRowOf.get(key);
    if (first !== undefined) problem('id_number', message('batch.duplicate-row', { firstRow: first }));
    else firstRowOf.set(key, raw.row);
  }

  // The counter's rules, on the form the operator would have filled in from this row.
  const form: ApplicationForm = {
    ...emptyApplicationForm,
    idNumber: cells.id_number,
    name: cells.name,
    nameZh: cells.name_zh,
    birthDate: birthDate ?? '',
    sex: id.valid ? (id.sex ?? '') : '',
    nationality: id.valid && id.kind === 'national' ? 'TWN' : '',
    district: district ?? '',
    indigenous,
    disabilityCertificate: certificate,
    guardianConsent: guardian !== null,
    cardType: cardType ?? '',
    scheme: scheme ?? 'easycard',
    replacementCause: cause ?? 'lost',
  };
  const flagged = new Set(problems.map((p) => p.column));
  const assessment = await assessApplication(form, deps);
  for (const said of assessment.problems) {
    const column = columnOfCounterProblem(said.code);
    if (flagged.has(column)) continue; // the cell's own problem already says it
    const chosen = column === 'card_type' && cardType ? assessment.eligibility?.cards.find((card) => card.type === cardType) : undefined;
    problem(column, said, chosen?.reasons ?? []);
  }
  const replacement = assessment.action === 'replacement';
  if (replacement && cause === undefined && !flagged.has('replacement_cause')) problem('replacement_cause', message('batch.replacement-cause-missing'));

  if (problems.length > 0 || !id.valid || !cardType || !scheme || birthDate === undefined) return { row: raw.row, application: null, problems };
  return {
    row: raw.row,
    problems,
    application: {
      room: cells.room,
      nameZh: cells.name_zh,
      name: cells.name,
      idNumber: id.id,
      birthDate,
      sex: id.sex ?? '',
      district: district ?? '',
      cardType,
      scheme,
      replacementCause: replacement ? (cause ?? null) : null,
      disabilityCertificate: certificate,
      indigenous,
      bedridden,
      guardian,
    },
  };
}

/** Which column a counter problem is about, so that the list points at the cell to fix. */
function columnOfCounterProblem(code: MessageCode): BatchColumn | null {
  switch (code) {
    case 'application.enter-id':
    case 'application.id-wrong':
    case 'application.own-card-in-printer':
    case 'application.own-card-in-output':
      return 'id_number';
    case 'application.enter-name':
      return 'name_zh';
    case 'application.enter-birth-date':
    case 'application.birth-date-future':
      return 'birth_date';
    case 'application.choose-card-type':
    case 'application.not-eligible':
    case 'application.card-type-not-available':
      return 'card_type';
    case 'application.guardian-consent':
      return 'guardian_name';
    default:
      return null;
  }
}

function readGuardian(
  cells: RawBatchRow['cells'],
  problem: (column: BatchColumn | null, said: Message) => void,
): BatchApplication['guardian'] {
  const name = cells.guardian_name;
  const idNumber = cells.guardian_id_number;
  if (name === '' && idNumber === '') return null;
  if (name === '' || idNumber === '') {
    problem(name === '' ? 'guardian_name' : 'guardian_id_number', message('batch.guardian-incomplete'));
    return null;
  }
  const id = checkTaiwanId(idNumber);
  if (!id.valid) {
    problem('guardian_id_number', message('batch.guardian-id-wrong', { detail: id.error.message }));
    return null;
  }
  return { name, idNumber: id.id, relation: cells.guardian_relation };
}
