/** Spoken guidance: the prompt table, the hook that says a screen's prompt, and its buttons. */
export { applicantPrompts, applicantSteps, promptIds, promptUrl, selfServicePrompts, speechPrompts, type ApplicantStep, type PromptId } from './prompts';
export { MuteToggle, RepeatButton, SpeechControls, useSpeechVolume, useSpokenPrompt } from './spoken-prompt';
