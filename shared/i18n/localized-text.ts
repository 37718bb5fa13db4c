import { assertNever } from '../result';
import type { Locale } from './messages';

/**
 * A text from the controller or the rules: always Traditional Chinese and English; Vietnamese and
 * Indonesian where an applicant reads it (staff-only texts stay in two languages).
 */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
  readonly vi?: string;
  readonly id?: string;
}

/** A text the applicant reads: all four languages, so a missing translation is a compile error. */
export type ApplicantText = Required<Bilingual>;

/** What a screen shows for a text: the main line in its language, Chinese (or English) beneath. */
export interface ShownText {
  readonly main: string;
  readonly beneath: string;
}

/**
 * The one choice of language for controller texts: Chinese over English on a Chinese screen; else the
 * screen's language when the text has it (English when not), with Chinese beneath for the staff.
 */
export function textIn(locale: Locale, text: Bilingual): ShownText {
  switch (locale) {
    case 'zh-TW':
      return { main: text.zh, beneath: text.en };
    case 'en':
      return { main: text.en, beneath: text.zh };
    case 'vi':
      return { main: text.vi ?? text.en, beneath: text.zh };
    case 'id':
      return { main: text.id ?? text.en, beneath: text.zh };
    default:
      return assertNever(locale);
  }
}
