import type { CalendarDate } from '../domain/calendar-date';

/** ICAO 9303 machine-readable zones: TD1 3×30 (ID cards), TD2 2×36, TD3 2×44 (passports). */
export type MrzFormat = 'TD1' | 'TD2' | 'TD3';

export const mrzLayouts: Readonly<Record<MrzFormat, { readonly lines: number; readonly length: number }>> = {
  TD1: { lines: 3, length: 30 },
  TD2: { lines: 2, length: 36 },
  TD3: { lines: 2, length: 44 },
};

export interface MrzFields {
  /** `P`, `I`, `ID`, `AC`, … (fillers removed). */
  readonly documentCode: string;
  readonly issuingState: string;
  /** Including a TD1/TD2 long number's overflow into the optional data. */
  readonly documentNumber: string;
  /** `YYYY-MM-DD`; null when unknown (`<`) or unreadable. */
  readonly birthDate: string | null;
  /** null for `<` or `X` (unspecified) and for an unreadable character. */
  readonly sex: 'M' | 'F' | null;
  readonly expiryDate: string | null;
  readonly nationality: string;
  readonly surname: string;
  readonly givenNames: string;
  /** TD3 personal number, TD2 optional data, TD1 line 1 optional data (after any number overflow). */
  readonly optionalData: string;
  /** TD1 line 2 optional data; empty for TD2 and TD3. */
  readonly optionalData2: string;
}

/** The fields a check digit protects; `composite` covers most of the zone. */
export type MrzCheckName = 'documentNumber' | 'birthDate' | 'expiryDate' | 'optionalData' | 'composite';

export interface MrzChecks {
  readonly documentNumber: boolean;
  readonly birthDate: boolean;
  readonly expiryDate: boolean;
  /** TD3 only: the personal number has its own check digit. */
  readonly optionalData?: boolean;
  readonly composite: boolean;
}

export type MrzFieldName = keyof MrzFields | MrzCheckName;

/** Lines and columns are 1-based. Columns are ICAO positions, except for a rejected character (as typed). */
export interface MrzError {
  readonly field?: MrzFieldName;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

/** A likely OCR confusion that would make failing checks pass. Never applied: the operator decides. */
export interface MrzSuggestion {
  readonly field: MrzFieldName;
  readonly line: number;
  readonly column: number;
  readonly from: string;
  readonly to: string;
  readonly fixes: readonly MrzCheckName[];
  readonly message: string;
}

export interface MrzParseResult {
  readonly valid: boolean;
  readonly format: MrzFormat | null;
  readonly fields: MrzFields;
  readonly checks: MrzChecks;
  readonly errors: readonly MrzError[];
  readonly suggestions: readonly MrzSuggestion[];
  /** The normalised lines that were parsed (upper case, no spaces). */
  readonly lines: readonly string[];
}

export interface MrzParseOptions {
  /**
   * The day the document is read (from the caller's clock): resolves two-digit years, birth dates into the
   * past and expiry dates into a window around it. Without it, the expiry is taken in 20xx and the birth
   * date as the latest century not after the expiry. A date that lands on a day its century lacks
   * (29 February 1900 or 2100) is an error, not moved to another century.
   */
  readonly referenceDate?: CalendarDate | string;
}

/** What `buildMrz` needs: the parsed fields, with the optional data optional. `MrzFields` fits. */
export type MrzBuildFields = Omit<MrzFields, 'optionalData' | 'optionalData2'> & {
  readonly optionalData?: string;
  readonly optionalData2?: string;
};

export type MrzBuildError =
  | { readonly kind: 'too_long'; readonly field: keyof MrzBuildFields; readonly max: number; readonly actual: number }
  | { readonly kind: 'invalid_character'; readonly field: keyof MrzBuildFields; readonly character: string }
  | { readonly kind: 'invalid_date'; readonly field: 'birthDate' | 'expiryDate'; readonly value: string }
  | { readonly kind: 'empty'; readonly field: keyof MrzBuildFields };
