import type { SelfServiceCardView, SelfServiceView } from '../../../../shared/contract/kiosk-api';
import { selfServiceViewSchema } from '../../../../shared/contract/kiosk-api';
import type { TopUpView, WalletCardView } from '../../../../shared/contract/top-up';

/**
 * Self-service views as the controller sends them (each parsed by the contract's schema here, so a
 * fixture the contract would refuse fails at once): a senior's card with money, points and history,
 * a top-up in progress, its receipt, and the kiosk closed with someone's money in play.
 */

export const wallet: WalletCardView = {
  balance: 8_600,
  cap: 10_000,
  mirror: 'pending',
  pendingAmount: 500,
  points: { month: '2026-02', balance: 640, monthly: 800, loadedNow: true },
  history: [
    { day: '2026-02-03', kind: 'points-load', amount: 800, kioskId: 'TY-0007' },
    { day: '2026-02-03', kind: 'points-lapse', amount: -160, kioskId: 'TY-0007' },
    { day: '2026-01-28', kind: 'cash-top-up', amount: 500, kioskId: 'TY-0012' },
    { day: '2026-01-02', kind: 'adjustment', amount: 100, kioskId: 'TY-0007' },
    ...['2025-12-30', '2025-12-21', '2025-12-02', '2025-11-15', '2025-11-03', '2025-10-09'].map((day) => ({ day, kind: 'cash-top-up' as const, amount: 1_000, kioskId: 'TY-0012' })),
  ],
  topUp: { available: true, room: 1_400, notes: [100, 500, 1000] },
};

export const card: SelfServiceCardView = {
  last4: '4321',
  cardType: 'senior',
  scheme: 'easycard',
  status: 'active',
  expiresOn: '2031-05-31',
  expired: false,
  balance: 8_100,
  wallet,
};

export const topUp: TopUpView = {
  last4: '4321',
  balance: 9_600,
  inserted: 1_000,
  room: 400,
  notes: [100],
  phase: 'insert',
  escrow: null,
  notice: 'note-over-cap',
};

export const receiptQrText = 'TCR1.eyJrIjoiVFktMDAwNyIsImMiOiI0MzIxIiwiYSI6MTAwMCwidCI6IjIwMjYtMDItMDNUMDY6MTU6MDAuMDAwWiIsImoiOiJ0dS0wMDQyIn0.c2lnbmF0dXJl';

export const views = {
  ready: { state: 'ready' },
  card: { state: 'card', card, showSeconds: 30 },
  topUp: { state: 'top-up', topUp },
  done: {
    state: 'top-up-done',
    done: {
      receipt: { journalId: 'tu-0042', last4: '4321', amount: 1_000, balance: 9_600, at: '2026-02-03T06:15:00.000Z', qr: receiptQrText, printed: 'no-printer' },
      mirror: 'pending',
    },
    showSeconds: 60,
  },
  closed: { state: 'out-of-service', reason: 'stacker-full', money: { credited: 1_000, returned: 500, inDoubt: 100, last4: '4321' } },
} satisfies Record<string, SelfServiceView>;

for (const view of Object.values(views)) selfServiceViewSchema.parse(view);

/** The card with its wallet changed. */
export const cardWith = (change: Partial<WalletCardView>, cardChange: Partial<SelfServiceCardView> = {}): SelfServiceView => ({
  state: 'card',
  card: { ...card, ...cardChange, wallet: { ...wallet, ...change } },
  showSeconds: 30,
});
