import type { Locale } from '../../../../shared/i18n/messages';
import { promptUrl, type PromptId } from './prompts';

/**
 * The kiosk's one voice: a single audio element in the page, so a new prompt cuts off the last one
 * instead of talking over it. The screen on show names its prompt (`say`), which the repeat button
 * says again; muting stops what is playing and silences every prompt, Repeat too, until unmuted. The
 * volume is the kiosk's setting (config `speech.volume`, sent in the snapshot). Prompts are built
 * audio files (scripts/build-prompts.ts): nothing is synthesised here.
 */
export interface Speaker {
  /** The screen's prompt: said now (unless muted), and what Repeat says until the screen goes. */
  say(id: PromptId, locale: Locale): void;
  /** The screen's prompt again. */
  repeat(locale: Locale): void;
  /** The screen of `id` went away: stops it if it is playing, and Repeat has nothing to say. */
  hush(id: PromptId): void;
  setMuted(muted: boolean): void;
  setVolume(volume: number): void;
  /** Replaced on every change (for React's useSyncExternalStore). */
  state(): SpeakerState;
  subscribe(listener: () => void): () => void;
}

export interface SpeakerState {
  /** The prompt of the screen on show, or null (a screen that says nothing). */
  readonly prompt: PromptId | null;
  readonly muted: boolean;
}

/** What the speaker needs of the page's <audio> element (structural: the tests' Node type-check has no DOM). */
export interface PromptPlayer {
  src: string;
  volume: number;
  pause(): void;
  play(): Promise<void>;
  setAttribute(name: string, value: string): void;
}

export function createSpeaker(makePlayer: () => PromptPlayer): Speaker {
  let element: PromptPlayer | null = null;
  let state: SpeakerState = { prompt: null, muted: false };
  let volume = 1;
  const listeners = new Set<() => void>();
  const audio = (): PromptPlayer => (element ??= makePlayer());
  const change = (next: Partial<SpeakerState>): void => {
    state = { ...state, ...next };
    for (const listener of listeners) listener();
  };
  const play = (id: PromptId, locale: Locale): void => {
    if (state.muted) return;
    const player = audio();
    player.pause();
    player.src = promptUrl(locale, id);
    player.setAttribute('data-prompt', id);
    player.setAttribute('data-locale', locale);
    player.volume = volume;
    // A refused play (a browser without the kiosk's autoplay flag) must not break the screen; Repeat is a gesture.
    player.play().catch(() => undefined);
  };

  return {
    say(id, locale) {
      if (state.prompt !== id) change({ prompt: id });
      play(id, locale);
    },
    repeat(locale) {
      if (state.prompt) play(state.prompt, locale);
    },
    hush(id) {
      if (state.prompt !== id) return;
      element?.pause();
      change({ prompt: null });
    },
    setMuted(muted) {
      if (muted === state.muted) return;
      if (muted) element?.pause();
      change({ muted });
    },
    setVolume(next) {
      volume = Math.min(1, Math.max(0, next));
      if (element) element.volume = volume;
    },
    state: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
