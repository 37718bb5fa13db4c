import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LocaleContext } from '../../../../kiosk/ui/src/i18n';
import { SessionBar } from '../../../../kiosk/ui/src/session/session-bar';
import type { ServiceSessionView, StockWarningView } from '../../../../shared/contract/kiosk-api';
import { locales, messages, type Locale } from '../../../../shared/i18n/messages';
import { goodSnapshot } from '../reading/snapshot-fixture';

const open = goodSnapshot.serviceSession as ServiceSessionView;

const shown = (session: ServiceSessionView | null, locale: Locale = 'en', counting = false): string =>
  renderToStaticMarkup(
    <LocaleContext.Provider value={locale}>
      <SessionBar session={session} counting={counting} onOpenDesk={() => {}} />
    </LocaleContext.Provider>,
  ).replaceAll('&#x27;', "'");

/** The markup of one scheme's figure (a `p` each). */
const schemeIn = (html: string, scheme: string): string => {
  const found = html.match(new RegExp(`<p[^>]*data-stock-scheme="${scheme}"[^>]*>.*?</p>`));
  if (!found) throw new Error(`no ${scheme} in ${html}`);
  return found[0];
};
const freeOf = (html: string, scheme: string): string | undefined => schemeIn(html, scheme).match(/<strong data-stock-free="\d+">(\d+)<\/strong>/)?.[1];
const warningsIn = (html: string): { kind: string; text: string }[] =>
  [...html.matchAll(/<p class="stock-warning[^"]*" data-testid="stock-warning" data-warning-kind="([a-z-]+)"[^>]*><span aria-hidden="true">[^<]*<\/span> ([^<]*)<\/p>/g)].map((match) => ({ kind: match[1]!, text: match[2]! }));

describe('the session bar', () => {
  it('shows the open session: site, kind of site, blanks free and in hand per scheme, the ribbon', () => {
    const html = shown(open);
    expect(html).toContain('data-testid="service-session" data-session-open="true"');
    expect(html).toContain('<strong>中壢轉運站</strong><small>Transit station</small>');
    expect(freeOf(html, 'easycard')).toBe('5');
    expect(freeOf(html, 'ipass')).toBe('3');
    expect(schemeIn(html, 'easycard')).toContain('EasyCard 悠遊卡');
    expect(schemeIn(html, 'easycard')).toContain('6 in hand');
    expect(schemeIn(html, 'ipass')).toContain('iPASS 一卡通');
    expect(html).toContain('119 cards');
    expect(html).toContain('data-action="session-stock"');
    expect(html).toContain('data-action="session-close"');
  });

  it('says plainly when no session is open, with no figures', () => {
    const html = shown(null);
    expect(html).toContain('data-testid="service-session" data-session-open="false"');
    expect(html).toContain(messages.en.sessionNone);
    expect(html).not.toContain('data-stock-scheme');
    expect(html).not.toContain('stock-warning');
  });

  it('hides every blank count while the blanks are counted for the close (a blind count)', () => {
    const html = shown(open, 'en', true);
    expect(html).not.toContain('data-stock-free');
    expect(html).not.toContain('in hand');
    // The blanks-low warning would say how many are left.
    expect(html).not.toContain('data-testid="stock-warning"');
    expect(schemeIn(html, 'easycard')).toContain(messages.en.stockCounting);
  });

  it('words every warning with the scheme\'s name, in each of the 4 languages', () => {
    const warnings: StockWarningView[] = [
      { kind: 'blanks-low', scheme: 'ipass', free: 2 },
      { kind: 'blanks-out', scheme: 'easycard' },
      { kind: 'ribbon-low', cardsLeft: 7 },
    ];
    const expected: Record<Locale, string[]> = {
      'zh-TW': ['一卡通 iPASS 空白卡只剩 2 張', '悠遊卡 EasyCard 空白卡已用完，請先補卡', '色帶只夠再印 7 張'],
      en: ['iPASS 一卡通: only 2 blanks left', 'EasyCard 悠遊卡: no blanks left, load more first', 'Ribbon: 7 more cards'],
      vi: ['iPASS (一卡通): chỉ còn 2 phôi thẻ', 'EasyCard (悠遊卡): hết phôi thẻ, hãy nạp thêm', 'Ruy băng mực: còn in được 7 thẻ'],
      id: ['iPASS (一卡通): tinggal 2 kartu kosong', 'EasyCard (悠遊卡): kartu kosong habis, isi ulang dulu', 'Pita tinta: cukup 7 kartu lagi'],
    };
    for (const locale of locales) {
      const html = shown({ ...open, warnings }, locale);
      expect(warningsIn(html)).toEqual([
        { kind: 'blanks-low', text: expected[locale][0] },
        { kind: 'blanks-out', text: expected[locale][1] },
        { kind: 'ribbon-low', text: expected[locale][2] },
      ]);
    }
  });

  it('turns red when something has run out, and reads the warnings out as a status (no list with a role)', () => {
    const low = shown(open);
    expect(low).toContain('class="session-bar"');
    expect(low).toContain('<div class="stock-warnings" role="status">');
    expect(warningsIn(low)).toEqual([{ kind: 'blanks-low', text: 'iPASS 一卡通: only 3 blanks left' }]);
    const out = shown({ ...open, warnings: [{ kind: 'ribbon-out' }] });
    expect(out).toContain('class="session-bar urgent"');
    expect(out).toContain('class="stock-warning urgent"');
    expect(warningsIn(out)).toEqual([{ kind: 'ribbon-out', text: messages.en.warningRibbonOut }]);
    expect(shown({ ...open, warnings: [] })).not.toContain('data-testid="stock-warning"');
  });

  it('says when the printer has not reported its ribbon yet', () => {
    expect(shown({ ...open, ribbon: { printsLeft: null, cardsFree: null } })).toContain(`data-stock-ribbon="unknown"><span class="stock-name">Ribbon</span><span class="stock-numbers">${messages.en.stockRibbonUnread}</span>`);
  });

  it('names every kind of site and both schemes in every language', () => {
    for (const locale of locales) {
      const table = messages[locale] as Record<string, string>;
      for (const key of ['sessionModemarket', 'sessionModetransit-station', 'sessionModecampus', 'sessionModenursing-home', 'sessionModeoffice-counter', 'stockSchemeeasycard', 'stockSchemeipass']) {
        expect(table[key], `${locale} ${key}`).toBeTruthy();
      }
    }
  });
});
