import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BilingualText, LocaleContext } from '../../../kiosk/ui/src/i18n';
import type { Bilingual } from '../../../shared/contract/kiosk-api';
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
