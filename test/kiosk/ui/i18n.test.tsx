import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BilingualText, LocaleContext, MessageText } from '../../../kiosk/ui/src/i18n';
import { message, type Bilingual, type Message } from '../../../shared/contract/kiosk-api';
import type { Locale } from '../../../shared/i18n/messages';

const shown = (locale: Locale, text: Bilingual): string =>
  renderToStaticMarkup(<LocaleContext.Provider value={locale}><BilingualText text={text} /></LocaleContext.Provider>);

const advice: Bilingual = { zh: '請退後一點', en: 'Please move back a little', vi: 'Vui lòng lùi lại một chút', id: 'Mohon mundur sedikit' };
const staffOnly: Bilingual = { zh: '製卡機上蓋開啟', en: 'The printer cover is open' };

describe('BilingualText', () => {
  it('keeps Chinese over English, and English over Chinese', () => {
    expect(shown('zh-TW', advice)).toBe('<span>請退後一點<small class="second-language">Please move back a little</small></span>');
    expect(shown('en', advice)).toBe('<span>Please move back a little<small class="second-language">請退後一點</small></span>');
  });

  it('speaks the screen\'s Vietnamese or Indonesian, with Chinese beneath', () => {
    expect(shown('vi', advice)).toBe('<span>Vui lòng lùi lại một chút<small class="second-language">請退後一點</small></span>');
    expect(shown('id', advice)).toBe('<span>Mohon mundur sedikit<small class="second-language">請退後一點</small></span>');
  });

  it('falls back to English over Chinese when a text has no Vietnamese or Indonesian', () => {
    expect(shown('vi', staffOnly)).toBe('<span>The printer cover is open<small class="second-language">製卡機上蓋開啟</small></span>');
    expect(shown('id', staffOnly)).toBe('<span>The printer cover is open<small class="second-language">製卡機上蓋開啟</small></span>');
  });
});

const shownMessage = (locale: Locale, coded: Message): string =>
  renderToStaticMarkup(<LocaleContext.Provider value={locale}><MessageText message={coded} /></LocaleContext.Provider>);

describe('MessageText', () => {
  it('words a coded message in the screen\'s language with its parameters, Chinese beneath (English on a Chinese screen)', () => {
    const wrongPin = message('staff.wrong-pin', { attemptsLeft: 2 });
    expect(shownMessage('zh-TW', wrongPin)).toBe('<span>密碼錯誤，還可再試 2 次<small class="second-language">Wrong PIN: 2 tries left</small></span>');
    expect(shownMessage('en', wrongPin)).toBe('<span>Wrong PIN: 2 tries left<small class="second-language">密碼錯誤，還可再試 2 次</small></span>');
    expect(shownMessage('vi', wrongPin)).toBe('<span>Sai mã PIN: còn 2 lần thử<small class="second-language">密碼錯誤，還可再試 2 次</small></span>');
    expect(shownMessage('id', wrongPin)).toBe('<span>PIN salah: sisa 2 kali percobaan<small class="second-language">密碼錯誤，還可再試 2 次</small></span>');
  });

  it('speaks the photo advice to the applicant in their language', () => {
    expect(shownMessage('vi', message('photo.move-back'))).toBe('<span>Vui lòng lùi lại một chút<small class="second-language">請退後一點</small></span>');
    expect(shownMessage('id', message('photo.move-back'))).toBe('<span>Mohon mundur sedikit<small class="second-language">請退後一點</small></span>');
  });
});
