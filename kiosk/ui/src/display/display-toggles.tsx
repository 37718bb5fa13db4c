import { useT } from '../i18n';
import type { DisplayState } from './use-display';

/** The two display switches on the header, on every screen. */
export function DisplayToggles({ display }: { display: DisplayState }) {
  const t = useT();
  return (
    <div className="display-toggles" role="group" aria-label={t('displayOptions')}>
      <button type="button" aria-pressed={display.largeText} onClick={display.toggleLargeText} data-action="large-text">
        {t('displayLargeText')}
      </button>
      <button type="button" aria-pressed={display.highContrast} onClick={display.toggleHighContrast} data-action="high-contrast">
        {t('displayHighContrast')}
      </button>
    </div>
  );
}
