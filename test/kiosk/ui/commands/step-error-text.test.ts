import { describe, expect, it } from 'vitest';
import { stepErrorText } from '../../../../kiosk/ui/src/commands/step-error-text';
import { diskFullErrorKind } from '../../../../shared/contract/kiosk-api';
import { locales, messages } from '../../../../shared/i18n/messages';

describe('card step errors in the print queue and on the review', () => {
  it('says a full data disk in the screen\'s language, with the controller\'s words beneath for the technician', () => {
    const diskFull = {
      kind: diskFullErrorKind,
      message: { zh: '本機的資料磁碟已滿', en: "The kiosk's data disk is full (SQLITE_FULL: database or disk is full): free space on it or call a technician" },
      canRetry: true,
    };
    const sentences = new Set<string>();
    for (const locale of locales) {
      const said = stepErrorText(diskFull, locale);
      expect(said, locale).toEqual({ text: messages[locale].issuanceDiskFull, detail: diskFull.message.en });
      expect(said?.text).toMatch(/\S/);
      sentences.add(said?.text ?? '');
    }
    expect(sentences.size).toBe(locales.length);
  });

  it('leaves the other step errors in the controller\'s own two languages', () => {
    expect(stepErrorText({ kind: 'printer_jam', message: { zh: '卡片卡住', en: 'A card is jammed' }, canRetry: true }, 'vi')).toBeNull();
  });
});
