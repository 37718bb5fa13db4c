import { join } from 'node:path';
import type { Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KioskCommand, SelfServiceView } from '../../../../shared/contract/kiosk-api';
import { messages } from '../../../../shared/i18n/messages';
import { receiptQrOptions } from '../../../../kiosk/ui/src/self-service/receipt-qr';
import { serveBuiltUi, type BuiltUi } from '../../../helpers/built-ui';
import { launchChromium, type TestBrowser } from '../../../helpers/chromium';
import { playController } from '../../../helpers/played-controller';
import { selfServiceSnapshot } from '../reading/snapshot-fixture';
import { pageAuditScript } from './page-audit';
import { topUp, views } from './self-service-views';

/**
 * The unattended kiosk's screens in headless Chromium on the 1280 × 800 panel: the real UI bundle, the
 * controller played by the test (self-service snapshots pushed over a routed WebSocket, commands
 * recorded from a routed POST). Each screen is audited in the page (contrast, names, language, lists)
 * and its buttons measured as touch targets. Screenshots go to $SELF_SERVICE_SCREENS if set.
 */

const panel = { width: 1280, height: 800 };
const screenshots = process.env['SELF_SERVICE_SCREENS'];

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


/** A page on the kiosk's panel, its controller played here: `show` a view, read the `sent` commands. */
async function kioskPage(): Promise<{ page: Page; show: (view: SelfServiceView) => void; sent: KioskCommand[] }> {
  chromium = await launchChromium();
  const page = await chromium.context.newPage();
  await page.setViewportSize(panel);
  const { push, sent } = await playController(page);
  return { page, show: (view: SelfServiceView) => push(selfServiceSnapshot(view)), sent };
}

const screen = (page: Page, state: string) => page.locator(`[data-screen="self-service"] [data-self-service="${state}"]`);

async function shoot(page: Page, name: string): Promise<void> {
  if (screenshots) await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

/** The in-page audit's findings (empty: clean). */
const audit = (page: Page): Promise<string[]> => page.evaluate(pageAuditScript) as Promise<string[]>;

/** Every button on the page (the language buttons too: citizens press them) is at least 64 × 64 px. */
async function smallTargets(page: Page): Promise<string[]> {
  const small: string[] = [];
  for (const target of await page.locator('button').all()) {
    const box = await target.boundingBox();
    if (box && (box.width < 64 || box.height < 64)) small.push(`${await target.innerText()}: ${box.width}×${box.height}`);
  }
  return small;
}

/** Clean: no audit finding, big targets, and every button of the screen on the panel with no scrolling. */
const expectClean = async (page: Page): Promise<void> => {
  expect(await audit(page)).toEqual([]);
  for (const button of await page.locator('[data-screen="self-service"] button').all()) {
    const box = (await button.boundingBox())!;
    expect(box.y + box.height, await button.innerText()).toBeLessThanOrEqual(panel.height);
  }
  expect(await smallTargets(page)).toEqual([]);
  expect(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBe(0);
};

describe('the self-service screens at 1280 × 800', () => {
  it('invites a passer-by, with the notes taken drawn', async () => {
    const { page, show } = await kioskPage();
    show(views.ready);
    await page.goto(baseUrl);
    await screen(page, 'ready').waitFor();
    expect(await page.locator('[data-offer="check"]').innerText()).toBe(messages['zh-TW'].selfServiceAttractCheck);
    expect(await page.locator('[data-offer="top-up"] [data-note]').allInnerTexts()).toEqual(['NT$ 100', 'NT$ 500', 'NT$ 1,000']);
    await shoot(page, 'attract');
    // The whole invitation on the panel, down to the staff's line.
    const hint = (await page.locator('.staff-hint').boundingBox())!;
    expect(hint.y + hint.height).toBeLessThanOrEqual(panel.height);
    await expectClean(page);
  });

  it('shows the card with its wallet; Top up and Done send their commands; the language stays through the top-up', async () => {
    const { page, show, sent } = await kioskPage();
    show(views.card);
    await page.goto(baseUrl);
    await screen(page, 'card').waitFor();
    expect(await page.getByTestId('card-balance').innerText()).toBe('NT$ 8,600');
    expect(await page.getByTestId('pending-credit').innerText()).toBe('NT$ 500 已安全存入您的帳戶，會在您下次感應卡片時寫入卡片');
    expect(await page.locator('[data-testid="history"] tbody tr').count()).toBe(10);
    const topUpButton = page.locator('[data-action="top-up-start"]');
    await shoot(page, 'card');
    await expectClean(page);
    await topUpButton.click();
    await expect.poll(() => sent).toEqual([{ type: 'top-up-start' }]);
    await page.locator('[data-action="dismiss-card"]').click();
    await expect.poll(() => sent).toEqual([{ type: 'top-up-start' }, { type: 'dismiss-card' }]);

    await page.locator('nav.languages button', { hasText: 'Tiếng Việt' }).click();
    await page.locator('[data-action="top-up-start"]', { hasText: messages.vi.walletTopUp }).waitFor();
    await shoot(page, 'card-vi');
    await expectClean(page);
    // The header's display switches show icons here, named (and titled) in the screen's language.
    for (const words of [messages.vi.displayLargeText, messages.vi.displayHighContrast]) {
      const toggle = page.getByRole('button', { name: words, exact: true });
      expect(await toggle.count(), words).toBe(1);
      expect(await toggle.getAttribute('title')).toBe(words);
    }
    show(views.topUp);
    await screen(page, 'top-up').waitFor();
    // Still the same person: still Vietnamese.
    expect(await page.locator('[data-self-service="top-up"] h2').innerText()).toBe(messages.vi.topUpInsertNotes);
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    show(views.ready);
    await screen(page, 'ready').waitFor();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-TW');
  });

  it('runs the top-up screen: figures, notes that fit, the notice, Finish and Cancel', async () => {
    const { page, show, sent } = await kioskPage();
    show(views.topUp);
    await page.goto(baseUrl);
    await screen(page, 'top-up').waitFor();
    expect(await page.getByTestId('top-up-inserted').innerText()).toBe('NT$ 1,000');
    expect(await page.getByTestId('top-up-room').innerText()).toBe('NT$ 400');
    expect(await page.locator('[data-note][data-fits="true"]').allInnerTexts()).toEqual(['NT$ 100']);
    expect(await page.locator('[data-notice="note-over-cap"] > p').innerText()).toBe(messages['zh-TW']['topUpNoticenote-over-cap']);
    await shoot(page, 'top-up');
    await expectClean(page);
    await page.locator('[data-action="top-up-finish"]').click();
    await page.locator('[data-action="top-up-cancel"]').click();
    await expect.poll(() => sent).toEqual([{ type: 'top-up-finish' }, { type: 'top-up-cancel' }]);

    // A note in escrow: where it is, and Finish waits for it.
    show({ state: 'top-up', topUp: { ...topUp, phase: 'stacking', escrow: 100, notice: null } });
    await page.locator('[data-phase="stacking"]').waitFor();
    expect(await page.locator('.phases [aria-current="step"]').innerText()).toBe('正在處理 NT$ 100 鈔票');
    expect(await page.locator('[data-action="top-up-finish"]').isDisabled()).toBe(true);
    await shoot(page, 'top-up-stacking');
    await expectClean(page);

    // The card lifted, with a note notice too: both said; the visit is ending by itself, so Finish and Cancel are greyed.
    show({ ...views.topUp, topUp: { ...topUp, cardLifted: true } });
    await page.getByTestId('card-lifted').waitFor();
    await page.locator('[data-notice="note-over-cap"]').waitFor();
    expect(await page.locator('[data-action="top-up-cancel"]').isDisabled()).toBe(true);
    expect(await page.locator('[data-action="top-up-finish"]').isDisabled()).toBe(true);
    await shoot(page, 'top-up-card-lifted');
    await expectClean(page);
  });

  it("shows the receipt, its QR code exactly as qrcode draws the signed text, and the pending mirror", async () => {
    const { page, show, sent } = await kioskPage();
    show(views.done);
    await page.goto(baseUrl);
    await screen(page, 'top-up-done').waitFor();
    expect(await page.getByTestId('receipt-amount').innerText()).toBe('NT$ 1,000');
    expect(await page.getByTestId('receipt-journal').innerText()).toBe('tu-0042');
    expect(await page.getByTestId('mirror-state').innerText()).toBe(messages['zh-TW'].topUpDoneMirrorpending);
    // The code's modules as qrcode draws the receipt's text (a different text draws different modules).
    const expected = await QRCode.toString(views.done.done.receipt.qr, { ...receiptQrOptions });
    const pathsOf = (svg: string): string[] => [...svg.matchAll(/ d="([^"]+)"/g)].map((match) => match[1]!);
    const drawn = await page.locator('[data-testid="receipt-qr"] svg path').evaluateAll((paths: { getAttribute(name: string): string | null }[]) => paths.map((path) => path.getAttribute('d') ?? ''));
    expect(drawn).toEqual(pathsOf(expected));
    expect(drawn).not.toEqual(pathsOf(await QRCode.toString('TCR1.someone-else', { ...receiptQrOptions })));
    const qr = (await page.locator('[data-testid="receipt-qr"] svg').boundingBox())!;
    expect(qr.width).toBeGreaterThanOrEqual(200);
    await shoot(page, 'top-up-done');
    await expectClean(page);
    await page.locator('[data-action="dismiss-card"]').click();
    await expect.poll(() => sent).toEqual([{ type: 'dismiss-card' }]);
  });

  it("closes for a cash fault and tells the person what happened to their money", async () => {
    const { page, show } = await kioskPage();
    show(views.closed);
    await page.goto(baseUrl);
    await screen(page, 'out-of-service').waitFor();
    expect(await page.locator('[data-closure]').innerText()).toBe(messages['zh-TW']['selfServiceClosurestacker-full']);
    expect(await page.locator('[data-money="credited"] > p').innerText()).toBe('NT$ 1,000 已存入卡號末四碼 4321 的卡片帳戶');
    expect(await page.locator('[data-money="in-doubt"] > p').innerText()).toContain('NT$ 100');
    expect(await page.locator('[data-money="in-doubt"] [lang="en"]').innerText()).toContain('NT$ 100 needs checking by staff');
    await shoot(page, 'out-of-service-money');
    // All of it on the panel at once: nobody should have to scroll to learn where their money went.
    const last = (await page.locator('[data-money="in-doubt"]').boundingBox())!;
    expect(last.y + last.height).toBeLessThanOrEqual(panel.height);
    await expectClean(page);
  });
});
