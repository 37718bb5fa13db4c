import type { Locator, Page } from 'playwright-core';
import { locales, type Locale } from '../../shared/i18n/messages';
import { auditNow, displayModes, settled, type AuditContext, type DisplayMode, type Finding } from './screen-audit';

/**
 * Puts a page in a language and a display mode as a person would, with the header's buttons (the
 * display branch's toggles: `[data-action="large-text"]`, `[data-action="high-contrast"]`, pressed or
 * not, reflected on <html> as `data-text` and `data-contrast`), and audits a screen in every pairing.
 */

// The page side of `page.evaluate` callbacks (the project compiles tests without the DOM lib).
interface PageNode {
  getBoundingClientRect(): { x: number; y: number; width: number; height: number };
  contains(other: unknown): boolean;
}
declare const document: {
  readonly documentElement: { readonly lang: string; readonly dataset: Readonly<Record<string, string | undefined>> };
  elementFromPoint(x: number, y: number): unknown;
};

const toggles = {
  'large-text': { action: 'large-text', attribute: 'text', on: 'large' },
  'high-contrast': { action: 'high-contrast', attribute: 'contrast', on: 'high' },
} as const;

/** How long a switch may take to show (a React render; the machine is shared and busy). */
const switchTimeoutMs = 5_000;

/**
 * A header button pressed: tapped where a person would tap it; under a modal dialog (a supervisor's
 * approval covers the header) its click is sent to it directly, so that the dialog too is audited in
 * every language and mode.
 */
async function press(button: Locator): Promise<void> {
  const reachable = await button.evaluate((node: unknown) => {
    const element = node as PageNode;
    const box = element.getBoundingClientRect();
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return hit !== null && element.contains(hit);
  });
  if (reachable) await button.click();
  else await button.dispatchEvent('click');
}

/** The header's language button; true once <html lang> says so. */
export async function chooseLocale(page: Page, locale: Locale): Promise<boolean> {
  const button = page.locator(`header .languages button[lang="${locale}"]`);
  if ((await button.count()) === 0) return false;
  if ((await page.evaluate(() => document.documentElement.lang)) !== locale) await press(button);
  await page.waitForFunction((wanted) => document.documentElement.lang === wanted, locale, { timeout: switchTimeoutMs });
  return true;
}

/** Large text alone, high contrast alone, or neither; false when the header has no such toggle. */
export async function chooseMode(page: Page, mode: DisplayMode): Promise<boolean> {
  for (const [name, toggle] of Object.entries(toggles)) {
    const wanted = name === mode;
    const button = page.locator(`header [data-action="${toggle.action}"]`);
    if ((await button.count()) === 0) {
      if (wanted) return false;
      continue;
    }
    if (((await button.getAttribute('aria-pressed')) === 'true') !== wanted) await press(button);
    await page.waitForFunction(
      ({ attribute, on, wanted }) => (document.documentElement.dataset[attribute] === on) === wanted,
      { attribute: toggle.attribute, on: toggle.on, wanted },
      { timeout: switchTimeoutMs },
    );
  }
  await settled(page);
  return true;
}

export interface EveryCombination {
  /** The languages to go through (all four by default). */
  readonly locales?: readonly Locale[];
  /** The display modes (all three by default). */
  readonly modes?: readonly DisplayMode[];
  /** Called after each switch, before the checks: e.g. wait for the screen's own element. */
  readonly ready?: () => Promise<void>;
}

/**
 * The screen audited in every language × display mode (each at 1280 × 800 and at 200 % zoom); the
 * page is left in Chinese and the normal mode. A mode the page cannot be put in is itself a finding.
 */
export async function auditEveryCombination(page: Page, screen: string, options: EveryCombination = {}): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const mode of options.modes ?? displayModes) {
    const modeSet = await chooseMode(page, mode);
    for (const locale of options.locales ?? locales) {
      const context: AuditContext = { screen, locale, mode };
      if (!modeSet || !(await chooseLocale(page, locale))) {
        findings.push({ ...context, viewport: '1280x800', check: 'mode', rule: modeSet ? 'no-language-button' : 'no-display-toggle', element: 'header', detail: `the header cannot put the page in ${modeSet ? locale : mode}` });
        continue;
      }
      await options.ready?.();
      findings.push(...(await auditNow(page, context)));
    }
  }
  await chooseMode(page, 'normal');
  await chooseLocale(page, 'zh-TW');
  return findings;
}

/** The language and display mode a page shows now (as <html> says). */
export async function shownAs(page: Page): Promise<{ locale: string; mode: DisplayMode }> {
  const { lang, text, contrast } = await page.evaluate(() => ({ lang: document.documentElement.lang, text: document.documentElement.dataset['text'], contrast: document.documentElement.dataset['contrast'] }));
  return { locale: lang, mode: text === 'large' ? 'large-text' : contrast === 'high' ? 'high-contrast' : 'normal' };
}
