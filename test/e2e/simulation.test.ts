import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../kiosk/controller/config';
import { startKiosk, type RunningKiosk } from '../../kiosk/controller/main';
import { messages } from '../../shared/i18n/messages';
import { launchChromium, type TestBrowser } from '../helpers/chromium';
import { signInAt } from '../helpers/kiosk';
import { sharedUiBuild } from '../helpers/shared-ui';

/**
 * A demo kiosk says so: on simulated devices every screen carries the "simulated devices" banner and
 * the staffed screens link the dev panel; a kiosk on real devices (here: devices configured but not
 * plugged in, which starts as a real kiosk does) has no banner, no dev link, no dev panel at #dev
 * and no /api/dev. The self-service side is in self-service.test.ts. Real headless Chromium.
 */
const uiTimeoutMs = 15_000;

describe('simulated devices are loud, and the dev panel exists only with them', () => {
  let uiDir: string;
  const dataDirs: string[] = [];
  const kiosks: RunningKiosk[] = [];
  let browser: TestBrowser;

  const start = async (env: Record<string, string>): Promise<RunningKiosk> => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-simulation-'));
    dataDirs.push(dataDir);
    const kiosk = await startKiosk(loadConfig({ KIOSK_PORT: '0', KIOSK_PRINTER_TIME_SCALE: '0.01', ...env, KIOSK_DATA_DIR: dataDir }), { uiDir });
    kiosks.push(kiosk);
    return kiosk;
  };
  const open = async (kiosk: RunningKiosk, hash = ''): Promise<Page> => {
    const page = await browser.context.newPage();
    await page.goto(`${kiosk.urlWithToken}${hash}`);
    await page.locator('[data-session="signed-out"]').waitFor({ timeout: uiTimeoutMs });
    return page;
  };

  beforeAll(async () => {
    // The run's own build of the UI, never racing another test over kiosk/ui/dist.
    uiDir = await sharedUiBuild();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    for (const kiosk of kiosks) await kiosk.stop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('on simulated devices: the banner on every staffed screen, and the dev panel', { timeout: 90_000 }, async () => {
    const kiosk = await start({ KIOSK_SIMULATE: '1' });
    const page = await open(kiosk);
    const banner = page.getByTestId('simulated-banner');
    expect(await banner.textContent()).toBe(messages['zh-TW'].simulatedBanner);
    await page.getByRole('button', { name: 'English' }).click();
    expect(await banner.textContent()).toBe('SIMULATED DEVICES — DEMO');
    await page.locator('a.dev-link').click();
    await page.locator('.dev-panel').waitFor({ timeout: uiTimeoutMs });

    // The print queue is a staffed screen's: not on the sign-in screen, beside home once signed in.
    expect(await page.locator('[data-testid="print-queue"]').count()).toBe(0);
    await signInAt(kiosk, 'staff', '271828');
    await page.locator('[data-screen="home"]').waitFor({ timeout: uiTimeoutMs });
    expect(await banner.isVisible()).toBe(true);
    expect(await page.locator('[data-testid="print-queue"][data-paused="false"]').isVisible()).toBe(true);
    await page.close();
  });

  it('on real devices: no banner, no dev link, nothing at #dev, and /api/dev answers 404', { timeout: 90_000 }, async () => {
    const devices = {
      KIOSK_NUMBER: '42',
      KIOSK_PRINTER: join(tmpdir(), 'no-such-printer'), KIOSK_SCANNER: join(tmpdir(), 'no-such-scanner'), KIOSK_BOARD: join(tmpdir(), 'no-such-board'),
      KIOSK_NFC: 'No Such Reader 00 00', KIOSK_COUNTER_READER: 'No Such Reader 01 00',
    };
    const kiosk = await start(devices);
    expect(kiosk.world).toBeNull();
    const page = await open(kiosk, '#dev');
    await page.locator('footer.devices').waitFor({ timeout: uiTimeoutMs });
    expect(await page.getByTestId('simulated-banner').count()).toBe(0);
    expect(await page.locator('a.dev-link').count()).toBe(0);
    expect(await page.locator('.dev-panel').count()).toBe(0);
    await page.close();

    const headers = { authorization: `Bearer ${kiosk.token}`, 'content-type': 'application/json' };
    expect((await fetch(new URL('api/dev', kiosk.url), { headers })).status).toBe(404);
    const placed = await fetch(new URL('api/dev', kiosk.url), { method: 'POST', headers, body: JSON.stringify({ type: 'place-card', kind: 'staff' }) });
    expect(placed.status).toBe(404);
    // No demo staff in a real kiosk's store.
    expect(await kiosk.store.operators.list()).toEqual([]);
  });
});
