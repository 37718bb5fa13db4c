import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FeePanel } from '../../../../kiosk/ui/src/fee/fee-panel';
import { FeeReceiptView } from '../../../../kiosk/ui/src/fee/fee-receipt';
import { FeeTiles } from '../../../../kiosk/ui/src/fee/fee-tiles';
import { LocaleContext } from '../../../../kiosk/ui/src/i18n';
import { receiptQrSvg } from '../../../../kiosk/ui/src/self-service/receipt-qr';
import type { FeeDueView } from '../../../../shared/contract/fee';
import { feeWords } from '../../../../shared/i18n/words/fee';
import { locales, type Locale } from '../../../../shared/i18n/messages';

/** Issue 16: the fee panel on the review and the paid fee's receipt on the done view. */

const due: FeeDueView = { amount: 94, cause: 'lost', wallet: { last4: '0015', balance: 120 }, walletLooking: false, settled: null };
const inLocale = (node: React.ReactNode, locale: Locale = 'en'): string => renderToStaticMarkup(<LocaleContext.Provider value={locale}>{node}</LocaleContext.Provider>);

describe('the fee panel', () => {
  it('shows the amount, the cause, the old card’s e-wallet balance and the three choices; asks for a choice before printing', () => {
    const html = inLocale(<FeePanel send={async () => {}} fee={due} />);
    expect(html).toContain('NT$94');
    expect(html).toContain('Reason: Lost');
    expect(html).toContain('Old card (ending 0015) e-wallet balance NT$120');
    expect(html).toContain('Record how the fee is settled before printing');
    for (const choice of ['cash', 'wallet', 'waive']) expect(html).toContain(`data-fee="${choice}"`);
    expect(html).not.toMatch(/data-fee="wallet" disabled/);
  });

  it('offers no e-wallet payment when the old card has none or it holds less than the fee', () => {
    expect(inLocale(<FeePanel send={async () => {}} fee={{ ...due, wallet: null }} />)).toContain('no e-wallet');
    const short = inLocale(<FeePanel send={async () => {}} fee={{ ...due, wallet: { last4: '0015', balance: 50 } }} />);
    expect(short).toContain('Balance too low');
    expect(short).toMatch(/aria-pressed="false" data-fee="wallet" disabled=""/);
  });

  it('says how it was settled: a waiver with its reason and the supervisor’s approval', () => {
    const html = inLocale(<FeePanel send={async () => {}} fee={{ ...due, settled: { method: 'waived', waiverReason: 'disaster-victim', approved: true } }} />);
    expect(html).toContain('Waived (Disaster victim) · approved by a supervisor');
    expect(html).toContain('data-settled="waived"');
    expect(inLocale(<FeePanel send={async () => {}} fee={{ ...due, settled: { method: 'cash', waiverReason: null, approved: false } }} />)).toContain('NT$94 paid in cash');
  });

  it('is absent when nothing is due', () => {
    expect(inLocale(<FeePanel send={async () => {}} fee={null} />)).toBe('');
  });

  it('has every word in all four languages', () => {
    const keys = Object.keys(feeWords.en).sort();
    for (const locale of locales) expect(Object.keys(feeWords[locale]).sort(), locale).toEqual(keys);
    for (const locale of locales) expect(Object.values(feeWords[locale]).every((word) => word.trim().length > 0), locale).toBe(true);
  });
});

describe('the fee’s receipt on the done view', () => {
  const receipt = 'TCR1.eyJrIjoiVFktSzAxIn0.c2ln';
  it('shows a paid fee’s signed receipt as a QR code of its text, with its number', () => {
    const html = inLocale(<FeeReceiptView fee={{ amount: 94, method: 'wallet', waiverReason: null, receiptId: 'job-7', receipt }} />);
    expect(html).toContain('Fee receipt');
    expect(html).toContain(receiptQrSvg(receipt));
    expect(html).toContain('job-7');
  });

  it('says why for a waiver, and shows nothing for a free card', () => {
    expect(inLocale(<FeeReceiptView fee={{ amount: 94, method: 'waived', waiverReason: 'kiosk-fault', receiptId: null, receipt: null }} />, 'zh-TW')).toContain('手續費已減免（機台故障）');
    expect(inLocale(<FeeReceiptView fee={{ amount: 0, method: null, waiverReason: null, receiptId: null, receipt: null }} />)).toBe('');
  });
});

describe('the report’s fee tiles', () => {
  it('count the fees paid in cash, from e-wallets and waived, with their NT$', () => {
    const html = renderToStaticMarkup(
      <FeeTiles fees={{ cash: { count: 2, amount: 188 }, wallet: { count: 1, amount: 94 }, waived: { count: 3, amount: 282 }, unrecorded: { count: 0, amount: 0 } }} label={(key) => key} testId="s" />,
    );
    expect(html).toContain('<div class="report-tile" data-testid="s-fees-cash"><span class="report-tile-value">2</span><span class="report-tile-label">reportFeesCash · NT$188</span>');
    expect(html).toContain('data-testid="s-fees-wallet"><span class="report-tile-value">1</span>');
    expect(html).toContain('data-testid="s-fees-waived"><span class="report-tile-value">3</span><span class="report-tile-label">reportFeesWaived · NT$282</span>');
  });
});
