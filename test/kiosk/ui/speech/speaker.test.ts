import { describe, expect, it } from 'vitest';
import { createSpeaker, type PromptPlayer } from '../../../../kiosk/ui/src/speech/speaker';

/** The page's one voice, on a recording stand-in for the <audio> element. */
function recordingPlayer() {
  const plays: string[] = [];
  let pauses = 0;
  const player: PromptPlayer = {
    src: '',
    volume: 1,
    pause: () => void (pauses += 1),
    play: () => {
      plays.push(`${player.src}@${player.volume}`);
      return Promise.resolve();
    },
    setAttribute: () => undefined,
  };
  return { player, plays, pauses: () => pauses };
}

describe('the speaker', () => {
  it('says a screen\'s prompt at the set volume, repeats the screen\'s prompt, and has nothing to repeat once the screen went', () => {
    const { player, plays } = recordingPlayer();
    const speaker = createSpeaker(() => player);
    speaker.setVolume(0.4);
    speaker.say('self-service-ready', 'zh-TW');
    speaker.repeat('vi');
    expect(plays).toEqual(['prompts/zh-TW/self-service-ready.wav@0.4', 'prompts/vi/self-service-ready.wav@0.4']);
    expect(speaker.state()).toEqual({ prompt: 'self-service-ready', muted: false });
    // Another screen's hush does not silence this one.
    speaker.hush('self-service-card');
    expect(speaker.state().prompt).toBe('self-service-ready');
    speaker.hush('self-service-ready');
    speaker.repeat('en');
    expect(plays).toHaveLength(2);
    expect(speaker.state().prompt).toBeNull();
    speaker.setVolume(3);
    speaker.say('self-service-card', 'en');
    expect(plays.at(-1)).toBe('prompts/en/self-service-card.wav@1');
  });

  it('stops and says nothing while muted, and tells its listeners', () => {
    const { player, plays, pauses } = recordingPlayer();
    const speaker = createSpeaker(() => player);
    let told = 0;
    speaker.subscribe(() => void (told += 1));
    speaker.say('self-service-top-up', 'id');
    const before = pauses();
    speaker.setMuted(true);
    expect(pauses()).toBe(before + 1);
    speaker.say('self-service-top-up-done', 'id');
    speaker.repeat('id');
    expect(plays).toEqual(['prompts/id/self-service-top-up.wav@1']);
    // Muted, the screen's prompt is still known: Repeat works once unmuted.
    expect(speaker.state()).toEqual({ prompt: 'self-service-top-up-done', muted: true });
    speaker.setMuted(false);
    speaker.repeat('id');
    expect(plays.at(-1)).toBe('prompts/id/self-service-top-up-done.wav@1');
    expect(told).toBe(4);
  });
});
