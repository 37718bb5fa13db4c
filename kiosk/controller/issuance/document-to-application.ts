import type { ApplicationForm } from '../../../shared/contract/kiosk-api';
import { message, type Message } from '../../../shared/contract/messages';
import { checkTaiwanId, type TaiwanIdResult } from '../../../shared/identity/taiwan-id';
import type { MrzParseResult } from '../../../shared/identity/mrz';

/** A document read by the ID scanner, as the scanner driver reports it. */
export type ScannedDocument =
  | { readonly kind: 'mrz'; readonly mrz: MrzParseResult }
  | { readonly kind: 'taiwan-id'; readonly id: TaiwanIdResult };

export interface DocumentFill {
  readonly fields: Partial<ApplicationForm>;
  /** What the operator must look at: failed check digits, OCR suggestions, an expired document. */
  readonly problems: readonly Message[];
}

/**
 * Turns a scanned document into application fields. A failed check digit is never "corrected":
 * the fields are filled as read and the problem is shown, with any OCR suggestion, for the
 * operator to confirm against the document in hand.
 */
export function documentToApplication(document: ScannedDocument, today: string): DocumentFill {
  if (document.kind === 'taiwan-id') {
    const id = document.id;
    if (!id.valid) {
      return {
        fields: { idNumber: id.id },
        problems: [message('document.id-invalid', { detail: id.error.message })],
      };
    }
    return { fields: { idNumber: id.id, ...(id.sex ? { sex: id.sex } : {}), nationality: 'TWN' }, problems: [] };
  }

  const { fields, errors, suggestions, valid } = document.mrz;
  const residentNumber = [fields.optionalData, fields.optionalData2, fields.documentNumber]
    .map((candidate) => candidate.replace(/</g, '').trim())
    .map((candidate) => checkTaiwanId(candidate))
    .find((result) => result.valid);
  const name = [fields.surname, fields.givenNames].filter(Boolean).join(' ');
  const problems: Message[] = [];
  if (!valid) {
    for (const error of errors) {
      problems.push(message('document.mrz-check-failed', { field: error.field ?? 'format', detail: error.message }));
    }
    for (const suggestion of suggestions) {
      problems.push(message('document.ocr-suggestion', { line: suggestion.line, column: suggestion.column, from: suggestion.from, to: suggestion.to }));
    }
  }
  if (fields.expiryDate && fields.expiryDate < today) {
    problems.push(message('document.expired', { date: fields.expiryDate }));
  }
  return {
    fields: {
      name,
      documentNumber: fields.documentNumber,
      nationality: fields.nationality,
      ...(fields.birthDate ? { birthDate: fields.birthDate } : {}),
      ...(fields.sex ? { sex: fields.sex } : {}),
      ...(residentNumber ? { idNumber: residentNumber.id, residencePermit: true } : {}),
    },
    problems,
  };
}
