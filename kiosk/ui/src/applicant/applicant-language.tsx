import { localeNames, locales, type Locale } from '../../../../shared/i18n/messages';
import { useT } from '../i18n';

/**
 * The applicant's language, on either window: large on the applicant's, a compact row on the
 * operator's (who may set it for them). Each name in its own language, so anybody finds theirs.
 */
export function ApplicantLanguageChoice({ language, onChoose, large = false }: { language: Locale; onChoose: (language: Locale) => void; large?: boolean }) {
  const t = useT();
  return (
    <nav className={large ? 'applicant-languages large' : 'applicant-languages'} aria-label={large ? t('applicantLanguage') : t('applicantLanguageOnOperator')} data-testid={large ? 'applicant-languages' : 'operator-applicant-language'}>
      <span className="applicant-languages-label">{large ? t('applicantLanguage') : t('applicantLanguageOnOperator')}</span>
      {locales.map((code) => (
        <button key={code} type="button" lang={code} aria-pressed={code === language} data-language={code} onClick={() => onChoose(code)}>
          {localeNames[code]}
        </button>
      ))}
    </nav>
  );
}
