import { localeNames, locales, type Locale } from '../../../../shared/i18n/messages';
import { useT } from '../i18n';

/**
 * The applicant's language, on either window: large buttons on the applicant's, each name in its own
 * language so anybody finds theirs; on the operator's, who may set it for them, one compact list (not a
 * second row of language buttons beside the header's, which set the operator's own screen).
 */
export function ApplicantLanguageChoice({ language, onChoose, large = false }: { language: Locale; onChoose: (language: Locale) => void; large?: boolean }) {
  const t = useT();
  if (!large) {
    return (
      <div className="applicant-languages" data-testid="operator-applicant-language">
        <label>
          <span className="applicant-languages-label">{t('applicantLanguageOnOperator')}</span>
          <select value={language} data-language={language} onChange={(event) => onChoose(event.target.value as Locale)}>
            {locales.map((code) => (
              <option key={code} value={code} lang={code}>{localeNames[code]}</option>
            ))}
          </select>
        </label>
      </div>
    );
  }
  return (
    <nav className="applicant-languages large" aria-label={t('applicantLanguage')} data-testid="applicant-languages">
      <span className="applicant-languages-label">{t('applicantLanguage')}</span>
      {locales.map((code) => (
        <button key={code} type="button" lang={code} aria-pressed={code === language} data-language={code} onClick={() => onChoose(code)}>
          {localeNames[code]}
        </button>
      ))}
    </nav>
  );
}
