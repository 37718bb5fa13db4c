/**
 * Taiwan identity numbers: the national ID (身分證統一編號), the new resident (ARC/UI) number since 2021 and
 * the old resident number. One checksum for all three (protocols.md, "Taiwan ID numbers").
 */
export type TaiwanIdKind = 'national' | 'resident-new' | 'resident-old';

export interface TaiwanIdValid {
  readonly valid: true;
  /** Normalised: trimmed, upper case. */
  readonly id: string;
  readonly kind: TaiwanIdKind;
  readonly sex: 'M' | 'F' | null;
}

export type TaiwanIdError =
  | { readonly kind: 'length'; readonly expected: 10; readonly actual: number; readonly message: string }
  | { readonly kind: 'pattern'; readonly position: number; readonly message: string }
  | { readonly kind: 'letter'; readonly position: number; readonly letter: string; readonly message: string }
  | {
      readonly kind: 'checksum';
      readonly expectedCheckDigit: number;
      readonly actualCheckDigit: number;
      readonly message: string;
    };

export interface TaiwanIdInvalid {
  readonly valid: false;
  /** The normalised input, so that a UI can show what was checked. */
  readonly id: string;
  readonly kind: TaiwanIdKind | null;
  readonly sex: null;
  readonly error: TaiwanIdError;
}

export type TaiwanIdResult = TaiwanIdValid | TaiwanIdInvalid;

const ID_LENGTH = 10;
const CODE_0 = 48;
const CODE_A = 65;
const CODE_Z = 90;

/** Letter codes A10 … Z33, indexed by letter − 'A' (I, O, W, X, Y, Z are out of order: historic). */
const letterCodes = [10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33];

/**
 * Old resident numbers: the second letter tells sex and origin (A/B: Taiwan area, C/D: others; A/C male,
 * B/D female). Other second letters were never issued.
 */
const oldResidentSex: Readonly<Record<string, 'M' | 'F'>> = { A: 'M', B: 'F', C: 'M', D: 'F' };

export function checkTaiwanId(input: string): TaiwanIdResult {
  const id = normalise(typeof input === 'string' ? input : '');
  if (id.length !== ID_LENGTH) {
    return invalid(id, null, {
      kind: 'length',
      expected: ID_LENGTH,
      actual: id.length,
      message: `length: an ID number has ${ID_LENGTH} characters, got ${id.length}`,
    });
  }
  const first = id.charCodeAt(0);
  if (!isUpper(first)) {
    return invalid(id, null, {
      kind: 'pattern',
      position: 1,
      message: 'pattern: the first character must be a letter A–Z',
    });
  }
  const second = id.charCodeAt(1);
  let kind: TaiwanIdKind;
  if (isUpper(second)) kind = 'resident-old';
  else if (second === CODE_0 + 1 || second === CODE_0 + 2) kind = 'national';
  else if (second === CODE_0 + 8 || second === CODE_0 + 9) kind = 'resident-new';
  else {
    return invalid(id, null, {
      kind: 'pattern',
      position: 2,
      message: 'pattern: the second character must be 1 or 2 (national ID), 8 or 9 (resident), or a letter (old resident number)',
    });
  }
  for (let i = 2; i < ID_LENGTH; i++) {
    if (!isDigit(id.charCodeAt(i))) {
      return invalid(id, kind, {
        kind: 'pattern',
        position: i + 1,
        message: `pattern: character ${i + 1} must be a digit, got '${id[i]}'`,
      });
    }
  }
  const secondLetter = id[1] ?? '';
  const oldSex = kind === 'resident-old' ? oldResidentSex[secondLetter] : undefined;
  if (kind === 'resident-old' && oldSex === undefined) {
    return invalid(id, kind, {
      kind: 'letter',
      position: 2,
      letter: secondLetter,
      message: `letter: the second letter of an old resident number is A, B, C or D, got '${secondLetter}'`,
    });
  }

  const firstCode = letterCodes[first - CODE_A] ?? 0;
  let sum = Math.floor(firstCode / 10) + (firstCode % 10) * 9;
  // The old format's second letter contributes the units digit of its code, in the place of a digit.
  sum += (kind === 'resident-old' ? (letterCodes[second - CODE_A] ?? 0) % 10 : second - CODE_0) * 8;
  for (let i = 2; i < ID_LENGTH - 1; i++) sum += (id.charCodeAt(i) - CODE_0) * (ID_LENGTH - 1 - i);
  const expectedCheckDigit = (10 - (sum % 10)) % 10;
  const actualCheckDigit = id.charCodeAt(ID_LENGTH - 1) - CODE_0;
  if (actualCheckDigit !== expectedCheckDigit) {
    return invalid(id, kind, {
      kind: 'checksum',
      expectedCheckDigit,
      actualCheckDigit,
      message: `checksum: the check digit should be ${expectedCheckDigit}, got ${actualCheckDigit}`,
    });
  }
  const sex = kind === 'resident-old' ? (oldSex ?? null) : second === CODE_0 + 1 || second === CODE_0 + 8 ? 'M' : 'F';
  return { valid: true, id, kind, sex };
}

/** Computes the check digit for the first nine characters of a well-formed number (for fixtures). */
export function taiwanIdCheckDigit(firstNine: string): number | null {
  const result = checkTaiwanId(`${firstNine}0`);
  if (result.valid) return 0;
  return result.error.kind === 'checksum' ? result.error.expectedCheckDigit : null;
}

/** Trims, folds and upper-cases; only when needed, so the common clean input costs no allocation. */
function normalise(input: string): string {
  if (input.length === ID_LENGTH) {
    let clean = true;
    for (let i = 0; i < ID_LENGTH && clean; i++) {
      const c = input.charCodeAt(i);
      clean = isUpper(c) || isDigit(c);
    }
    if (clean) return input;
  }
  // NFKC folds full-width letters and digits (Ａ１２…), which some Chinese input methods type.
  return input.normalize('NFKC').trim().toUpperCase();
}

function invalid(id: string, kind: TaiwanIdKind | null, error: TaiwanIdError): TaiwanIdInvalid {
  return { valid: false, id, kind, sex: null, error };
}

function isUpper(code: number): boolean {
  return code >= CODE_A && code <= CODE_Z;
}

function isDigit(code: number): boolean {
  return code >= CODE_0 && code <= CODE_0 + 9;
}
