import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LocaleContext } from '../../../../kiosk/ui/src/i18n';
import { failingChecks } from '../../../../kiosk/ui/src/photo/failing-checks';
import { PhotoChecks } from '../../../../kiosk/ui/src/photo/photo-checks';
import type { PhotoCheckView } from '../../../../shared/contract/kiosk-api';
import { message, type MessageCode } from '../../../../shared/contract/messages';
import { locales, messages, type Locale } from '../../../../shared/i18n/messages';

const failed = (id: string, code: MessageCode): PhotoCheckView => ({ id, passed: false, value: null, threshold: '', message: message(code as 'photo.no-face') });
const passed = (id: string): PhotoCheckView => ({ id, passed: true, value: 1, threshold: '', message: message('photo.passed.one-face') });
const measuring = ['head-height', 'centred', 'frontal', 'eyes-open', 'brightness', 'contrast', 'sharpness', 'background'];

/** The gate's verdict on a frame without a face: the face check fails, every other one is not measured. */
const noFace: PhotoCheckView[] = [failed('one-face', 'photo.no-face'), ...measuring.map((id) => failed(id, 'photo.not-measured'))];

const shown = (locale: Locale, checks: readonly PhotoCheckView[]): string =>
  renderToStaticMarkup(<LocaleContext.Provider value={locale}><PhotoChecks checks={checks} /></LocaleContext.Provider>).replaceAll('&#x27;', "'");

describe('the failed photo checks', () => {
  it('lists a frame without a face once, not once per unmeasured check, with its advice', () => {
    expect(failingChecks(noFace).map(({ check, advice }) => [check.message.code, advice])).toEqual([['photo.no-face', 'photoAdviceNoFace']]);
    const html = shown('en', noFace);
    expect(html.match(/<li /g)).toHaveLength(1);
    expect(html).toContain(messages.en.photoAdviceNoFace);
    expect(html).not.toContain('Needs one face first');
  });

  it('puts the most important first: face, head size and position, pose, eyes, sharpness, light', () => {
    const checks = [
      failed('brightness', 'photo.too-dark'),
      failed('sharpness', 'photo.blurred'),
      passed('one-face'),
      failed('eyes-open', 'photo.open-eyes'),
      failed('frontal', 'photo.face-camera'),
      failed('centred', 'photo.move-up'),
      failed('head-height', 'photo.come-closer'),
      failed('background', 'photo.busy-background'),
    ];
    expect(failingChecks(checks).map(({ check }) => check.id)).toEqual(['head-height', 'centred', 'frontal', 'eyes-open', 'sharpness', 'brightness', 'background']);
    // Each message once, even when two checks send it.
    expect(failingChecks([failed('frontal', 'photo.face-camera'), failed('frontal', 'photo.face-camera')])).toHaveLength(1);
  });

  it('is a list inside the alert (a list with role=alert loses its items), worded in every language', () => {
    for (const locale of locales) {
      const html = shown(locale, [failed('head-height', 'photo.come-closer')]);
      expect(html).toMatch(/^<div class="photo-checks" role="alert"[^>]*><h3>[^<]+<\/h3><ol><li /);
      expect(html).toContain(messages[locale].photoAdviceComeCloser);
    }
    expect(shown('en', [passed('one-face')])).toBe('');
  });
});
