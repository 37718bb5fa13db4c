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

export function createSpeaker(document: Document): Speaker {
  let element: HTMLAudioElement | null = null;
  let playing: PromptId | null = null;
  let muted = false;
  let volume = 1;
  const listeners = new Set<() => void>();

  // Created on first use and kept in the page (hidden): media events of a prompt can be followed there.
  const audio = (): HTMLAudioElement => {
    if (element) return element;
    element = document.createElement('audio');
    element.dataset['speech'] = 'prompt';
    element.preload = 'auto';
    element.hidden = true;
    document.body.append(element);
    return element;
  };
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
      player.dataset['prompt'] = id;
      player.dataset['locale'] = locale;
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
