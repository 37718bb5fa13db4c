import { useT } from '../i18n';
import type { DisplayState } from './use-display';

/**
 * The two display switches on the header, on every screen. Each carries its words and an icon: staff
 * see the words; the unattended header shows the icon alone (its words, still the button's name and
 * tooltip, are kept for screen readers), as the speech buttons beside it do — with the languages and
 * Repeat and Mute, worded switches would wrap the citizen's header to a second row in en, vi and id.
 */
export function DisplayToggles({ display }: { display: DisplayState }) {
  const t = useT();
  return (
    <div className="display-toggles" role="group" aria-label={t('displayOptions')}>
      <button type="button" aria-pressed={display.largeText} onClick={display.toggleLargeText} data-action="large-text" title={t('displayLargeText')}>
        <LargeTextIcon />
        <span className="toggle-words">{t('displayLargeText')}</span>
      </button>
      <button type="button" aria-pressed={display.highContrast} onClick={display.toggleHighContrast} data-action="high-contrast" title={t('displayHighContrast')}>
        <HighContrastIcon />
        <span className="toggle-words">{t('displayHighContrast')}</span>
      </button>
    </div>
  );
}

/** A small A and a big A: "bigger letters". */
function LargeTextIcon() {
  return (
    <svg className="toggle-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
      <path d="M1.5 20l3.5-9.5L8.5 20M2.8 16.6h4.4" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M10.5 21L16 4l5.5 17M12.6 15h6.8" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** A circle half dark, half light: "stronger contrast". */
function HighContrastIcon() {
  return (
    <svg className="toggle-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" strokeWidth="2.2" />
      <path d="M12 3a9 9 0 0 1 0 18z" fill="currentColor" />
    </svg>
  );
}
