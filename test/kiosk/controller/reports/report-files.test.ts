import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFile, writeSessionReport } from '../../../../kiosk/controller/reports/write-report';
import type { TempStore } from '../store/temp-store';
import { closeNote, seededStore, sessionId, site } from './seeded-store';

/** The report page lives in the UI bundle: `npx vite build --config kiosk/ui/vite.config.ts` once. */
const uiDir = join(import.meta.dirname, '../../../../kiosk/ui/dist');

let seed: TempStore;
let written: { pdf: string; csv: string };

beforeAll(async () => {
  if (!existsSync(join(uiDir, 'report.html'))) throw new Error(`the UI is not built (no ${uiDir}/report.html): npx vite build --config kiosk/ui/vite.config.ts`);
  seed = await seededStore();
  const result = await writeSessionReport(seed.store, sessionId, { dataDir: seed.dir, uiDir });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  written = result.value;
}, 60_000);
afterAll(() => seed.cleanup());

describe('a session’s report files under <data dir>/reports/', () => {
  it('are named by the session', () => {
    expect(written).toEqual({ pdf: join(seed.dir, 'reports', `${sessionId}.pdf`), csv: join(seed.dir, 'reports', `${sessionId}.csv`) });
    expect(reportFile(seed.dir, sessionId, 'pdf')).toBe(written.pdf);
    expect(statSync(written.pdf).mode & 0o777).toBe(0o600);
  });

  it('CSV: the same figures, one a line, read back with csv-parse', () => {
    const rows = parse(readFileSync(written.csv), { bom: true, columns: true }) as { section: string; item: string; value: string }[];
    const value = (section: string, item: string): string | undefined => rows.find((row) => row.section === section && row.item === item)?.value;
    expect(value('session', 'site')).toBe(site);
    expect(value('cards', 'issued')).toBe('3');
    expect(value('cards_by_type', 'senior')).toBe('1');
    expect(value('cards_by_scheme', 'easycard')).toBe('2');
    expect(value('cards', 'replacements')).toBe('1');
    expect(value('replacement_causes', 'lost')).toBe('1');
    expect(value('spoilage_by_reason', 'chip-verify-failed')).toBe('1');
    expect(value('per_hour_easycard', '2026-03-01T10:00')).toBe('1');
    expect(value('stage_median_seconds', 'counter')).toBe('180');
    expect(value('stage_mean_seconds', 'print')).toBe('67.5');
    expect(value('ledger_easycard', 'discrepancy')).toBe('-1');
    expect(value('ledger_ipass', 'returned')).toBe('1');
    expect(value('ledger', 'reconciles')).toBe('true');
    expect(value('ledger', 'note')).toBe(closeNote);
    expect(rows.filter((row) => row.section === 'card_numbers').map((row) => row.value)).toEqual(['TY-K01-S-0000001', 'TY-K01-G-0000002', 'TY-K01-T-0000001']);
  });

  it('PDF: A4, its text holds the site, the labels in both languages and the totals', () => {
    const text = execFileSync('pdftotext', ['-layout', written.pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain(site);
    expect(text).toMatch(/服務場次報表\s+Service session report/);
    expect(text).toMatch(/發卡數\s+Cards issued/);
    expect(text).toContain('TY-K01-T-0000001');
    // Card types and spoil reasons appear only as the charts' axis labels: the charts were drawn.
    expect(text).toMatch(/一般卡\s+General card/);
    expect(text).toMatch(/晶片驗證失敗\s+Chip\s+verify\s+failed/);
    expect(text).toMatch(/帳實相符\s+The ledger reconciles/);
    // The ledger's EasyCard line: loaded 10, issued 2, spoiled 3, returned 0, left 5, counted 5, discrepancy -1.
    expect(text).toMatch(/悠遊卡 EasyCard\s+10\s+2\s+3\s+0\s+5\s+5\s+-1/);
    expect(text).toMatch(/一卡通 iPASS\s+5\s+1\s+1\s+1\s+2\s+2\s+0/);
    const info = execFileSync('pdfinfo', [written.pdf], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
  });

  it('PDF: every font is embedded, with a Unicode map (the Chinese above was read back through it)', () => {
    // Chromium embeds Noto CJK (CFF outlines) as Type 3 glyphs: pdffonts' emb and uni columns say yes for each.
    const fonts = execFileSync('pdffonts', [written.pdf], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) expect(line).toMatch(/\s+yes\s+(yes|no)\s+yes\s+\d+\s+\d+\s*$/);
  });

  it('PDF: renders to an image with the charts drawn (pdftoppm)', () => {
    const prefix = join(seed.dir, 'page');
    execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', written.pdf, prefix]);
    const png = readFileSync(`${prefix}-1.png`);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    // A4 at 50 dpi (pdftoppm rounds 413.4 either way)
    expect(width).toBeGreaterThanOrEqual(413);
    expect(width).toBeLessThanOrEqual(414);
    expect(height).toBe(585);
    expect(png.length).toBeGreaterThan(20_000); // a page of charts and tables, not a blank one
  });

  it('refuses a session that does not exist, writing nothing', async () => {
    const missing = '01950000-0000-7000-8000-00000000dead';
    expect(await writeSessionReport(seed.store, missing, { dataDir: seed.dir, uiDir })).toEqual({ ok: false, error: { kind: 'no_such_session' } });
    expect(existsSync(reportFile(seed.dir, missing, 'csv'))).toBe(false);
    expect(await writeSessionReport(seed.store, '../../etc/passwd', { dataDir: seed.dir, uiDir })).toEqual({ ok: false, error: { kind: 'no_such_session' } });
  });
});

describe('a report without the UI bundle', () => {
  it('keeps the CSV and says the PDF could not be printed, at once', async () => {
    const seed = await seededStore();
    try {
      const result = await writeSessionReport(seed.store, sessionId, { dataDir: seed.dir, uiDir: join(seed.dir, 'no-ui') });
      expect(result).toEqual({
        ok: false,
        error: { kind: 'pdf_failed', message: `no report page in ${join(seed.dir, 'no-ui')} (is the UI built? npm run build:ui)`, csv: join(seed.dir, 'reports', `${sessionId}.csv`) },
      });
      expect(existsSync(join(seed.dir, 'reports', `${sessionId}.csv`))).toBe(true);
      expect(existsSync(join(seed.dir, 'reports', `${sessionId}.pdf`))).toBe(false);
    } finally {
      await seed.cleanup();
    }
  });
});
