import type { Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningKiosk } from '../../kiosk/controller/main';
import { devWorldStateSchema, kioskSnapshotSchema } from '../../shared/contract/kiosk-api';
import { messages } from '../../shared/i18n/messages';
import { launchChromium, type TestBrowser } from '../helpers/chromium';
import { screenshot, signInAt, startTestKiosk, type TestKiosk } from '../helpers/kiosk';

/**
 * In real Chromium against a whole kiosk on simulated devices, the page's WebSocket goes through
 * Playwright's `routeWebSocket`: the controller's pushes pass unchanged, and the test slips in
 * pushes the contract refuses. The screen stays as the last good snapshot left it, says in its
 * language that the controller sent something it cannot read, and logs only the issue paths.
 */
const zh = messages['zh-TW'];
const uiTimeoutMs = 15_000;

describe('a push the UI cannot read', () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;
  let browser: TestBrowser;
  let page: Page;
  let route: WebSocketRoute | undefined;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    running = await startTestKiosk('unreadable-push', { ownUi: true });
    kiosk = running.kiosk;
    browser = await launchChromium({ allowUnreadable: true });
    page = await browser.context.newPage();
    page.on('console', (message) => {
      // The UI's own lines (a missing favicon is an error line too).
      if (message.type() === 'error' && message.text().startsWith('kiosk UI:')) consoleErrors.push(message.text());
    });
    await page.routeWebSocket(/\/api\/events/, (ws) => {
      // Without handlers of its own, the route passes every message both ways.
      ws.connectToServer();
      route = ws;
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  /** The controller's own snapshot, changed: what a drifting controller would send. */
  const pushChanged = (change: (snapshot: Record<string, unknown>) => void): void => {
    const snapshot = structuredClone(kiosk.controller.snapshot()) as unknown as Record<string, unknown>;
    change(snapshot);
    if (!route) throw new Error('the page has no WebSocket');
    route.send(JSON.stringify(snapshot));
  };

  it('keeps the screen, says so in the screen\'s language, and shows the next good push', async () => {
    await page.goto(kiosk.urlWithToken);
    await page.locator('[data-session="signed-out"]').waitFor({ timeout: uiTimeoutMs });
    await signInAt(kiosk, 'staff', '271828');
    const home = page.locator('main[data-screen="home"]');
    await home.waitFor({ timeout: uiTimeoutMs });
    const operator = await page.getByTestId('operator-name').textContent();
    expect(kioskSnapshotSchema.safeParse(JSON.parse(JSON.stringify(kiosk.controller.snapshot()))).success).toBe(true);

    // A screen the contract does not know, with the applicant's name in it, and a newer version.
    pushChanged((snapshot) => {
      snapshot['screen'] = 'lottery';
      snapshot['version'] = Number(snapshot['version']) + 100;
      (snapshot['application'] as { form: { name: string } }).form.name = 'CHEN MEI-LING';
    });
    const notice = page.getByTestId('controller-unreadable');
    await notice.waitFor({ timeout: uiTimeoutMs });
    expect(await notice.getAttribute('role')).toBe('alert');
    expect(await notice.textContent()).toBe(zh.controllerUnreadable);
    expect(await home.count()).toBe(1);
    expect(await page.getByTestId('operator-name').textContent()).toBe(operator);
    await screenshot(page, 'unreadable-push');

    // A field missing, then one of the wrong type: still the same screen, still the notice.
    pushChanged((snapshot) => delete snapshot['session']);
    pushChanged((snapshot) => (snapshot['devices'] = 'all fine'));
    await expect.poll(() => consoleErrors.length, { timeout: uiTimeoutMs }).toBe(3);

    expect(await home.count()).toBe(1);
    expect(consoleErrors[0]).toContain('screen: invalid_value');
    expect(consoleErrors[1]).toContain('session: invalid_type');
    expect(consoleErrors[2]).toContain('devices: invalid_type');
    for (const line of consoleErrors) {
      for (const value of ['lottery', 'CHEN MEI-LING', 'all fine', operator ?? '?']) expect(line).not.toContain(value);
    }

    // The controller's next push is good: the screen follows it and the notice goes.
    await page.locator('[data-screen="home"] .big-action').click();
    await page.locator('main[data-screen="application"]').waitFor({ timeout: uiTimeoutMs });
    await notice.waitFor({ state: 'detached', timeout: uiTimeoutMs });
  });

  it("the dev panel's world state fits the contract too", async () => {
    const response = await fetch(`${kiosk.url}api/dev`, { headers: { authorization: `Bearer ${kiosk.token}` } });
    expect(response.status).toBe(200);
    const parsed = devWorldStateSchema.safeParse(await response.json());
    expect(parsed.error?.issues ?? []).toEqual([]);
  });
});
