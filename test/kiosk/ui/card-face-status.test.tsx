import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LocaleContext } from '../../../kiosk/ui/src/i18n';
import { CardFaceStatus } from '../../../kiosk/ui/src/screens/card-face-status';
import { diskFullErrorKind, type StepErrorView } from '../../../shared/contract/kiosk-api';
import { message } from '../../../shared/contract/messages';
import { renderMessage } from '../../../shared/i18n/message-catalogue';
import { locales, messages, type Locale } from '../../../shared/i18n/messages';

const shown = (locale: Locale, rendering: boolean, error: StepErrorView | null): string =>
  renderToStaticMarkup(<LocaleContext.Provider value={locale}><CardFaceStatus rendering={rendering} error={error} onRetry={() => {}} /></LocaleContext.Provider>).replaceAll('&#x27;', "'");

const renderFailed: StepErrorView = { kind: 'card_face_field_too_long', message: message('step.card-face', { field: 'holderName' }), canRetry: true };

describe("the review's card face status", () => {
  it('says the card face is being made, in every language', () => {
    for (const locale of locales) {
      const html = shown(locale, true, null);
      expect(html).toContain(`role="status" data-testid="rendering">${messages[locale].reviewRendering}</p>`);
      expect(html).not.toContain('role="alert"');
    }
  });

  it('says why the card face was not made, with Retry', () => {
    const html = shown('en', false, renderFailed);
    expect(html).toContain('role="alert" data-error-kind="card_face_field_too_long"');
    expect(html).toContain(messages.en.reviewFaceFailed);
    expect(html).toContain('The card face could not be made (holderName): go back and correct it');
    expect(html).toMatch(new RegExp(`<button type="button" class="primary">${messages.en.retry}</button>`));
    expect(html).not.toContain('data-testid="rendering"');
  });

  it("words a full data disk in the screen's own language, with no card to cancel yet", () => {
    for (const locale of locales) {
      const diskFull = message('step.disk-full', { detail: 'SQLITE_FULL' });
      const html = shown(locale, false, { kind: diskFullErrorKind, message: diskFull, canRetry: true });
      expect(html).toContain(messages[locale].reviewDiskFull);
      expect(html).not.toContain(renderMessage(locale, diskFull));
    }
  });

  it('shows nothing when the face is neither being made nor failed', () => {
    expect(shown('zh-TW', false, null)).toBe('');
  });
});
