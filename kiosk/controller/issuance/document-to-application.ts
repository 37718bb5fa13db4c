import type { ApplicationForm, Bilingual } from '../../../shared/contract/kiosk-api';
import { checkTaiwanId, type TaiwanIdResult } from '../../../shared/identity/taiwan-id';
import type { MrzParseResult } from '../../../shared/identity/mrz';

/** A document read by the ID scanner, as the scanner driver reports it. */
export type ScannedDocument =
  | { readonly kind: 'mrz'; readonly mrz: MrzParseResult }
  | { readonly kind: 'taiwan-id'; readonly id: TaiwanIdResult };

export interface DocumentFill {
  readonly fields: Partial<ApplicationForm>;
  /** What the operator must look at: failed check digits, OCR suggestions, an expired document. */
  readonly problems: readonly Bilingual[];
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
        problems: [{ zh: `身分證號碼無效，請核對證件：${id.error.message}`, en: `The ID number is not valid; check the card: ${id.error.message}` }],
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
  const problems: Bilingual[] = [];
  if (!valid) {
    for (const error of errors) {
      problems.push({ zh: `證件機讀區檢查未通過（${error.field ?? '格式'}）：請核對證件`, en: `Machine-readable zone: ${error.message}` });
    }
    for (const suggestion of suggestions) {
      problems.push({ zh: `可能的辨識錯誤：第 ${suggestion.line} 行第 ${suggestion.column} 字「${suggestion.from}」應為「${suggestion.to}」？`, en: suggestion.message });
    }
  }
  if (fields.expiryDate && fields.expiryDate < today) {
    problems.push({ zh: `證件已於 ${fields.expiryDate} 到期`, en: `The document expired on ${fields.expiryDate}` });
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
