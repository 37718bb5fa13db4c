/**
 * A camera shutter's click, made on the spot with Web Audio (a short burst of decaying noise): no
 * file to fetch, nothing from a network. One AudioContext for the page, made on first use.
 */

const clickSeconds = 0.09;
let context: AudioContext | null = null;

function audioContext(): AudioContext | null {
  if (context !== null) return context;
  const Context = typeof window === 'undefined' ? undefined : window.AudioContext;
  if (Context === undefined) return null;
  context = new Context();
  return context;
}

/** Plays the click unless `muted`; a page without audio stays silent rather than failing the capture. */
export function playShutter(muted: boolean): void {
  if (muted) return;
  try {
    const audio = audioContext();
    if (audio === null) return;
    void audio.resume().catch(() => {});
    const frames = Math.round(audio.sampleRate * clickSeconds);
    const buffer = audio.createBuffer(1, frames, audio.sampleRate);
    const samples = buffer.getChannelData(0);
    // Two quick decaying bursts: the blade opening and closing.
    for (let i = 0; i < frames; i += 1) {
      const t = i / frames;
      const envelope = Math.exp(-t * 18) + 0.6 * Math.exp(-Math.abs(t - 0.55) * 40);
      samples[i] = (Math.random() * 2 - 1) * envelope * 0.6;
    }
    const source = audio.createBufferSource();
    source.buffer = buffer;
    source.connect(audio.destination);
    source.start();
  } catch {
    // No sound is better than no photo.
  }
}
