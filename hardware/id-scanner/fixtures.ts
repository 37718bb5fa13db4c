import { buildMrz } from '../../shared/identity/mrz';
import type { MrzBuildFields, MrzFormat } from '../../shared/identity/mrz-types';

/**
 * Documents for the simulated scanner: every person here is invented, and every MRZ is built by the
 * identity module's `buildMrz`, so the intact ones carry correct check digits and the damaged ones are
 * damaged on purpose (one character changed or cut after building).
 *
 * Feed them with `simulator.feed(fixtureDocuments.passportVietnam)`.
 */
export interface MrzFixture {
  readonly kind: 'mrz';
  readonly description: string;
  readonly format: MrzFormat;
  readonly lines: readonly string[];
  /** Whether the identity module should accept the zone (all check digits right, nothing cut). */
  readonly valid: boolean;
}

export interface TaiwanIdFixture {
  readonly kind: 'taiwan-id';
  readonly description: string;
  /** What the 1-D barcode on the back of the card encodes: the 10-character ID number. */
  readonly id: string;
  readonly valid: boolean;
}

export type FixtureDocument = MrzFixture | TaiwanIdFixture;

function built(description: string, format: MrzFormat, fields: MrzBuildFields): MrzFixture {
  const result = buildMrz(fields, format);
  if (!result.ok) throw new Error(`fixture "${description}" does not build: ${JSON.stringify(result.error)}`);
  return { kind: 'mrz', description, format, lines: result.value, valid: true };
}

/** Replaces one character (1-based line and column) and marks the fixture invalid. */
function damaged(base: MrzFixture, description: string, line: number, column: number, to: string): MrzFixture {
  const lines = base.lines.map((text, index) => (index === line - 1 ? text.slice(0, column - 1) + to + text.slice(column) : text));
  return { ...base, description, lines, valid: false };
}

const passportTaiwan = built('Taiwan (ROC) passport, TD3', 'TD3', {
  documentCode: 'P',
  issuingState: 'TWN',
  documentNumber: '350123456',
  birthDate: '1988-04-12',
  sex: 'F',
  expiryDate: '2032-09-30',
  nationality: 'TWN',
  surname: 'LIN',
  givenNames: 'MEI HUA',
  optionalData: 'A223456781',
});

/** New-immigrant spouses: the two most common passports at a Taoyuan counter. */
const passportVietnam = built('Vietnamese passport of a new-immigrant spouse, TD3', 'TD3', {
  documentCode: 'P',
  issuingState: 'VNM',
  documentNumber: 'C4821973',
  birthDate: '1994-11-03',
  sex: 'F',
  expiryDate: '2031-06-17',
  nationality: 'VNM',
  surname: 'NGUYEN',
  givenNames: 'THI THU HUONG',
  optionalData: '079194012345',
});

const passportIndonesia = built('Indonesian passport of a new-immigrant spouse, TD3 (single name)', 'TD3', {
  documentCode: 'P',
  issuingState: 'IDN',
  documentNumber: 'X2047185',
  birthDate: '1991-02-28',
  sex: 'F',
  expiryDate: '2029-12-01',
  nationality: 'IDN',
  surname: 'SRI WAHYUNI',
  givenNames: '',
});

/**
 * A Taiwan resident permit (居留證) as a TD1 card, its holder's new-format resident number (valid checksum)
 * in the optional data. The document code is illustrative: we have no specimen of the real card's MRZ.
 */
const residentPermitTaiwan = built('Taiwan resident permit (ARC), TD1, resident number in the optional data', 'TD1', {
  documentCode: 'IR',
  issuingState: 'TWN',
  documentNumber: 'RA1234567',
  optionalData: 'H900001234',
  birthDate: '1994-11-03',
  sex: 'F',
  expiryDate: '2028-05-20',
  nationality: 'VNM',
  surname: 'NGUYEN',
  givenNames: 'THI THU HUONG',
});

const residentPermitMale = built('Taiwan resident permit (ARC), TD1, male holder', 'TD1', {
  documentCode: 'IR',
  issuingState: 'TWN',
  documentNumber: 'RB7654321',
  optionalData: 'A800000014',
  birthDate: '1985-07-19',
  sex: 'M',
  expiryDate: '2027-03-04',
  nationality: 'IDN',
  surname: 'SANTOSO',
  givenNames: 'BUDI',
});

const idCardTd2 = built('a TD2 identity card (ICAO specimen state)', 'TD2', {
  documentCode: 'I',
  issuingState: 'UTO',
  documentNumber: 'D23145890',
  birthDate: '1974-08-12',
  sex: 'F',
  expiryDate: '2032-04-15',
  nationality: 'UTO',
  surname: 'ERIKSSON',
  givenNames: 'ANNA MARIA',
});

export const fixtureDocuments = {
  passportTaiwan,
  passportVietnam,
  passportIndonesia,
  residentPermitTaiwan,
  residentPermitMale,
  idCardTd2,

  /** Document number check digit (line 2, column 10) off by one. */
  passportWrongCheckDigit: damaged(
    passportVietnam,
    'Vietnamese passport, document-number check digit wrong',
    2,
    10,
    String((Number(passportVietnam.lines[1]?.[9] ?? '0') + 1) % 10),
  ),
  /** The OCR read a `0` of the document number (line 2, column 3) as the letter `O`. */
  passportOcrConfusion: damaged(passportTaiwan, 'Taiwan passport, OCR read a 0 in the document number as the letter O', 2, 3, 'O'),
  /** The reader lost the end of line 2 (document moved while reading). */
  passportTruncated: {
    ...passportIndonesia,
    description: 'Indonesian passport, line 2 cut after 31 characters',
    lines: [passportIndonesia.lines[0] ?? '', (passportIndonesia.lines[1] ?? '').slice(0, 31)],
    valid: false,
  } satisfies MrzFixture,
  /** Birth-date check digit (line 2, column 7) off by one. */
  residentPermitWrongCheckDigit: damaged(
    residentPermitTaiwan,
    'resident permit, birth-date check digit wrong',
    2,
    7,
    String((Number(residentPermitTaiwan.lines[1]?.[6] ?? '0') + 1) % 10),
  ),

  taiwanIdMale: { kind: 'taiwan-id', description: 'Taiwan ID card barcode, male', id: 'A123456789', valid: true },
  taiwanIdFemale: { kind: 'taiwan-id', description: 'Taiwan ID card barcode, female', id: 'B223456782', valid: true },
  taiwanIdBadChecksum: { kind: 'taiwan-id', description: 'Taiwan ID card barcode, checksum wrong', id: 'A123456788', valid: false },
} as const satisfies Record<string, FixtureDocument>;

export type FixtureName = keyof typeof fixtureDocuments;
