import { defineWords } from './define-words';

/** Issue 16: the speech words (see messages.ts for how they join the main table). */
export const speechWords = defineWords({
  'zh-TW': {},
  en: {},
  vi: {},
  id: {},
});
