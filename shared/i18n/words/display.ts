import { defineWords } from './define-words';

/** Issue 16: the display words (see messages.ts for how they join the main table). */
export const displayWords = defineWords({
  'zh-TW': {},
  en: {},
  vi: {},
  id: {},
});
