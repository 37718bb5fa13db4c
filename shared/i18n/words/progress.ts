import { defineWords } from './define-words';

/** Issue 16: the progress words (see messages.ts for how they join the main table). */
export const progressWords = defineWords({
  'zh-TW': {},
  en: {},
  vi: {},
  id: {},
});
