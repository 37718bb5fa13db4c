import { parseIsoDate } from '../domain/calendar-date';
import { err, ok, type Result } from '../result';
import { mrzCheckDigit, mrzCompositeCheckDigit } from './mrz-check-digit';
import { geometry } from './mrz-layout';
import { mrzLayouts, type MrzBuildError, type MrzBuildFields, type MrzFormat } from './mrz-types';

/**
 * Builds the lines of a valid MRZ with every check digit (for scanner fixtures and round-trip tests).
 * Names are upper-cased, stripped of diacritics, spaces and hyphens become `<`, and a name too long for
 * its field is truncated as ICAO 9303 allows; every other field must fit.
 */
export function buildMrz(fields: MrzBuildFields, format: MrzFormat): Result<readonly string[], MrzBuildError> {
  const g = geometry[format];
  const width = mrzLayouts[format].length;
  const code = codeField(fields.documentCode, 'documentCode', 2, /^[A-Z][A-Z<]?$/, lettersAndFillers);
  if (!code.ok) return code;
  const state = codeField(fields.issuingState, 'issuingState', 3, /^[A-Z<]{1,3}$/, lettersAndFillers);
  if (!state.ok) return state;
  const nationality = codeField(fields.nationality, 'nationality', 3, /^[A-Z<]{1,3}$/, lettersAndFillers);
  if (!nationality.ok) return nationality;
  const maxNumber = format === 'TD3' ? 9 : 9 + (g.optionalEnd - g.optionalStart) - 1;
  const number = codeField(fields.documentNumber, 'documentNumber', maxNumber, /^[A-Z0-9]+$/, alphanumerics);
  if (!number.ok) return number;
  const optional = freeField(fields.optionalData ?? '', 'optionalData');
  if (!optional.ok) return optional;
  const optional2 = freeField(fields.optionalData2 ?? '', 'optionalData2');
  if (!optional2.ok) return optional2;
  const birth = dateField(fields.birthDate, 'birthDate');
  if (!birth.ok) return birth;
  const expiry = dateField(fields.expiryDate, 'expiryDate');
  if (!expiry.ok) return expiry;
  const name = nameField(fields.surname, fields.givenNames, format === 'TD1' ? width : width - 5);
  if (!name.ok) return name;
  const sex = fields.sex ?? '<';
  const numberDigit = String(mrzCheckDigit(number.value));
  const optionalWidth = g.optionalEnd - g.optionalStart;

  // A long number (TD1, TD2): `<` in the check-digit place, the rest + its check digit open the optional data.
  let numberField: string;
  let optionalField: string;
  if (number.value.length > 9) {
    numberField = `${number.value.slice(0, 9)}<`;
    optionalField = number.value.slice(9) + numberDigit + (optional.value === '' ? '' : `<${optional.value}`);
  } else {
    numberField = pad(number.value, 9) + numberDigit;
    optionalField = optional.value;
  }
  if (optionalField.length > optionalWidth) {
    return err({ kind: 'too_long', field: 'optionalData', max: optionalWidth - (optionalField.length - optional.value.length), actual: optional.value.length });
  }
  if (format !== 'TD1' && optional2.value !== '') return err({ kind: 'too_long', field: 'optionalData2', max: 0, actual: optional2.value.length });
  if (optional2.value.length > 11) return err({ kind: 'too_long', field: 'optionalData2', max: 11, actual: optional2.value.length });

  const birthPart = birth.value + String(mrzCheckDigit(birth.value));
  const expiryPart = expiry.value + String(mrzCheckDigit(expiry.value));
  let lines: string[];
  if (format === 'TD1') {
    lines = [
      pad(code.value, 2) + pad(state.value, 3) + numberField + pad(optionalField, 15),
      birthPart + sex + expiryPart + pad(nationality.value, 3) + pad(optional2.value, 11),
      pad(name.value, width),
    ];
  } else {
    const optionalPart = pad(optionalField, optionalWidth);
    const personalDigit = format === 'TD3' ? (optional.value === '' ? '<' : String(mrzCheckDigit(optionalPart))) : '';
    lines = [
      pad(code.value, 2) + pad(state.value, 3) + pad(name.value, width - 5),
      numberField + pad(nationality.value, 3) + birthPart + sex + expiryPart + optionalPart + personalDigit,
    ];
  }
  lines[g.compositeLine] = (lines[g.compositeLine] ?? '') + String(mrzCompositeCheckDigit(lines, g.compositeSegments));
  return ok(lines);
}

type Part = Result<string, MrzBuildError>;

function codeField(value: string, field: keyof MrzBuildFields, max: number, pattern: RegExp, allowed: RegExp): Part {
  const text = value.trim().toUpperCase();
  if (text === '') return err({ kind: 'empty', field });
  if (text.length > max) return err({ kind: 'too_long', field, max, actual: text.length });
  if (!pattern.test(text)) return err({ kind: 'invalid_character', field, character: firstBad(text, allowed) || text.charAt(0) });
  return ok(text);
}

const lettersAndFillers = /[A-Z<]/;
const alphanumerics = /[A-Z0-9]/;

function freeField(value: string, field: keyof MrzBuildFields): Part {
  const text = value.trim().toUpperCase().replace(/ /g, '<');
  if (!/^[A-Z0-9<]*$/.test(text)) return err({ kind: 'invalid_character', field, character: firstBad(text, /[A-Z0-9<]/) });
  return ok(text);
}

function dateField(value: string | null, field: 'birthDate' | 'expiryDate'): Part {
  if (value === null) return ok('<<<<<<');
  const date = parseIsoDate(value);
  if (date === null) return err({ kind: 'invalid_date', field, value });
  return ok(two(date.year % 100) + two(date.month) + two(date.day));
}

function nameField(surname: string, givenNames: string, width: number): Part {
  const primary = namePart(surname, 'surname');
  if (!primary.ok) return primary;
  if (primary.value === '') return err({ kind: 'empty', field: 'surname' });
  const secondary = namePart(givenNames, 'givenNames');
  if (!secondary.ok) return secondary;
  const full = secondary.value === '' ? primary.value : `${primary.value}<<${secondary.value}`;
  return ok(full.slice(0, width));
}

/**
 * Letters that NFKD leaves whole, as ICAO 9303 Part 3 (Table A) transliterates them: Vietnamese Đ above
 * all (Đặng, Đức), and the Latin letters a foreign resident's name may carry.
 */
const transliterations: Readonly<Record<string, string>> = {
  Đ: 'D', Ð: 'D', Ø: 'OE', Æ: 'AE', Œ: 'OE', ß: 'SS', Þ: 'TH', Ł: 'L', Ħ: 'H', Ŧ: 'T', Ŋ: 'N', Ŀ: 'L', ı: 'I', ĸ: 'K',
};
const untransliterated = new RegExp(`[${Object.keys(transliterations).join('')}]`, 'giu');

function namePart(value: string, field: 'surname' | 'givenNames'): Part {
  const text = value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(untransliterated, (char) => transliterations[char] ?? transliterations[char.toUpperCase()] ?? char)
    .toUpperCase()
    .replace(/['’]/g, '')
    .trim()
    .replace(/[\s\-,]+/g, '<');
  if (!/^[A-Z<]*$/.test(text)) return err({ kind: 'invalid_character', field, character: firstBad(text, /[A-Z<]/) });
  return ok(text);
}

function firstBad(text: string, allowed: RegExp): string {
  for (const char of text) if (!allowed.test(char)) return char;
  return '';
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + '<'.repeat(width - text.length);
}

function two(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
