import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { chromium } from 'playwright-core';
import type { SessionFigures } from '../../../shared/contract/report-figures';

/**
 * Prints a session's report to PDF: the UI bundle's report page (kiosk/ui/report.html, the same recharts
 * components as the supervisor's screen) in headless Chromium, A4, its Noto CJK fonts embedded by
 * Chromium's print. The page is served to the browser from the bundle on disk by request interception:
 * no server, no network (every other request is refused).
 */
export interface PdfOptions {
  /** The built UI (kiosk/ui/dist), which holds report.html. */
  readonly uiDir: string;
  /** Debian's Chromium by default. */
  readonly chromiumPath?: string;
  /** How long the page may take to lay out its charts. */
  readonly timeoutMs?: number;
}

export const defaultChromiumPath = '/usr/bin/chromium';
const origin = 'http://kiosk-report.localhost';
const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
};
/** The same quiet flags the kiosk's own Chromium and the tests use: nothing reaches for the network. */
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function printSessionPdf(figures: SessionFigures, options: PdfOptions): Promise<Buffer> {
  const timeout = options.timeoutMs ?? 30_000;
  // Said at once rather than after the page's timeout: the bundle is built by `npm run build:ui`.
  if (!existsSync(join(options.uiDir, 'report.html'))) throw new Error(`no report page in ${options.uiDir} (is the UI built? npm run build:ui)`);
  const browser = await chromium.launch({ executablePath: options.chromiumPath ?? defaultChromiumPath, headless: true, args: chromiumArgs, timeout });
  try {
    const page = await browser.newPage({ locale: 'zh-TW' });
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== origin) return route.abort('blockedbyclient');
      const file = normalize(join(options.uiDir, decodeURIComponent(url.pathname)));
      if (!file.startsWith(normalize(options.uiDir) + sep)) return route.fulfill({ status: 404 });
      try {
        return await route.fulfill({ status: 200, body: await readFile(file), contentType: contentTypes[extname(file)] ?? 'application/octet-stream' });
      } catch {
        return route.fulfill({ status: 404 });
      }
    });
    // A script text, not a function: the controller is compiled without the DOM's types.
    await page.addInitScript({ content: `window.kioskReport = ${JSON.stringify(figures).replaceAll('<', '\\u003c')};` });
    await page.goto(`${origin}/report.html`, { timeout });
    const ready = await page.waitForSelector('html[data-report-ready]', { state: 'attached', timeout });
    const state = await ready.getAttribute('data-report-ready');
    if (state !== 'true') throw new Error(`the report page could not read the figures (${String(state)})`);
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}
