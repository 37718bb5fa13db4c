import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/**
 * Debian's Chromium, headless, with the flags our closed network needs (without the
 * background-networking ones it floods the network with refused connections) and a fake camera.
 */
export interface TestBrowser {
  readonly browser: Browser;
  readonly context: BrowserContext;
  /** Closes the browser; rejects when a page logged a message from the controller it could not read. */
  close(): Promise<void>;
}

export interface ChromiumOptions {
  readonly fakeVideo?: string;
  /** The test sends pages what the contract refuses on purpose: no rejection on close for it. */
  readonly allowUnreadable?: boolean;
}

/** The UI's console line for a snapshot or answer the contract's schemas refused (kiosk/ui/src/reading). */
const unreadableLine = /^kiosk UI: the controller sent/;

export async function launchChromium(options: ChromiumOptions = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    // As the kiosk's own window: a screen's spoken prompt plays as it appears, with no tap first.
    '--autoplay-policy=no-user-gesture-required',
  ];
  if (options.fakeVideo) args.push(`--use-file-for-fake-video-capture=${options.fakeVideo}`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args,
    viewport: { width: 1280, height: 900 },
    locale: 'zh-TW',
  });
  // Every test in a real browser is a contract test too: the controller drifting from its schemas fails it.
  const unreadable: string[] = [];
  context.on('console', (message) => {
    if (message.type() === 'error' && unreadableLine.test(message.text())) unreadable.push(message.text());
  });
  const browser = context.browser();
  return {
    browser: browser as Browser,
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      if (unreadable.length > 0 && !options.allowUnreadable) throw new Error(`the UI could not read what the controller sent:\n${unreadable.join('\n')}`);
    },
  };
}
