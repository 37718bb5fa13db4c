import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskSnapshot, SelfServiceView, SessionView } from '../../../../shared/contract/kiosk-api';
import { locales, type Locale } from '../../../../shared/i18n/messages';
import { serveBuiltUi, type BuiltUi } from '../../../helpers/built-ui';
import { launchChromium, type TestBrowser } from '../../../helpers/chromium';
import { playController } from '../../../helpers/played-controller';
import { goodSnapshot, selfServiceSnapshot, signedOutSession } from '../reading/snapshot-fixture';
import { views } from '../self-service/self-service-views';
import { layoutFindingsScript } from './layout-findings';

/**
 * Large text and high contrast on the screens reachable from a snapshot alone, in headless Chromium:
 * each screen in each language × (normal, large text, high contrast) on the 1280 × 800 panel and at
 * 200 % zoom (640 × 400 CSS px). Nothing may scroll or stick out sideways, every touch target is at
 * least 48 × 48 px, the languages stay on one line, and high contrast passes axe's 7:1 rule
 * (color-contrast-enhanced); every mode passes the 4.5:1 one. The controller is played by the test.
 */
const axePath = fileURLToPath(new URL('../../../../node_modules/axe-core/axe.min.js', import.meta.url));
const viewports = [
  { name: '1280×800', width: 1280, height: 800 },
  { name: '200 % zoom', width: 640, height: 400 },
] as const;
const modes = ['normal', 'large text', 'high contrast'] as const;
type Mode = (typeof modes)[number];
/** Where to save a screenshot of each screen, size and mode in Vietnamese (the longest words), if set. */
const screenshots = process.env['DISPLAY_SCREENS'];

let ui: BuiltUi | undefined;
let baseUrl: string;
let chromium: TestBrowser;

beforeAll(async () => {
  ui = await serveBuiltUi();
  baseUrl = ui.baseUrl;
  chromium = await launchChromium();
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await ui?.close();
});

let version = 100;
const signedOut = signedOutSession;
const supervisor: SessionView = { ...goodSnapshot.session, operator: { name: 'Nguyễn Thị Thu Hương', role: 'supervisor' } };
const otherOperator: SessionView = { ...goodSnapshot.session, operator: { name: 'Operator Lin', role: 'operator' } };

const staffed = (fields: Partial<KioskSnapshot>): KioskSnapshot => ({ ...goodSnapshot, ...fields, version: version++ });
const selfService = (view: SelfServiceView): KioskSnapshot => selfServiceSnapshot(view, { version: version++ });

/** `modal`: a dialog over the page takes every tap, the header's too, so the language and mode are chosen on the home before it opens. */
const screens: ReadonlyArray<{ readonly name: string; readonly snapshot: () => KioskSnapshot; readonly ready: string; readonly modal?: true }> = [
  { name: 'staffed sign-in', snapshot: () => staffed({ screen: 'home', session: signedOut }), ready: '[data-screen="sign-in"]' },
  { name: 'staffed PIN pad', snapshot: () => staffed({ screen: 'home', session: { ...signedOut, state: 'pin' } }), ready: '.pin-keys' },
  { name: 'staffed review', snapshot: () => staffed({ screen: 'review', session: supervisor }), ready: '[data-screen="review"]' },
  { name: 'staffed approval and idle warning', snapshot: () => staffed({ screen: 'home', session: { ...supervisor, approval: { action: 'override-photo', state: 'pin' }, idleSecondsLeft: 25 } }), ready: '.approval .pin-keys', modal: true },
  {
    name: 'staffed card check',
    snapshot: () => staffed({ screen: 'home', session: supervisor, cardCheck: { verified: true, cardNumber: '3300011000000014', cardType: 'senior', scheme: 'easycard', issuedOn: '2026-01-02', expiresOn: '2031-01-01', balance: 500, status: 'active', notice: null } }),
    ready: '.card-check',
  },
  { name: 'staffed home', snapshot: () => staffed({ screen: 'home', session: supervisor }), ready: '[data-screen="home"]' },
  { name: 'staffed application', snapshot: () => staffed({ session: supervisor }), ready: '[data-screen="application"]' },
  { name: 'self-service attract', snapshot: () => selfService(views.ready), ready: '[data-self-service="ready"]' },
  { name: 'self-service card', snapshot: () => selfService(views.card), ready: '[data-self-service="card"]' },
  { name: 'self-service top-up', snapshot: () => selfService(views.topUp), ready: '[data-self-service="top-up"]' },
  { name: 'self-service receipt', snapshot: () => selfService(views.done), ready: '[data-self-service="top-up-done"]' },
  { name: 'self-service closed with money', snapshot: () => selfService(views.closed), ready: '[data-self-service="out-of-service"]' },
];

/** A page whose controller is played here: `push` a snapshot as the controller would. */
async function kioskPage(): Promise<{ page: Page; push: (snapshot: KioskSnapshot) => void }> {
  const page = await chromium.context.newPage();
  const { push } = await playController(page);
  await page.goto(baseUrl);
  await page.addScriptTag({ path: axePath });
  return { page, push };
}

/** How many rows the header's buttons take. */
const headerRowsScript = `new Set([...document.querySelectorAll('.header button')].map((el) => Math.round(el.getBoundingClientRect().top))).size`;

/** Presses a header toggle until it is as asked (by its state, not by counting presses). */
async function setToggle(page: Page, action: 'large-text' | 'high-contrast', on: boolean): Promise<void> {
  const toggle = page.locator(`.display-toggles [data-action="${action}"]`);
  if ((await toggle.getAttribute('aria-pressed')) !== String(on)) await toggle.click();
  await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe(String(on));
}

async function setMode(page: Page, mode: Mode): Promise<void> {
  await setToggle(page, 'large-text', mode === 'large text');
  await setToggle(page, 'high-contrast', mode === 'high contrast');
}

async function setLanguage(page: Page, locale: Locale): Promise<void> {
  await page.locator(`nav.languages button[data-locale="${locale}"]`).click();
  await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe(locale);
}

/** axe-core's findings for the given rules, one line each (rule, target, summary). */
async function axeFindings(page: Page, rules: readonly string[]): Promise<string[]> {
  // resultTypes: axe still checks every node; it only skips gathering the passing ones, which nobody reads here.
  const script = `axe.run(document, { runOnly: { type: 'rule', values: ${JSON.stringify(rules)} }, resultTypes: ['violations'] }).then((result) => result.violations.flatMap((v) => v.nodes.map((n) => v.id + ' ' + n.target.join(' ') + ': ' + (n.any[0]?.message ?? n.failureSummary))))`;
  return (await page.evaluate(script)) as string[];
}

describe('large text and high contrast on every screen reachable from a snapshot', () => {
  for (const screen of screens) {
    it(`${screen.name}: no sideways scroll, targets ≥ 48 px, AAA contrast in high contrast (4 languages × 3 modes × 2 sizes)`, { timeout: 240_000 }, async () => {
      const { page, push } = await kioskPage();
      try {
        push(screen.snapshot());
        await page.locator(screen.ready).waitFor({ timeout: 15_000 });
        const findings: string[] = [];
        for (const viewport of viewports) {
          await page.setViewportSize(viewport);
          for (const locale of locales) {
            for (const mode of modes) {
              if (screen.modal) {
                push(staffed({ screen: 'home', session: supervisor }));
                await page.locator('.approval').waitFor({ state: 'detached', timeout: 15_000 });
              }
              await setLanguage(page, locale);
              await setMode(page, mode);
              if (screen.modal) {
                push(screen.snapshot());
                await page.locator(screen.ready).waitFor({ timeout: 15_000 });
              }
              const where = `${viewport.name} ${locale} ${mode}`;
              const layout = (await page.evaluate(layoutFindingsScript)) as string[];
              findings.push(...layout.map((line) => `${where}: ${line}`));
              const rules = mode === 'high contrast' ? ['color-contrast', 'color-contrast-enhanced'] : ['color-contrast'];
              findings.push(...(await axeFindings(page, rules)).map((line) => `${where}: ${line}`));
              // Unattended, the panel has no room to spare: the header stays one row in normal text.
              if (screen.name.startsWith('self-service') && viewport.width === 1280 && mode === 'normal') {
                const rows = (await page.evaluate(headerRowsScript)) as number;
                if (rows !== 1) findings.push(`${where}: the header takes ${rows} rows`);
              }
              if (screenshots && locale === 'vi') await page.screenshot({ path: join(screenshots, `${screen.name}-${viewport.width}-${mode}.png`.replaceAll(' ', '-')), fullPage: true });
            }
          }
        }
        expect(findings).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  it('large text is at least 1.5 × the normal size; the choices stay through the screens and reset for the next person', { timeout: 60_000 }, async () => {
    const { page, push } = await kioskPage();
    try {
      await page.setViewportSize(viewports[0]);
      const rootSize = async (): Promise<number> => Number.parseFloat((await page.evaluate('getComputedStyle(document.documentElement).fontSize')) as string);
      const attributes = (): Promise<unknown> => page.evaluate('[document.documentElement.dataset.text, document.documentElement.dataset.contrast]');

      // Staffed: chosen at the sign-in pad, kept by whoever signs in, through the screens; reset at sign-out and for another operator.
      push(staffed({ screen: 'home', session: signedOut }));
      await page.locator('[data-screen="sign-in"]').waitFor({ timeout: 15_000 });
      const normal = await rootSize();
      await setToggle(page, 'large-text', true);
      await setToggle(page, 'high-contrast', true);
      expect(await rootSize()).toBeGreaterThanOrEqual(normal * 1.5);
      // Pressed, the switch keeps its name (its tick is not read out).
      expect(await page.getByRole('button', { name: '大字', exact: true, pressed: true }).count()).toBe(1);
      push(staffed({ screen: 'home', session: supervisor }));
      await page.locator('[data-screen="home"]').waitFor({ timeout: 15_000 });
      push(staffed({ screen: 'application', session: supervisor }));
      await page.locator('[data-screen="application"]').waitFor({ timeout: 15_000 });
      expect(await attributes()).toEqual(['large', 'high']);
      push(staffed({ screen: 'home', session: signedOut }));
      await page.locator('[data-screen="sign-in"]').waitFor({ timeout: 15_000 });
      await expect.poll(attributes).toEqual(['normal', 'normal']);
      expect(await page.locator('.display-toggles [aria-pressed="true"]').count()).toBe(0);

      push(staffed({ screen: 'home', session: supervisor }));
      await page.locator('[data-screen="home"]').waitFor({ timeout: 15_000 });
      await setToggle(page, 'large-text', true);
      push(staffed({ screen: 'home', session: otherOperator }));
      await expect.poll(attributes).toEqual(['normal', 'normal']);
      // Staff see the devices; an unattended kiosk's citizens do not.
      expect(await page.locator('footer.devices').count()).toBe(1);

      // Self-service: the citizen's visit, as the language: their card leaving the screen resets both.
      push(selfService(views.ready));
      await page.locator('[data-self-service="ready"]').waitFor({ timeout: 15_000 });
      expect(await page.locator('footer.devices').count()).toBe(0);
      push(selfService(views.card));
      await page.locator('[data-self-service="card"]').waitFor({ timeout: 15_000 });
      await setToggle(page, 'large-text', true);
      await setToggle(page, 'high-contrast', true);
      push(selfService(views.topUp));
      await page.locator('[data-self-service="top-up"]').waitFor({ timeout: 15_000 });
      expect(await attributes()).toEqual(['large', 'high']);
      push(selfService(views.ready));
      await page.locator('[data-self-service="ready"]').waitFor({ timeout: 15_000 });
      await expect.poll(attributes).toEqual(['normal', 'normal']);
    } finally {
      await page.close();
    }
  });

  it('forced colours: the chosen language and the toggles on show by more than colour, every button bordered', { timeout: 60_000 }, async () => {
    const { page, push } = await kioskPage();
    try {
      await page.emulateMedia({ forcedColors: 'active' });
      push(staffed({ screen: 'home', session: supervisor }));
      await page.locator('[data-screen="home"]').waitFor({ timeout: 15_000 });
      await setLanguage(page, 'vi');
      await setToggle(page, 'large-text', true);
      const look = (selector: string): Promise<unknown> =>
        page.evaluate(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((el) => { const s = getComputedStyle(el); return [el.getAttribute('aria-pressed'), s.backgroundColor, getComputedStyle(el, '::before').content, s.borderTopWidth]; })`);
      const buttons = (await look('.header button')) as Array<[string | null, string, string, string]>;
      const pressed = buttons.filter(([state]) => state === 'true');
      const unpressed = buttons.filter(([state]) => state === 'false');
      expect(pressed).toHaveLength(2);
      for (const [, background, mark] of pressed) {
        expect(mark).toContain('✓');
        // The tick is drawn, not read out: the buttons keep their names.
        expect(mark).toMatch(/\/ ""$/);
        for (const [, other] of unpressed) expect(background).not.toBe(other);
      }
      const borders = (await look('button')) as Array<[string | null, string, string, string]>;
      for (const [, , , width] of borders) expect(Number.parseFloat(width)).toBeGreaterThanOrEqual(2);
    } finally {
      await page.close();
    }
  });
});
