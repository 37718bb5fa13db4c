import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { screenshot } from './kiosk';

/**
 * The README's pictures: with `KIOSK_DOC_SCREENS=1` (`npm run screens`) a screenshot goes to
 * docs/screens/<name>.png at the panel's 1280 × 800, reduced to a 256-colour palette (a tenth of the
 * bytes of Chromium's PNG, and the kiosk's flat colours survive it); otherwise to var/screens as every e2e does.
 */
export const writesDocScreens = process.env['KIOSK_DOC_SCREENS'] === '1';
const docDir = join(process.cwd(), 'docs', 'screens');

export async function docScreenshot(page: Page, name: string): Promise<void> {
  if (!writesDocScreens) return screenshot(page, name);
  mkdirSync(docDir, { recursive: true });
  const png = await page.screenshot();
  const small = await sharp(png).png({ palette: true, colours: 256, compressionLevel: 9, effort: 10 }).toBuffer();
  writeFileSync(join(docDir, `${name}.png`), small);
}
