/** ICAO 9303 machine-readable zones: parse (exact, explained, never throws) and build (for fixtures). */
export { MAX_VALIDITY_YEARS, parseMrz } from './mrz-parse';
export { buildMrz } from './mrz-build';
export { mrzCheckDigit } from './mrz-check-digit';
export { mrzLayouts } from './mrz-types';
export type {
  MrzBuildError,
  MrzBuildFields,
  MrzCheckName,
  MrzChecks,
  MrzError,
  MrzFieldName,
  MrzFields,
  MrzFormat,
  MrzParseOptions,
  MrzParseResult,
  MrzSuggestion,
} from './mrz-types';
