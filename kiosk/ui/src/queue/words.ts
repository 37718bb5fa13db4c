import { useContext } from 'react';
import { translate, type Locale, type MessageKey } from '../../../../shared/i18n/messages';
import { LocaleContext } from '../i18n';

/**
 * The words of the progress and done components in a given language: the operator's screen lets them
 * follow its own language; the applicant's screen passes the applicant's (`locale`).
 */
export function useWordsIn(locale?: Locale): { readonly locale: Locale; readonly say: (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string } {
  const screen = useContext(LocaleContext);
  const chosen = locale ?? screen;
  const say = (key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string =>
    Object.entries(params).reduce((text, [name, value]) => text.replaceAll(`{${name}}`, String(value)), translate(chosen, key));
  return { locale: chosen, say };
}
