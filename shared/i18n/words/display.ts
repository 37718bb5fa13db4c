import { defineWords } from './define-words';

/** Issue 16: the display words (see messages.ts for how they join the main table). */
export const displayWords = defineWords({
  'zh-TW': {
    displayLargeText: '大字',
    displayHighContrast: '高對比',
    displayOptions: '顯示方式',
    displayLanguages: '語言',
  },
  en: {
    displayLargeText: 'Large text',
    displayHighContrast: 'High contrast',
    displayOptions: 'Display',
    displayLanguages: 'Language',
  },
  vi: {
    displayLargeText: 'Chữ lớn',
    displayHighContrast: 'Tương phản cao',
    displayOptions: 'Hiển thị',
    displayLanguages: 'Ngôn ngữ',
  },
  id: {
    displayLargeText: 'Teks besar',
    displayHighContrast: 'Kontras tinggi',
    displayOptions: 'Tampilan',
    displayLanguages: 'Bahasa',
  },
});
