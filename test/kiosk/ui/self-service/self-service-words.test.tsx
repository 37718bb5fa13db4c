import QRCode from 'qrcode';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LocaleContext } from '../../../../kiosk/ui/src/i18n';
import { receiptQrOptions } from '../../../../kiosk/ui/src/self-service/receipt-qr';
import { SelfServiceScreen } from '../../../../kiosk/ui/src/self-service/self-service-screen';
import type { SelfServiceView } from '../../../../shared/contract/kiosk-api';
import { cashClosures, noteNotices, topUpPhases, topUpRefusals } from '../../../../shared/contract/top-up';
import { transferKinds } from '../../../../shared/domain/wallet';
import { locales, messages, type Locale } from '../../../../shared/i18n/messages';
import { card, cardWith, topUp, views } from './self-service-views';

/** The screen as markup, entities back to characters so the catalogue's sentences can be looked for as they are. */
const shown = (view: SelfServiceView, locale: Locale = 'zh-TW'): string =>
  renderToStaticMarkup(<LocaleContext.Provider value={locale}><SelfServiceScreen view={view} send={() => {}} /></LocaleContext.Provider>)
    .replaceAll('&#x27;', "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&');

const words = (locale: Locale): Record<string, string> => messages[locale] as Record<string, string>;
const filled = (text: string, values: Record<string, string | number>): string => text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name]));

describe('the self-service screens, in words', () => {
  it('invites a passer-by to check the card or top up, with the notes taken drawn', () => {
    for (const locale of locales) {
      const html = shown(views.ready, locale);
      expect(html).toContain(words(locale)['selfServiceAttractCheck']);
      expect(html).toContain(words(locale)['selfServiceAttractTopUp']);
      expect([...html.matchAll(/data-note="(\d+)" data-fits="true"/g)].map((match) => match[1])).toEqual(['100', '500', '1000']);
      // The other three languages beneath the instruction.
      for (const other of locales.filter((each) => each !== locale)) expect(html).toContain(`<li lang="${other}">${words(other)['selfServiceTapCard']}</li>`);
    }
  });

  it('shows the balance large, the pending credit in plain words, points apart with their lapse, and the history', () => {
    for (const locale of locales) {
      const html = shown(views.card, locale);
      expect(html).toContain('data-testid="card-balance">NT$ 8,600</p>');
      expect(html).toContain(filled(words(locale)['walletPending']!, { amount: 'NT$ 500' }));
      expect(html).toContain('data-testid="points-balance">640 ');
      expect(html).toContain(filled(words(locale)['walletPointsLoadedNow']!, { points: '800' }));
      expect(html).toContain(filled(words(locale)['walletPointsLapse']!, { day: '2026-02-28' }));
      expect(html).toContain(filled(words(locale)['walletTopUpRoom']!, { room: 'NT$ 1,400', cap: 'NT$ 10,000' }));
      expect(html).toContain(`data-action="top-up-start">${words(locale)['walletTopUp']}</button>`);
      expect(html).not.toContain('{');
    }
    const html = shown(views.card, 'en');
    const rows = [...html.matchAll(/<tr data-kind="([^"]+)"><td>([^<]+)<\/td><td>([^<]+)<\/td><td class="[^"]+">([^<]+)<\/td><td>([^<]+)<\/td><\/tr>/g)].map((row) => row.slice(1));
    expect(rows).toEqual([
      ['points-load', '2026-02-03', 'Welfare points loaded', '+800 points', 'TY-0007'],
      ['points-lapse', '2026-02-03', 'Welfare points lapsed', '−160 points', 'TY-0007'],
      ['cash-top-up', '2026-01-28', 'Cash top-up', '+NT$ 500', 'TY-0012'],
      ['adjustment', '2026-01-02', 'Account correction', '+NT$ 100', 'TY-0007'],
      ...['2025-12-30', '2025-12-21', '2025-12-02', '2025-11-15', '2025-11-03', '2025-10-09'].map((day) => ['cash-top-up', day, 'Cash top-up', '+NT$ 1,000', 'TY-0012']),
    ]);
    // Only the last 4 digits of the card: no longer run of digits than a balance.
    expect(html).toContain('•••• •••• •••• 4321');
  });

  it('says nothing pending or loaded when there is none, and a month leap day right', () => {
    const html = shown(cardWith({ mirror: 'up-to-date', pendingAmount: 0, points: { month: '2028-02', balance: 800, monthly: 800, loadedNow: false }, history: [] }), 'en');
    expect(html).not.toContain('data-testid="pending-credit"');
    expect(html).not.toContain('data-testid="points-loaded"');
    expect(html).toContain('Use the points by 2028-02-29');
    expect(html).toContain(`data-testid="history-empty">${messages.en.walletHistoryEmpty}`);
    expect(shown(cardWith({ points: null }), 'en')).not.toContain('data-testid="points"');
  });

  it('words every reason a top-up is refused, in every language, and offers no button then', () => {
    for (const reason of topUpRefusals) {
      for (const locale of locales) {
        const html = shown(cardWith({ topUp: { available: false, reason } }), locale);
        expect(html).toContain(`data-refusal="${reason}">${filled(words(locale)[`walletRefusal${reason}`]!, { cap: 'NT$ 10,000' })}</p>`);
        expect(html).not.toContain('data-action="top-up-start"');
      }
    }
  });

  it("shows a hot-listed card no balance, only why it cannot be topped up; a card without a wallet its chip's balance", () => {
    const hot = shown(cardWith({ topUp: { available: false, reason: 'hot-listed' } }, { status: 'hot-listed', balance: null }), 'zh-TW');
    expect(hot).not.toContain('card-balance');
    expect(hot).toContain(messages['zh-TW']['walletRefusalhot-listed']);
    const chipOnly = shown({ state: 'card', card: { ...card, wallet: null }, showSeconds: 30 }, 'zh-TW');
    expect(chipOnly).toContain('data-testid="card-balance">NT$ 8,100</dd>');
    expect(chipOnly).not.toContain('data-testid="wallet"');
  });

  it('shows the top-up running: inserted, balance, room, the notes that fit drawn, the notice and what Cancel keeps', () => {
    for (const locale of locales) {
      const html = shown(views.topUp, locale);
      expect(html).toContain('data-testid="top-up-inserted">NT$ 1,000<');
      expect(html).toContain('data-testid="top-up-balance">NT$ 9,600<');
      expect(html).toContain('data-testid="top-up-room">NT$ 400<');
      expect([...html.matchAll(/data-note="(\d+)" data-fits="(true|false)"/g)].map((match) => `${match[1]}:${match[2]}`)).toEqual(['100:true', '500:false', '1000:false']);
      expect(html).toContain(`data-notice="note-over-cap"><p>${words(locale)['topUpNoticenote-over-cap']}</p>`);
      expect(html).toContain(filled(words(locale)['topUpCancelKept']!, { amount: 'NT$ 1,000' }));
      expect(html).toContain(words(locale)['topUpCancelExplains']);
      expect(html).toContain(`data-action="top-up-finish">${words(locale)['topUpFinish']}</button>`);
    }
  });

  it('says each phase, the note in escrow, and every note notice; Finish waits while a note is handled', () => {
    for (const phase of topUpPhases) {
      const html = shown({ state: 'top-up', topUp: { ...topUp, phase, notice: null } }, 'en');
      expect(html).toContain(`data-phase="${phase}"`);
      expect(html).toContain(`aria-current="step" data-testid="phase">${messages.en[`topUpPhase${phase}`]}</li>`);
      expect(html.includes('data-action="top-up-finish" disabled=""'), phase).toBe(phase !== 'insert');
    }
    expect(shown({ state: 'top-up', topUp: { ...topUp, phase: 'checking', escrow: 500, notice: null } }, 'en')).toContain('Handling your NT$ 500 note');
    for (const notice of noteNotices) {
      for (const locale of locales) expect(shown({ state: 'top-up', topUp: { ...topUp, notice } }, locale)).toContain(words(locale)[`topUpNotice${notice}`]);
    }
    // The card lifted during the visit: the visit ends, the credited money is safe.
    for (const locale of locales) expect(shown({ state: 'top-up', topUp: { ...topUp, cardLifted: true } }, locale)).toContain(`data-testid="card-lifted">${words(locale)['topUpCardLifted']}</p>`);
    expect(shown(views.topUp, 'en')).not.toContain('card-lifted');
    // It ends by itself: nothing to press.
    const lifted = shown({ state: 'top-up', topUp: { ...topUp, phase: 'insert', inserted: 500, cardLifted: true } }, 'en');
    expect(lifted).toContain('data-action="top-up-cancel" disabled=""');
    expect(lifted).toContain('data-action="top-up-finish" disabled=""');
    const full = shown({ state: 'top-up', topUp: { ...topUp, room: 0, notes: [], notice: null } }, 'en');
    expect(full).toContain(messages.en.topUpNoNoteFits);
    expect([...full.matchAll(/data-fits="true"/g)]).toHaveLength(0);
  });

  it("shows the receipt with qrcode's own code of the signed text, and the mirror still pending in plain words", async () => {
    for (const locale of locales) {
      const html = shown(views.done, locale);
      expect(html).toContain('data-testid="receipt-amount">NT$ 1,000<');
      expect(html).toContain('data-testid="receipt-balance">NT$ 9,600<');
      expect(html).toContain('data-testid="receipt-last4">•••• 4321<');
      expect(html).toContain('data-testid="receipt-journal">tu-0042<');
      expect(html).toContain(`data-printed="no-printer">${words(locale)['receiptno-printer']}<`);
      expect(html).toContain(words(locale)['topUpDoneMirrorpending']);
    }
    const expected = await QRCode.toString(views.done.done.receipt.qr, { ...receiptQrOptions });
    expect(shown(views.done)).toContain(`data-testid="receipt-qr">${expected}</div>`);
    const other = await QRCode.toString('TCR1.other', { ...receiptQrOptions });
    expect(expected).not.toBe(other);
    const written = shown({ ...views.done, done: { ...views.done.done, mirror: 'up-to-date', receipt: { ...views.done.done.receipt, printed: 'printed' } } }, 'en');
    expect(written).toContain(messages.en['topUpDoneMirrorup-to-date']);
    expect(written).toContain(messages.en.receiptprinted);
    expect(written).not.toContain(messages.en.topUpDoneMirrorpending);
  });

  it('words every cash closure in every language, and what happened to the money', () => {
    for (const reason of cashClosures) {
      for (const locale of locales) {
        const html = shown({ state: 'out-of-service', reason }, locale);
        expect(html).toContain(`data-closure="${reason}">${words(locale)[`selfServiceClosure${reason}`]}</p>`);
        expect(html).not.toContain('data-testid="money"');
      }
    }
    for (const locale of locales) {
      const html = shown(views.closed, locale);
      expect(html).toContain(`data-money="credited"><p>${filled(words(locale)['moneyCredited']!, { amount: 'NT$ 1,000', last4: '4321' })}</p>`);
      expect(html).toContain(`data-money="returned"><p>${filled(words(locale)['moneyReturned']!, { amount: 'NT$ 500' })}</p>`);
      expect(html).toContain(`data-money="in-doubt"><p>${filled(words(locale)['moneyInDoubt']!, { amount: 'NT$ 100' })}</p>`);
    }
    const nothing = shown({ state: 'out-of-service', reason: 'cash-fault', money: { credited: 0, returned: 0, inDoubt: 0, last4: '4321' } }, 'en');
    expect(nothing).toContain(`data-money="none"><p>${messages.en.moneyNone}</p>`);
    expect(nothing).not.toContain('data-money="credited"');
  });

  it('has every history kind worded', () => {
    for (const kind of transferKinds) for (const locale of locales) expect(words(locale)[`walletKind${kind}`], `${locale} ${kind}`).toMatch(/\S/);
  });
});
