import { useContext, useEffect, useSyncExternalStore } from 'react';
import { LocaleContext, useT } from '../i18n';
import type { PromptId } from './prompts';
import { createSpeaker, type PromptPlayer, type Speaker, type SpeakerState } from './speaker';

interface PageDocument {
  createElement(tag: 'audio'): PromptPlayer & { hidden: boolean; preload: string };
  body: { append(node: unknown): void };
}

/**
 * The page's <audio> element for prompts, made on first use and kept in the page (hidden), where a
 * prompt's media events can be followed. Reached through globalThis: the UI's files are also
 * type-checked and rendered in Node by the tests, where there is no document.
 */
function pageAudio(): PromptPlayer {
  const { document } = globalThis as unknown as { document: PageDocument };
  const element = document.createElement('audio');
  element.setAttribute('data-speech', 'prompt');
  element.preload = 'auto';
  element.hidden = true;
  document.body.append(element);
  return element;
}

/** The page's one speaker (the operator's window and the applicant's each have their own page). */
let pageSpeaker: Speaker | null = null;
const speaker = (): Speaker => (pageSpeaker ??= createSpeaker(pageAudio));

/**
 * Says `id` in the screen's language when the screen appears, and again when the language changes;
 * stops it when the screen goes. `null`: this screen says nothing.
 */
export function useSpokenPrompt(id: PromptId | null): void {
  const locale = useContext(LocaleContext);
  useEffect(() => {
    if (id === null) return undefined;
    speaker().say(id, locale);
    return () => speaker().hush(id);
  }, [id, locale]);
}

/** The kiosk's volume setting (0–1) from the snapshot; undefined (no snapshot yet) keeps the last. */
export function useSpeechVolume(volume: number | undefined): void {
  useEffect(() => {
    if (volume !== undefined) speaker().setVolume(volume);
  }, [volume]);
}

const silent: SpeakerState = { prompt: null, muted: false };
const subscribe = (listener: () => void): (() => void) => speaker().subscribe(listener);
// Node's renderer (the tests) never makes a speaker: nothing said, nothing muted.
const stateNow = (): SpeakerState => pageSpeaker?.state() ?? silent;
const serverState = (): SpeakerState => silent;

function useSpeaker(): SpeakerState {
  return useSyncExternalStore(subscribe, stateNow, serverState);
}

/** Says the screen's instruction again (the prompt of the screen on show). */
export function RepeatButton() {
  const t = useT();
  const { prompt } = useSpeaker();
  return (
    <button type="button" className="speech-repeat" data-action="repeat-prompt" disabled={prompt === null} onClick={() => speaker().repeat(t.locale)}>
      <SpeakerIcon waves />
      {t('speechRepeat')}
    </button>
  );
}

/** Turns the spoken guidance off and on (pressed: muted). */
export function MuteToggle() {
  const t = useT();
  const { muted } = useSpeaker();
  return (
    <button type="button" className="speech-mute" data-action="mute-speech" aria-pressed={muted} onClick={() => speaker().setMuted(!muted)}>
      <SpeakerIcon waves={!muted} />
      {t('speechMute')}
    </button>
  );
}

/** Repeat and Mute, for the header: shown while the screen on show speaks (self-service, the applicant's window). */
export function SpeechControls() {
  const t = useT();
  const { prompt } = useSpeaker();
  if (prompt === null) return null;
  return (
    <div className="speech-controls" role="group" aria-label={t('speechControls')}>
      <RepeatButton />
      <MuteToggle />
    </div>
  );
}

function SpeakerIcon({ waves }: { waves: boolean }) {
  return (
    <svg className="speech-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
      <path d="M3 9h4l5-4v14l-5-4H3z" fill="currentColor" />
      {waves ? (
        <path d="M15.5 8.5a5 5 0 0 1 0 7M18 6a8.5 8.5 0 0 1 0 12" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      ) : (
        <path d="M15 9l6 6M21 9l-6 6" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      )}
    </svg>
  );
}
