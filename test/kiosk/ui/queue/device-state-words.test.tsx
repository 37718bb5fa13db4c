import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LocaleContext } from '../../../../kiosk/ui/src/i18n';
import { DeviceStateWords } from '../../../../kiosk/ui/src/queue/device-state-words';
import type { DeviceStatusView } from '../../../../shared/contract/kiosk-api';
import { message } from '../../../../shared/contract/messages';
import { textOf } from '../../../../shared/i18n/message-catalogue';
import { textIn } from '../../../../shared/i18n/localized-text';
import { locales, messages } from '../../../../shared/i18n/messages';

/** Issue 16: a printer fault on the device bar, in the same words as the failed job's message (not "OK"). */

const shown = (device: DeviceStatusView, locale: (typeof locales)[number]): string =>
  renderToStaticMarkup(<LocaleContext.Provider value={locale}><DeviceStateWords device={device} /></LocaleContext.Provider>).replace(/<[^>]+>/g, ' ');

describe('what the device bar says of a device', () => {
  it('a fault with words: the job\'s words in each language', () => {
    const jam = message('printer.jam');
    for (const locale of locales) {
      const words = shown({ state: 'fault', simulated: false, detail: '', message: jam }, locale);
      expect(words).toContain(textIn(locale, textOf(jam)).main);
      expect(words).not.toContain(messages[locale].devicestatefault);
    }
  });

  it('otherwise its state', () => {
    expect(shown({ state: 'connected', simulated: false, detail: '' }, 'en').trim()).toBe(messages.en.devicestateconnected);
    expect(shown({ state: 'fault', simulated: false, detail: 'line noise' }, 'en').trim()).toBe(messages.en.devicestatefault);
  });
});
