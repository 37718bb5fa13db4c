import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SelfServiceView } from '../../../../shared/contract/kiosk-api';
import { selfServicePrompts } from '../../../../kiosk/ui/src/speech/prompts';
import { serveBuiltUi, type BuiltUi } from '../../../helpers/built-ui';
import { launchChromium, type TestBrowser } from '../../../helpers/chromium';
import { playController } from '../../../helpers/played-controller';
import { selfServiceSnapshot } from '../reading/snapshot-fixture';
import { views } from '../self-service/self-service-views';

/**
 * The spoken guidance in headless Chromium (with the kiosk's autoplay flag): the real UI bundle with
 * its built prompts, the controller played by the test over a routed WebSocket. Each self-service
 * screen, as it appears, plays its own prompt in the screen's language at the configured volume
 * (the media element's `playing` events and its src, recorded in the page); Repeat plays it again;
 * muted, nothing plays.
 */

const volume = 0.35;

let ui: BuiltUi | undefined;
let baseUrl: string;
let chromium: TestBrowser | null = null;

beforeAll(async () => {
  ui = await serveBuiltUi();
  baseUrl = ui.baseUrl;
}, 120_000);

afterEach(async () => {
  await chromium?.close();
  chromium = null;
});

afterAll(async () => {
  await ui?.close();
});


/** One media event of the page's audio, as recorded in the page. */
interface Played {
  readonly type: string;
  /** The audio's path from the page: prompts/<locale>/<id>.wav. */
  readonly src: string;
  readonly volume: number;
  readonly duration: number;
}

/**
 * Run in the page before the UI (a string: the tests are type-checked without the DOM). Media events
 * do not bubble: they are caught on their way down (capture) at the document.
 */
const recordMediaEvents = `
  window.played = [];
  for (const type of ['play', 'playing']) {
    document.addEventListener(type, (event) => {
      const audio = event.target;
      window.played.push({ type, src: new URL(audio.currentSrc || audio.src).pathname.replace(/^\\//, ''), volume: audio.volume, duration: audio.duration });
    }, true);
  }
`;

async function kioskPage(): Promise<{ page: Page; show: (view: SelfServiceView) => void; played: () => Promise<Played[]> }> {
  chromium = await launchChromium();
  const page = await chromium.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.addInitScript({ content: recordMediaEvents });
  const { push } = await playController(page);
  const show = (view: SelfServiceView): void => push(selfServiceSnapshot(view, { speech: { volume } }));
  const played = (): Promise<Played[]> => page.evaluate('window.played') as Promise<Played[]>;
  return { page, show, played };
}

const screen = (page: Page, state: string) => page.locator(`[data-screen="self-service"] [data-self-service="${state}"]`);
/** The `playing` events' files, in order. */
const playingSrcs = async (played: () => Promise<Played[]>): Promise<string[]> => (await played()).filter((event) => event.type === 'playing').map((event) => event.src);

describe('spoken guidance on the self-service screens', () => {
  it('plays each screen\'s own prompt as it appears, in the screen\'s language, at the configured volume, and again on Repeat', { timeout: 90_000 }, async () => {
    const { page, show, played } = await kioskPage();
    show(views.ready);
    await page.goto(baseUrl);
    await screen(page, 'ready').waitFor();
    await expect.poll(() => playingSrcs(played)).toEqual(['prompts/zh-TW/self-service-ready.wav']);
    const [first] = (await played()).filter((event) => event.type === 'playing');
    expect(first?.volume).toBeCloseTo(volume);
    // The file was fetched and decoded: the real prompt, not a silent stand-in.
    expect(first?.duration).toBeGreaterThan(0.5);

    // Every self-service screen says its own prompt as it appears.
    const screens: SelfServiceView[] = [
      { state: 'reading' },
      views.card,
      { state: 'problem', problem: 'unreadable' },
      views.topUp,
      views.done,
      views.closed,
      views.ready,
    ];
    const expected = ['prompts/zh-TW/self-service-ready.wav'];
    for (const view of screens) {
      show(view);
      await screen(page, view.state).waitFor();
      expected.push(`prompts/zh-TW/${selfServicePrompts[view.state]}.wav`);
      await expect.poll(() => playingSrcs(played), { timeout: 10_000 }).toEqual(expected);
    }

    // The person picks English on their card: the same screen's prompt in English; Repeat says it again.
    show(views.card);
    await screen(page, 'card').waitFor();
    expected.push('prompts/zh-TW/self-service-card.wav');
    await expect.poll(() => playingSrcs(played)).toEqual(expected);
    await page.locator('nav.languages button', { hasText: 'English' }).click();
    expected.push('prompts/en/self-service-card.wav');
    await expect.poll(() => playingSrcs(played)).toEqual(expected);
    await page.locator('[data-action="repeat-prompt"]').click();
    expected.push('prompts/en/self-service-card.wav');
    await expect.poll(() => playingSrcs(played)).toEqual(expected);
    expect((await played()).every((event) => Math.abs(event.volume - volume) < 0.01)).toBe(true);
  });

  it('plays nothing while muted, Repeat included, and plays again once unmuted or when the next visit starts', { timeout: 60_000 }, async () => {
    const { page, show, played } = await kioskPage();
    show(views.ready);
    await page.goto(baseUrl);
    await expect.poll(() => playingSrcs(played)).toEqual(['prompts/zh-TW/self-service-ready.wav']);
    const mute = page.locator('[data-action="mute-speech"]');
    await mute.click();
    expect(await mute.getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate('document.querySelector(\'audio[data-speech="prompt"]\').paused')).toBe(true);
    const before = (await played()).length;

    show(views.card);
    await screen(page, 'card').waitFor();
    await page.locator('[data-action="repeat-prompt"]').click();
    await page.locator('nav.languages button', { hasText: 'Tiếng Việt' }).click();
    // Long enough for a prompt to have started (they start within a few hundred milliseconds above).
    await page.waitForTimeout(1_500);
    expect((await played()).slice(before)).toEqual([]);

    await mute.click();
    expect(await mute.getAttribute('aria-pressed')).toBe('false');
    await page.locator('[data-action="repeat-prompt"]').click();
    await expect.poll(async () => (await playingSrcs(played)).at(-1)).toBe('prompts/vi/self-service-card.wav');

    // Back home, the next person starts unmuted: the last one's Mute ends with their visit.
    await mute.click();
    show(views.ready);
    await screen(page, 'ready').waitFor();
    await expect.poll(async () => (await playingSrcs(played)).at(-1)).toBe('prompts/zh-TW/self-service-ready.wav');
    expect(await mute.getAttribute('aria-pressed')).toBe('false');
    // Muted at home, a change of language is no new visit: still silent.
    await mute.click();
    const muted = (await played()).length;
    await page.locator('nav.languages button', { hasText: 'English' }).click();
    await page.waitForTimeout(1_500);
    expect((await played()).slice(muted)).toEqual([]);
  });
});
