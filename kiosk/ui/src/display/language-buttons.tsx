import { localeNames, locales, type Locale } from '../../../../shared/i18n/messages';
import { useT } from '../i18n';

/** What a language button shows where the full names would not fit on one line (200 % zoom, large text). */
const shortNames: Record<Locale, string> = { 'zh-TW': '中文', en: 'EN', vi: 'VI', id: 'ID' };

/** The languages, one line always: the full name, or on a narrow screen the short one (the full name stays the button's name). */
export function LanguageButtons({ locale, onLocale }: { locale: Locale; onLocale: (locale: Locale) => void }) {
  const t = useT();
  return (
    <nav className="languages" aria-label={t('displayLanguages')}>
      {locales.map((code) => (
        <button key={code} type="button" aria-pressed={code === locale} onClick={() => onLocale(code)} lang={code} data-locale={code}>
          {shortNames[code] === localeNames[code] ? (
            localeNames[code]
          ) : (
            <>
              <span className="language-long">{localeNames[code]}</span>
              <span className="language-short" aria-hidden="true">
                {shortNames[code]}
              </span>
            </>
          )}
        </button>
      ))}
    </nav>
  );
}
