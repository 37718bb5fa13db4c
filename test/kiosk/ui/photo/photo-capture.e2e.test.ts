import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { evaluateCapture } from '../../../../kiosk/controller/photo/capture';
import { createPhotoGate, type PhotoGate } from '../../../../kiosk/controller/photo/gate';
import { launchChromium, type TestBrowser } from '../../../helpers/chromium';

/**
 * PhotoCapture in headless Chromium: the fake camera plays test/fixtures/photos/applicant.y4m, the
 * capture goes to the controller's gate; without a camera the page says why and imports a file.
 */
// The page side of `page.evaluate` callbacks (this project compiles tests without the DOM lib).
interface Harness {
  captures: Array<{ type: string; source: string; base64: string; reason?: string }>;
  previews: string[];
  shutters: number[];
  setVerdict(verdict: unknown): void;
}
declare const window: { photoHarness: Harness };
declare const document: {
  querySelector(selector: 'video'): { videoWidth: number; videoHeight: number } | null;
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
};
declare const navigator: { mediaDevices: { getUserMedia(): Promise<unknown> } };

const harnessRoot = fileURLToPath(new URL('./harness', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/photos/${name}`, import.meta.url));
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

let outDir: string;
let server: Server;
let baseUrl: string;
let gate: PhotoGate;
let chromium: TestBrowser | null = null;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'photo-harness-'));
  await build({ root: harnessRoot, base: './', logLevel: 'silent', plugins: [react()], build: { outDir, emptyOutDir: true } });
  server = createServer((req, res) => {
    const path = normalize(join(outDir, (req.url ?? '/').split('?')[0] === '/' ? 'index.html' : (req.url ?? '').split('?')[0]!));
    if (!path.startsWith(outDir)) return void res.writeHead(403).end();
    try {
      const body = readFileSync(path);
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  gate = createPhotoGate();
});

afterEach(async () => {
  await chromium?.close();
  chromium = null;
});

afterAll(async () => {
  gate.close();
  await new Promise((resolve) => server.close(resolve));
  rmSync(outDir, { recursive: true, force: true });
});

async function captures(page: Page): Promise<Array<{ type: string; source: string; base64: string; reason?: string }>> {
  return page.evaluate(() => window.photoHarness.captures);
}

describe('PhotoCapture in Chromium', () => {
  it('previews the fake camera with a framing guide, and its capture passes the controller gate', async () => {
    chromium = await launchChromium({ fakeVideo: fixture('applicant.y4m') });
    const page = await chromium.context.newPage();
    await page.goto(baseUrl);
    await page.locator('[data-camera="live"]').waitFor();
    await page.waitForFunction(() => (document.querySelector('video')?.videoWidth ?? 0) > 0);
    expect(await page.evaluate(() => [document.querySelector('video')?.videoWidth, document.querySelector('video')?.videoHeight])).toEqual([640, 480]);
    expect(await page.locator('svg ellipse').count()).toBe(1);
    await page.getByTestId('photo-capture').click();
    await page.waitForFunction(() => window.photoHarness.captures.length > 0);
    const [shot] = await captures(page);
    expect(shot?.type).toBe('image/jpeg');
    expect(shot?.source).toBe('camera');
    const verdict = await gate.evaluate(Buffer.from(shot!.base64, 'base64'));
    expect(verdict.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual([]);

    // The controller's advice is shown over the preview, Chinese first.
    await page.evaluate(() => window.photoHarness.setVerdict({
      passed: false,
      checks: [{ id: 'head-height', passed: false, value: 0.4, threshold: '0.71–0.8', message: { code: 'photo.come-closer', params: {} } }],
    }));
    expect(await page.getByTestId('photo-advice').innerText()).toMatch(/^請靠近一點\s+Please come a little closer$/);
  });

  it('sends live preview frames and captures by itself once the verdict keeps passing', async () => {
    chromium = await launchChromium({ fakeVideo: fixture('applicant.y4m') });
    const page = await chromium.context.newPage();
    await page.goto(`${baseUrl}?auto`);
    await page.waitForFunction(() => window.photoHarness.previews.length >= 2);
    expect(new Set(await page.evaluate(() => window.photoHarness.previews))).toEqual(new Set(['image/jpeg']));
    expect(await captures(page)).toEqual([]);
    await page.evaluate(() => window.photoHarness.setVerdict({ passed: true, checks: [] }));
    await page.waitForFunction(() => window.photoHarness.captures.length > 0);
    expect(await page.getByTestId('photo-advice').innerText()).toContain('照片合格');
  });

  const passing = { passed: true, checks: [] };
  const failing = { passed: false, checks: [{ id: 'head-height', passed: false, value: 0.4, threshold: '0.71–0.8', message: { code: 'photo.come-closer', params: {} } }] };
  /** The countdown's numbers as the page shows them, sampled until the capture or `ms`. */
  const countdownSeen = (page: Page, ms: number): Promise<string[]> =>
    page.evaluate(async (until) => {
      const seen: string[] = [];
      const end = Date.now() + until;
      while (Date.now() < end && window.photoHarness.captures.length === 0) {
        const count = document.querySelector('[data-testid="photo-countdown"]')?.getAttribute('data-count') ?? null;
        if (count !== null && seen.at(-1) !== count) seen.push(count);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return seen;
    }, ms);

  it('counts 3, 2, 1 while the verdict passes, then captures with a shutter click', async () => {
    chromium = await launchChromium({ fakeVideo: fixture('applicant.y4m') });
    const page = await chromium.context.newPage();
    await page.goto(`${baseUrl}?auto`);
    await page.waitForFunction(() => window.photoHarness.previews.length >= 1);
    const started = Date.now();
    await page.evaluate((verdict) => window.photoHarness.setVerdict(verdict), passing);
    expect(await countdownSeen(page, 10_000)).toEqual(['3', '2', '1']);
    await page.waitForFunction(() => window.photoHarness.captures.length > 0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
    expect((await captures(page)).map((c) => c.source)).toEqual(['camera']);
    expect(await page.evaluate(() => window.photoHarness.shutters.length)).toBe(1);
    expect(await page.getByTestId('photo-countdown').count()).toBe(0);
  });

  it('cancels the countdown when the verdict stops passing, and starts again from 3 when it passes again', async () => {
    chromium = await launchChromium({ fakeVideo: fixture('applicant.y4m') });
    const page = await chromium.context.newPage();
    await page.goto(`${baseUrl}?auto&muted`);
    await page.waitForFunction(() => window.photoHarness.previews.length >= 1);
    await page.evaluate((verdict) => window.photoHarness.setVerdict(verdict), passing);
    await page.locator('[data-testid="photo-countdown"][data-count="2"]').waitFor();
    await page.evaluate((verdict) => window.photoHarness.setVerdict(verdict), failing);
    await page.getByTestId('photo-countdown').waitFor({ state: 'detached' });
    // Longer than the countdown had left: nothing is taken while the verdict fails.
    await page.waitForTimeout(2_500);
    expect(await captures(page)).toEqual([]);
    await page.evaluate((verdict) => window.photoHarness.setVerdict(verdict), passing);
    expect(await countdownSeen(page, 10_000)).toEqual(['3', '2', '1']);
    await page.waitForFunction(() => window.photoHarness.captures.length > 0);
    // Muted: the photo, no click.
    expect(await page.evaluate(() => window.photoHarness.shutters.length)).toBe(0);
  });

  it('asks for a reason before a photo file is chosen when an import needs approval', async () => {
    chromium = await launchChromium({ fakeVideo: fixture('applicant.y4m') });
    const page = await chromium.context.newPage();
    await page.goto(`${baseUrl}?reason`);
    await page.locator('[data-camera="live"]').waitFor();
    await page.getByTestId('photo-import').click();
    const choose = page.getByTestId('photo-import-choose');
    expect(await choose.isDisabled()).toBe(true);
    await page.locator('input[name="importReason"]').fill('ab');
    expect(await choose.isDisabled()).toBe(true);
    await page.locator('input[name="importReason"]').fill('camera lens cracked');
    expect(await choose.isEnabled()).toBe(true);
    await page.getByTestId('photo-file').setInputFiles(fixture('astronaut.png'));
    await page.waitForFunction(() => window.photoHarness.captures.length > 0);
    expect((await captures(page)).map(({ source, reason }) => ({ source, reason }))).toEqual([{ source: 'import', reason: 'camera lens cracked' }]);
  });

  it.each([
    ['denied', 'NotAllowedError', '尚未允許使用相機'],
    ['missing', 'NotFoundError', '找不到相機'],
  ])('when the camera is %s, says so and imports a photo file instead', async (_case, errorName, message) => {
    chromium = await launchChromium();
    const page = await chromium.context.newPage();
    await page.addInitScript((name) => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('test', name));
    }, errorName);
    await page.goto(baseUrl);
    const problem = page.getByTestId('photo-camera-problem');
    await problem.waitFor();
    expect(await problem.innerText()).toContain(message);
    expect(await page.getByTestId('photo-import').isEnabled()).toBe(true);
    await page.getByTestId('photo-file').setInputFiles(fixture('astronaut.png'));
    await page.waitForFunction(() => window.photoHarness.captures.length > 0);
    const [imported] = await captures(page);
    expect(imported?.type).toBe('image/jpeg');
    expect(Buffer.from(imported!.base64, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(imported?.source).toBe('import');
    // A loosely framed portrait: the controller grades an import on its ID-photo crop, so it passes.
    const file = Buffer.from(imported!.base64, 'base64');
    expect((await evaluateCapture(gate, file, 'camera')).verdict.passed).toBe(false);
    expect((await evaluateCapture(gate, file, 'import')).verdict.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual([]);
  });
});
