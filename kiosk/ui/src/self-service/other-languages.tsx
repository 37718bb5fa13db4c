import { locales, translate } from '../../../../shared/i18n/messages';
import { useT } from '../i18n';
import { fill } from './words';

/** The same words, smaller, in the three other languages: for whoever cannot read the first. */
export function OtherLanguages({ messageKey, values = {} }: { messageKey: string; values?: Readonly<Record<string, string | number>> }) {
  const t = useT();
  return (
    <ul className="other-languages" aria-hidden="true">
      {locales.filter((locale) => locale !== t.locale).map((locale) => (
        <li key={locale} lang={locale}>{fill(translate(locale, messageKey), values)}</li>
      ))}
    </ul>
  );
}
