import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figuresOfPeriod } from '../../../../kiosk/controller/reports/from-store';
import { PeriodReport } from '../../../../kiosk/ui/src/reports/period-report';
import { screenLayout } from '../../../../kiosk/ui/src/reports/session-report';
import type { PeriodFigures } from '../../../../shared/contract/report-figures';
import { translate } from '../../../../shared/i18n/messages';
import { seededStore } from '../../controller/reports/seeded-store';
import type { TempStore } from '../../controller/store/temp-store';

let seed: TempStore;
let figures: PeriodFigures;

beforeAll(async () => {
  seed = await seededStore();
  const found = await figuresOfPeriod(seed.store, '2026-02-28', '2026-03-02');
  if (!found.ok) throw new Error(found.error.kind);
  figures = found.value;
});
afterAll(() => seed.cleanup());

const tile = (html: string, testId: string): string =>
  /<span class="report-tile-value">(\d+)<\/span>/.exec(html.slice(html.indexOf(`data-testid="${testId}"`)))?.[1] ?? '';

describe('a period’s figures on the supervisor’s screen', () => {
  it('gives the period, its sessions, cards, replacements and spoiled blanks', () => {
    const html = renderToStaticMarkup(<PeriodReport figures={figures} label={(key) => translate('en', key)} layout={screenLayout} />);
    expect(html).toContain('data-period-from="2026-02-28"');
    expect(html).toContain('Figures for a period 2026-02-28 – 2026-03-02');
    expect([tile(html, 'period-sessions'), tile(html, 'period-cards-issued'), tile(html, 'period-replacements'), tile(html, 'period-spoiled')]).toEqual(['1', '7', '1', '4']);
  });
});
