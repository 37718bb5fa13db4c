import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CommandReply, KioskCommand, KioskSnapshot, ServiceSessionView } from '../../../../shared/contract/kiosk-api';
import { refused } from '../../../../shared/contract/kiosk-api';
import { serveBuiltUi, type BuiltUi } from '../../../helpers/built-ui';
import { launchChromium, type TestBrowser } from '../../../helpers/chromium';
import { playController } from '../../../helpers/played-controller';
import { goodSnapshot } from '../reading/snapshot-fixture';

/**
 * The session screens in headless Chromium on the kiosk's 1280 × 800 panel: the real UI bundle, with the
 * controller played by the test (snapshots pushed over a routed WebSocket, commands answered by a
 * routed POST), until the session backend sends real sessions. Screenshots go to $SESSION_SCREENS if set.
 */
// The page side of `page.evaluate` callbacks (this project compiles tests without the DOM lib).
declare const document: { documentElement: { scrollWidth: number; clientWidth: number } };

const panel = { width: 1280, height: 800 };
const screenshots = process.env['SESSION_SCREENS'];

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

const supervisor = { ...goodSnapshot.session, operator: { name: 'Supervisor Wu', role: 'supervisor' as const } };
const session = goodSnapshot.serviceSession as ServiceSessionView;
let version = 100;
const snapshotOf = (fields: Partial<KioskSnapshot>): KioskSnapshot => ({ ...goodSnapshot, session: supervisor, printQueue: { paused: false, jobs: [] }, ...fields, version: version++ });

/** A page on the kiosk's panel, its controller played here: `push` a snapshot, read the `sent` commands, queue `replies`. */
async function kioskPage(): Promise<{ page: Page; push: (snapshot: KioskSnapshot) => void; sent: KioskCommand[]; replies: CommandReply[] }> {
  chromium = await launchChromium();
  const page = await chromium.context.newPage();
  await page.setViewportSize(panel);
  const replies: CommandReply[] = [];
  const { push, sent } = await playController(page, () => replies.shift() ?? { accepted: true });
  return { page, push, sent, replies };
}

async function shoot(page: Page, name: string): Promise<void> {
  if (screenshots) await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

/** Nothing wider than the panel: no sideways scrolling. */
async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Every button and field of these regions is a touch target of at least 48 × 48 px. */
async function smallTargets(page: Page, region: string): Promise<string[]> {
  const small: string[] = [];
  for (const target of await page.locator(`${region} button, ${region} input, ${region} select, ${region} textarea, ${region} a`).all()) {
    const box = await target.boundingBox();
    if (box && (box.width < 48 || box.height < 48)) small.push(`${await target.evaluate((element: { outerHTML: string }) => element.outerHTML.slice(0, 80))}: ${box.width}×${box.height}`);
  }
  return small;
}

describe('the service session screens at 1280 × 800', () => {
  it('loads blanks from the bar, and says a refusal inside the form', async () => {
    const { page, push, sent, replies } = await kioskPage();
    push(snapshotOf({ screen: 'application', serviceSession: session }));
    await page.goto(baseUrl);
    await page.locator('[data-action="session-stock"]').click();
    const form = page.getByTestId('stock-form');
    await form.waitFor();
    await form.locator('[data-scheme="ipass"]').click();
    await form.locator('input[name=count]').fill('20');
    replies.push({ accepted: false, code: 'role', reason: 'technicians do not adjust stock', role: 'technician' });
    await form.locator('[data-action="load-blanks"]').click();
    const refusal = form.locator('[data-refusal="role"]');
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('技術人員');
    await shoot(page, 'stock-refused');
    expect(await smallTargets(page, '.session-desk')).toEqual([]);
    await form.locator('[data-action="return-blanks"]').click();
    await expect.poll(() => sent.length).toBe(2);
    expect(sent).toEqual([{ type: 'load-blanks', scheme: 'ipass', count: 20 }, { type: 'return-blanks', scheme: 'ipass', count: 20 }]);
    // Done: the form closes over the screen it was opened on.
    await form.waitFor({ state: 'detached' });
    expect(await page.locator('main[data-screen="application"]').count()).toBe(1);
  });

  it('opens a session from the home screen, the form on the panel without scrolling', async () => {
    const { page, push, sent } = await kioskPage();
    push(snapshotOf({ screen: 'home', serviceSession: null }));
    await page.goto(baseUrl);
    const bar = page.locator('[data-testid="service-session"]');
    await bar.waitFor();
    expect(await bar.getAttribute('data-session-open')).toBe('false');
    expect(await page.locator('button.big-action').isDisabled()).toBe(true);
    const form = page.getByTestId('open-session-form');
    const submit = form.locator('[data-action="open-session"]');
    expect(await submit.isDisabled()).toBe(true);
    await shoot(page, 'home-no-session');
    expect((await submit.boundingBox())!.y + (await submit.boundingBox())!.height).toBeLessThanOrEqual(panel.height);
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await smallTargets(page, '[data-testid="open-session-form"]')).toEqual([]);

    await form.locator('input[name=site]').fill('中壢轉運站');
    await form.locator('select[name=mode]').selectOption('transit-station');
    await form.locator('input[name=blanks-easycard]').fill('10');
    await form.locator('input[name=blanks-ipass]').fill('5');
    await submit.click();
    await expect.poll(() => sent.length).toBe(1);
    expect(sent[0]).toEqual({ type: 'open-session', site: '中壢轉運站', mode: 'transit-station', blanks: { easycard: 10, ipass: 5 } });

    push(snapshotOf({ screen: 'home', serviceSession: session }));
    await page.locator('[data-session-open="true"]').waitFor();
    expect(await page.locator('button.big-action').isDisabled()).toBe(false);
    expect(await page.getByTestId('open-session-form').count()).toBe(0);
    expect(await page.locator('[data-stock-scheme=easycard] [data-stock-free]').innerText()).toBe('5');
    expect(await page.locator('[data-stock-scheme=ipass] [data-stock-free]').innerText()).toBe('3');
    expect(await page.locator('[data-testid="stock-warning"][data-warning-kind="blanks-low"]').innerText()).toContain('一卡通 iPASS 空白卡只剩 3 張');
    await shoot(page, 'home-session');
  });

  it('keeps the session bar to a strip in every language, beside the flow and the queue', async () => {
    const { page, push } = await kioskPage();
    const warnings = [{ kind: 'blanks-out', scheme: 'easycard' }, { kind: 'blanks-low', scheme: 'ipass', free: 2 }, { kind: 'ribbon-low', cardsLeft: 6 }] as const;
    push(snapshotOf({ screen: 'application', serviceSession: { ...session, site: '桃園市立平鎮區新勢國小活動中心', warnings: [...warnings] } }));
    await page.goto(baseUrl);
    const bar = page.locator('[data-testid="service-session"]');
    await bar.waitFor();
    for (const language of ['中文', 'English', 'Tiếng Việt', 'Bahasa Indonesia']) {
      await page.locator('nav.languages button', { hasText: language }).click();
      const box = (await bar.boundingBox())!;
      // One row of figures and one of warnings (under 100 px): the applicant's form keeps the rest of the panel.
      if (screenshots) await shoot(page, `bar-${language.slice(0, 4)}`);
      expect(box.height, language).toBeLessThanOrEqual(100);
      expect(await horizontalOverflow(page), language).toBe(0);
      expect(await page.locator('[data-testid="stock-warning"]').count()).toBe(3);
      expect(await smallTargets(page, '[data-testid="service-session"]'), language).toEqual([]);
      await shoot(page, `application-${language.slice(0, 4)}`);
    }
  });

  it('closes with a blind count: the ledger appears only when the count differs, then the closed session and its report', async () => {
    const { page, push, sent, replies } = await kioskPage();
    push(snapshotOf({ screen: 'home', serviceSession: session }));
    await page.goto(baseUrl);
    await page.locator('[data-action="session-close"]').click();
    const form = page.getByTestId('close-session-form');
    await form.waitFor();
    // Blind: neither the bar nor the form shows how many blanks the ledger expects.
    expect(await page.locator('[data-stock-free]').count()).toBe(0);
    expect(await page.locator('[data-testid="stock-warning"]').count()).toBe(0);
    expect(await page.getByTestId('count-comparison').count()).toBe(0);
    await shoot(page, 'close-blind');
    await form.locator('input[name=counted-easycard]').fill('6');
    await form.locator('input[name=counted-ipass]').fill('2');
    replies.push(refused('count-note-required', 'ipass: counted 2, the ledger says 3'));
    await form.locator('[data-action="close-session"]').click();
    await page.getByTestId('count-comparison').waitFor();
    expect(sent).toEqual([{ type: 'close-session', counted: { easycard: 6, ipass: 2 } }]);
    expect(await page.locator('[data-comparison-scheme="ipass"]').innerText()).toMatch(/3\s+2\s+−1/);
    expect(await form.locator('[data-action="close-session"]').isDisabled()).toBe(true);
    await shoot(page, 'close-mismatch');
    const submit = await form.locator('[data-action="close-session"]').boundingBox();
    expect(submit!.y + submit!.height).toBeLessThanOrEqual(panel.height);

    await form.locator('textarea[name=note]').fill('一張空白卡在箱中折損');
    await form.locator('[data-action="close-session"]').click();
    await expect.poll(() => sent.length).toBe(2);
    expect(sent[1]).toEqual({ type: 'close-session', counted: { easycard: 6, ipass: 2 }, note: '一張空白卡在箱中折損' });
    // Still open until the controller says otherwise (an operator's close waits for the supervisor).
    expect(await page.getByTestId('session-closed').count()).toBe(0);
    push(snapshotOf({ screen: 'home', serviceSession: null }));
    const closed = page.getByTestId('session-closed');
    await closed.waitFor();
    expect(await closed.getAttribute('data-balanced')).toBe('false');
    expect(await closed.getByTestId('session-report').getAttribute('href')).toBe('api/reports/session-1/report.pdf?token=test');
    expect(await page.getByTestId('close-session-form').count()).toBe(0);
    expect(await page.getByTestId('open-session-form').isVisible()).toBe(true);
    await shoot(page, 'closed');
    expect(await horizontalOverflow(page)).toBe(0);
  });
});
