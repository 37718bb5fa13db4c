import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DeviceBar } from '../../../../kiosk/ui/src/app';
import { LocaleContext } from '../../../../kiosk/ui/src/i18n';
import type { KioskSnapshot } from '../../../../shared/contract/kiosk-api';
import { message } from '../../../../shared/contract/messages';
import { textOf } from '../../../../shared/i18n/message-catalogue';
import { locales, messages } from '../../../../shared/i18n/messages';
import { textIn } from '../../../../shared/i18n/localized-text';

/** Issue 16: a printer fault on the device bar, in the same words as the failed job's message. */

const ok = { state: 'connected', simulated: false, detail: '' } as const;
const devices = (printer: KioskSnapshot['devices']['printer']): KioskSnapshot['devices'] => ({ printer, scanner: ok, nfc: ok, board: ok });
const printerOf = (html: string): string => (html.match(/data-device="printer"[^>]*>(.*?)<\/span><span class="device/)?.[1] ?? '').replace(/<[^>]+>/g, '');

describe('the device bar', () => {
  it('says the printer\'s fault in the job\'s words, in each language, and marks the bar faulty', () => {
    const jam = message('printer.jam');
    for (const locale of locales) {
      const html = renderToStaticMarkup(<LocaleContext.Provider value={locale}><DeviceBar devices={devices({ state: 'fault', simulated: false, detail: '', message: jam })} devLink={false} /></LocaleContext.Provider>);
      expect(html).toContain('data-fault="true"');
      expect(printerOf(html)).toContain(textIn(locale, textOf(jam)).main);
      expect(printerOf(html)).not.toContain(messages[locale].devicestateconnected);
    }
  });

  it('says OK and is not faulty when nothing is wrong', () => {
    const html = renderToStaticMarkup(<LocaleContext.Provider value="en"><DeviceBar devices={devices(ok)} devLink={false} /></LocaleContext.Provider>);
    expect(html).not.toContain('data-fault');
    expect(printerOf(html)).toContain(`${messages.en.deviceprinter}: ${messages.en.devicestateconnected}`);
  });
});
