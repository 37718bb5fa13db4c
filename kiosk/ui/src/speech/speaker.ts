import type { Locale } from '../../../../shared/i18n/messages';
import { promptUrl, type PromptId } from './prompts';

/**
 * The kiosk's one voice: a single audio element in the page, so a new prompt cuts off the last one
 * instead of talking over it. Muting stops what is playing and silences every prompt (the repeat
 * button too) until unmuted; the volume is the kiosk's setting (config `speech.volume`, sent in the
 * snapshot). Prompts are built audio files (scripts/build-prompts.ts): nothing is synthesised here.
 */
export interface Speaker {
  say(id: PromptId, locale: Locale): void;
  /** Stops `id` if it is the prompt playing (its screen went away). */
  hush(id: PromptId): void;
  setMuted(muted: boolean): void;
  setVolume(volume: number): void;
  muted(): boolean;
  subscribe(listener: () => void): () => void;
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
  let playing: PromptId | null = null;
  let muted = false;
  let volume = 1;
  const listeners = new Set<() => void>();

  const audio = (): PromptPlayer => (element ??= makePlayer());
  const stop = (): void => {
    playing = null;
    element?.pause();
  };

  return {
    say(id, locale) {
      if (muted) return;
      const player = audio();
      player.pause();
      player.src = promptUrl(locale, id);
      player.setAttribute('data-prompt', id);
      player.setAttribute('data-locale', locale);
      player.volume = volume;
      playing = id;
      // A refused play (a browser without the kiosk's autoplay flag) must not break the screen; the repeat button is a gesture.
      player.play().catch(() => undefined);
    },
    hush(id) {
      if (playing === id) stop();
    },
    setMuted(next) {
      if (next === muted) return;
      muted = next;
      if (muted) stop();
      for (const listener of listeners) listener();
    },
    setVolume(next) {
      volume = Math.min(1, Math.max(0, next));
      if (element) element.volume = volume;
    },
    muted: () => muted,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
