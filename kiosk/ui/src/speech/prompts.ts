import type { SelfServiceView } from '../../../../shared/contract/kiosk-api';
import type { Locale } from '../../../../shared/i18n/messages';
import type { speechWords } from '../../../../shared/i18n/words/speech';

/**
 * The one table of spoken prompts: each screen's one instruction, by prompt id, and the words key
 * (shared/i18n/words/speech.ts) whose sentence is spoken. scripts/build-prompts.ts synthesises every
 * id in every language from this table at build time; the UI plays `promptUrl(locale, id)`.
 * Kept free of the DOM and React: the build script and the tests read it in Node.
 */
export const speechPrompts = {
  'self-service-ready': 'speechReadyPrompt',
  'self-service-reading': 'speechReadingPrompt',
  'self-service-card': 'speechCardPrompt',
  'self-service-problem': 'speechProblemPrompt',
  'self-service-top-up': 'speechTopUpPrompt',
  'self-service-top-up-done': 'speechTopUpDonePrompt',
  'self-service-out-of-service': 'speechOutOfServicePrompt',
  'applicant-welcome': 'speechApplicantWelcomePrompt',
  'applicant-camera': 'speechApplicantCameraPrompt',
  'applicant-check': 'speechApplicantCheckPrompt',
  'applicant-printing': 'speechApplicantPrintingPrompt',
  'applicant-take-card': 'speechApplicantTakeCardPrompt',
} as const satisfies Record<string, SpeechWordKey>;

type SpeechWordKey = keyof (typeof speechWords)['zh-TW'];
export type PromptId = keyof typeof speechPrompts;
export const promptIds = Object.keys(speechPrompts) as PromptId[];

/** Every self-service screen says its one instruction: a new state without a prompt is a compile error. */
export const selfServicePrompts: Readonly<Record<SelfServiceView['state'], PromptId>> = {
  ready: 'self-service-ready',
  reading: 'self-service-reading',
  card: 'self-service-card',
  problem: 'self-service-problem',
  'top-up': 'self-service-top-up',
  'top-up-done': 'self-service-top-up-done',
  'out-of-service': 'self-service-out-of-service',
};

/** The applicant's own window, step by step (kiosk/ui/src/applicant picks the step from the snapshot). */
export const applicantSteps = ['welcome', 'camera', 'check', 'printing', 'take-card'] as const;
export type ApplicantStep = (typeof applicantSteps)[number];
export const applicantPrompts: Readonly<Record<ApplicantStep, PromptId>> = {
  welcome: 'applicant-welcome',
  camera: 'applicant-camera',
  check: 'applicant-check',
  printing: 'applicant-printing',
  'take-card': 'applicant-take-card',
};

/**
 * Debian espeak-ng's voice for each language of the kiosk. Mandarin is cmn's `latn-pinyin` variant:
 * plain `cmn` (1.51) turns the characters into pinyin and then reads that pinyin as English ("ni
 * three"); this one reads it as Mandarin, tones and all, Traditional characters included.
 */
export const speechVoices: Readonly<Record<Locale, string>> = { 'zh-TW': 'cmn-latn-pinyin', en: 'en', vi: 'vi', id: 'id' };

/** Where a prompt's audio is in the built UI, relative to the page (vite's base is './'). */
export function promptUrl(locale: Locale, id: PromptId): string {
  return `prompts/${locale}/${id}.wav`;
}
