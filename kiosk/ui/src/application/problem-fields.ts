import type { ApplicationForm, Message } from '../../../../shared/contract/kiosk-api';

/** Where on the application screen a problem is shown: at a form field, or only in the summary at the top. */
export type ProblemField = keyof ApplicationForm | null;

/** Each application and document problem code, and the field it is about (the controller sends codes, not fields). */
const fieldOfCode: Readonly<Record<string, ProblemField>> = {
  'application.enter-id': 'idNumber',
  'application.id-wrong': 'idNumber',
  'application.enter-name': 'name',
  'application.enter-birth-date': 'birthDate',
  'application.birth-date-future': 'birthDate',
  'application.choose-card-type': 'cardType',
  'application.not-eligible': 'cardType',
  'application.card-type-not-available': 'cardType',
  'application.own-card-in-printer': 'cardType',
  'application.own-card-in-output': 'cardType',
  'application.guardian-consent': 'guardianConsent',
  'document.id-invalid': 'idNumber',
  'document.expired': 'documentNumber',
};

/** A failed MRZ check digit names its field: the ones the form shows. */
const mrzFields: Readonly<Record<string, ProblemField>> = {
  birthDate: 'birthDate',
  documentNumber: 'documentNumber',
  optionalData: 'idNumber',
  sex: 'sex',
  nationality: 'nationality',
};

export function problemField(problem: Message): ProblemField {
  if (problem.code === 'document.mrz-check-failed') return mrzFields[String(problem.params['field'])] ?? null;
  return fieldOfCode[problem.code] ?? null;
}

/** The problems grouped by field, and those that belong to no field (the summary shows them whole). */
export function problemsByField(problems: readonly Message[]): { readonly at: ReadonlyMap<keyof ApplicationForm, Message[]>; readonly general: Message[] } {
  const at = new Map<keyof ApplicationForm, Message[]>();
  const general: Message[] = [];
  for (const problem of problems) {
    const field = problemField(problem);
    if (field === null) general.push(problem);
    else at.set(field, [...(at.get(field) ?? []), problem]);
  }
  return { at, general };
}
