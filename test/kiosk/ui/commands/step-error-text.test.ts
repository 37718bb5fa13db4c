import { describe, expect, it } from 'vitest';
import { stepErrorText } from '../../../../kiosk/ui/src/commands/step-error-text';
import { diskFullErrorKind } from '../../../../shared/contract/kiosk-api';
import { message } from '../../../../shared/contract/messages';
import { renderMessage } from '../../../../shared/i18n/message-catalogue';
import { locales, messages } from '../../../../shared/i18n/messages';

describe('card step errors in the print queue and on the review', () => {
  const detail = 'SQLITE_FULL: database or disk is full';
  const diskFull = { kind: diskFullErrorKind, message: message('step.disk-full', { detail }), canRetry: true };

  it('says on the review that no card was made, in the screen\'s language, with the controller\'s detail beneath', () => {
    const sentences = new Set<string>();
    for (const locale of locales) {
      const said = stepErrorText(diskFull, locale, 'review');
      expect(said, locale).toEqual({ text: messages[locale].reviewDiskFull, detail });
      sentences.add(said?.text ?? '');
    }
    expect(sentences.size).toBe(locales.length);
  });

  it('leaves a card job\'s full disk to the message catalogue, which names the reject box and the detail', () => {
    expect(stepErrorText(diskFull, 'vi')).toBeNull();
    for (const locale of locales) expect(renderMessage(locale, diskFull.message), locale).toContain(detail);
    expect(renderMessage('en', diskFull.message)).toMatch(/Cancel card sends a card already made to the reject box/);
  });

  it('leaves the other step errors to the message catalogue', () => {
    expect(stepErrorText({ kind: 'printer_jam', message: message('printer.jam'), canRetry: true }, 'vi', 'review')).toBeNull();
  });
});
