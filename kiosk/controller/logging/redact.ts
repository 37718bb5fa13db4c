/**
 * Redaction of personal data on its way to a log line or an audit row. Callers must not put personal
 * data in events at all; this is the safety net. It recognises:
 * - fields known to hold personal data, by name (name, birthDate, idNumber, address, ...);
 * - Taiwan ID / resident numbers anywhere in a string (also with lower-case letters);
 * - MRZ-looking text (runs of A-Z, 0-9 and '<' with a '<<' filler);
 * - calendar dates (a birth date looks like any date; timestamps with a time stay);
 * - Taiwan mobile numbers and any Han characters (log text is English, so Han text is a name or an address).
 * A Latin-script name in free text is NOT recognisable: pass names only as known fields, or not at all.
 */
export const redactedMark = '[redacted]';

const personalFieldNames = new Set(
  [
    'name', 'nameZh', 'fullName', 'firstName', 'lastName', 'givenName', 'givenNames', 'surname', 'familyName',
    'applicantName', 'holderName', 'operatorName', 'birthDate', 'dateOfBirth', 'dob', 'birthday', 'idNumber',
    'nationalId', 'documentNumber', 'passportNumber', 'arcNumber', 'address', 'phone', 'mobile', 'email',
    'photo', 'photoJpeg', 'mrz', 'pin', 'sex', 'nationality',
  ].map((field) => field.toLowerCase()),
);

// ID numbers: A123456789 (national), A812345678 (new resident), AB12345678 (old resident).
const idNumberPattern = /(?<![A-Za-z0-9])(?:[A-Za-z][1289]\d{8}|[A-Za-z]{2}\d{8})(?![A-Za-z0-9])/g;
const mrzPattern = /[A-Z0-9<]*<<[A-Z0-9<]*/g;
const datePattern = /(?<![\d-])(?:19|20)\d{2}([-/.])(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12]\d|3[01])(?![\dT])/g;
const mobilePattern = /(?<!\d)09\d{2}-?\d{3}-?\d{3}(?!\d)/g;
const hanPattern = /[\p{Script=Han}\p{Script=Bopomofo}]+/gu;

export function isPersonalField(field: string): boolean {
  return personalFieldNames.has(field.toLowerCase());
}

export function redactText(text: string): string {
  return text
    .replace(idNumberPattern, redactedMark)
    .replace(mrzPattern, (match) => (match.length >= 8 ? redactedMark : match))
    .replace(datePattern, redactedMark)
    .replace(mobilePattern, redactedMark)
    .replace(hanPattern, redactedMark);
}

export type Primitive = string | number | boolean | null | undefined;

/** Redacts one field's value: the whole value when the field is known to be personal, patterns otherwise. */
export function redactField(field: string, value: unknown): Primitive {
  if (value === undefined || value === null) return value;
  if (isPersonalField(field)) return redactedMark;
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  // Objects are not allowed in events; flatten them to redacted JSON rather than drop them.
  return JSON.stringify(redactDeep(value)) ?? '';
}

function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return redactedMark;
  if (Array.isArray(value)) return value.map(redactDeep);
  return Object.fromEntries(
    Object.entries(value).map(([field, inner]) => [field, isPersonalField(field) ? redactedMark : redactDeep(inner)]),
  );
}

export function redactRecord(record: Readonly<Record<string, unknown>>): Record<string, Primitive> {
  const out: Record<string, Primitive> = {};
  for (const [field, value] of Object.entries(record)) out[field] = redactField(field, value);
  return out;
}
