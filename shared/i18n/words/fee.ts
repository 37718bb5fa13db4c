import { defineWords } from './define-words';

/** Issue 16: the fee words (see messages.ts for how they join the main table). */
export const feeWords = defineWords({
  'zh-TW': {},
  en: {},
  vi: {},
  id: {},
});
