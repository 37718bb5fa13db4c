import { defineWords } from './define-words';

/** Issue 16: the application words (see messages.ts for how they join the main table). */
export const applicationWords = defineWords({
  'zh-TW': {},
  en: {},
  vi: {},
  id: {},
});
