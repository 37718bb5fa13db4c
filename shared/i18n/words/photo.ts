import { defineWords } from './define-words';

/** Issue 16: the photo words (see messages.ts for how they join the main table). */
export const photoWords = defineWords({
  'zh-TW': {},
  en: {},
  vi: {},
  id: {},
});
