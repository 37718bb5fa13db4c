import { defineWords } from './define-words';

/** Issue 16: the applicant words (see messages.ts for how they join the main table). */
export const applicantWords = defineWords({
  'zh-TW': {},
  en: {},
  vi: {},
  id: {},
});
