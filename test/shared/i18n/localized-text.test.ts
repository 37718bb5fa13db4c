import { describe, expect, it } from 'vitest';
import { textIn, type Bilingual } from '../../../shared/i18n/localized-text';

const fourLanguages: Bilingual = { zh: '請靠近一點', en: 'Please come a little closer', vi: 'Vui lòng lại gần hơn một chút', id: 'Mohon mendekat sedikit' };
const staffOnly: Bilingual = { zh: '色帶用完', en: 'The ribbon has run out' };

describe('textIn', () => {
  it('shows Chinese over English on a Chinese screen, English over Chinese on an English one', () => {
    expect(textIn('zh-TW', fourLanguages)).toEqual({ main: '請靠近一點', beneath: 'Please come a little closer' });
    expect(textIn('en', fourLanguages)).toEqual({ main: 'Please come a little closer', beneath: '請靠近一點' });
  });

  it('shows Vietnamese or Indonesian when the text has it, Chinese beneath', () => {
    expect(textIn('vi', fourLanguages)).toEqual({ main: 'Vui lòng lại gần hơn một chút', beneath: '請靠近一點' });
    expect(textIn('id', fourLanguages)).toEqual({ main: 'Mohon mendekat sedikit', beneath: '請靠近一點' });
  });

  it('falls back to English for a text in Chinese and English only', () => {
    expect(textIn('vi', staffOnly)).toEqual({ main: 'The ribbon has run out', beneath: '色帶用完' });
    expect(textIn('id', staffOnly)).toEqual({ main: 'The ribbon has run out', beneath: '色帶用完' });
    expect(textIn('vi', { zh: '色帶用完', en: 'The ribbon has run out', id: 'Pita habis' }).main).toBe('The ribbon has run out');
  });
});
