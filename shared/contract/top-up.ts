import { z } from 'zod';
import { transferKinds } from '../domain/wallet';

/**
 * Self-service top-up and welfare points as the UI sees them (issue 15): codes and numbers only; the UI
 * words them in four languages. Never a name, an ID number or the whole card number.
 */

const amount = z.number().int().nonnegative();

/** One line of the card's history: the last 10 transfers, newest first. `amount` is signed for the card. */
export const historyLineSchema = z
  .object({
    /** YYYY-MM-DD on the kiosk's calendar. */
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    kind: z.enum(transferKinds),
    /** Money: NT dollars; points: points. Negative for what left the card (a lapse). */
    amount: z.number().int(),
    kioskId: z.string(),
  })
  .strict();
export type HistoryLine = z.infer<typeof historyLineSchema>;

/** The month's welfare points of a card that receives them. */
export const pointsViewSchema = z
  .object({
    /** YYYY-MM */
    month: z.string().regex(/^\d{4}-\d{2}$/),
    balance: amount,
    /** The points a month for this card (800, 1,000 in 復興區). */
    monthly: amount,
    /** This tap loaded the month's points (the screen says so); false when they were loaded before. */
    loadedNow: z.boolean(),
  })
  .strict();
export type PointsView = z.infer<typeof pointsViewSchema>;

/** Why a card cannot be topped up here now. */
export const topUpRefusals = [
  'hot-listed', // reported lost or void: see staff
  'expired',
  'cap-reached', // the balance is at the cap
  'near-cap', // some room is left, but the cash device takes all or nothing (a pulse acceptor) and the largest note would go over
  'not-issued-here', // the ledger has no record of this card's wallet (until the city registry syncs)
  'mirror-exception', // the chip's mirror is ahead of the ledger or its MAC is bad: staff must look
  'no-cash-device', // this kiosk takes no cash
  'cash-unavailable', // the validator is faulted, full or away
  'staff-present',
] as const;
export type TopUpRefusal = (typeof topUpRefusals)[number];

/** The card's mirror after this tap: as the ledger says, brought forward now, or still pending (the write failed). */
export const mirrorStates = ['up-to-date', 'brought-forward', 'pending'] as const;
export type MirrorState = (typeof mirrorStates)[number];

export const walletCardViewSchema = z
  .object({
    /** The ledger's balance (the chip's mirror may lag behind it while a credit is pending). */
    balance: amount,
    cap: amount,
    mirror: z.enum(mirrorStates),
    /** NT dollars credited but not yet on the chip (0 when the mirror is up to date). */
    pendingAmount: amount,
    /** null: this card type gets no welfare points. */
    points: pointsViewSchema.nullable(),
    history: z.array(historyLineSchema).max(10),
    topUp: z.discriminatedUnion('available', [
      z.object({ available: z.literal(true), room: amount, notes: z.array(amount) }).strict(),
      z.object({ available: z.literal(false), reason: z.enum(topUpRefusals) }).strict(),
    ]),
  })
  .strict();
export type WalletCardView = z.infer<typeof walletCardViewSchema>;

/** What just happened to a note, told once on the top-up screen. */
export const noteNotices = [
  'note-over-cap', // returned: it would take the balance over the cap
  'note-refused', // not a note this kiosk takes, or not genuine
  'note-returned', // returned from escrow (timeout, or the validator gave it back)
  'note-jammed', // stuck: staff are told; the screen says what happens to the money
] as const;
export type NoteNotice = (typeof noteNotices)[number];

export const topUpPhases = [
  'insert', // waiting for a note
  'checking', // a note is in escrow: journaled, about to be stacked
  'stacking', // stack sent, waiting for the validator's report
  'writing-card', // credited; the new balance is being written to the chip
  'closing', // finishing: a note still in escrow is returned first
] as const;
export type TopUpPhase = (typeof topUpPhases)[number];

export const topUpViewSchema = z
  .object({
    last4: z.string().regex(/^\d{4}$/),
    /** Ledger balance now (credited notes included). */
    balance: amount,
    /** Credited in this visit so far. */
    inserted: amount,
    room: amount,
    /** The notes the validator takes now (those that fit under the cap). */
    notes: z.array(amount),
    phase: z.enum(topUpPhases),
    /** The note in escrow, when there is one. */
    escrow: amount.nullable(),
    notice: z.enum(noteNotices).nullable(),
    /** The card left the reader during the visit: the visit ends (a note not yet taken in goes back); what is credited stays credited; the chip gets it at the next tap. */
    cardLifted: z.literal(true).exactOptional(),
  })
  .strict();
export type TopUpView = z.infer<typeof topUpViewSchema>;

/** A signed receipt (shared/contract/receipt.ts); `qr` is the text the QR code holds. */
export const receiptViewSchema = z
  .object({
    journalId: z.string(),
    last4: z.string().regex(/^\d{4}$/),
    amount,
    balance: amount,
    /** ISO instant. */
    at: z.string(),
    qr: z.string(),
    printed: z.enum(['printed', 'no-printer', 'failed']),
  })
  .strict();
export type ReceiptView = z.infer<typeof receiptViewSchema>;

export const topUpDoneViewSchema = z
  .object({
    receipt: receiptViewSchema,
    /** Whether the new balance is on the chip, or waits for the next tap (the money is safe either way). */
    mirror: z.enum(mirrorStates),
  })
  .strict();
export type TopUpDoneView = z.infer<typeof topUpDoneViewSchema>;

/** Why the unattended kiosk closed during or before a top-up, beyond the board's reasons. */
export const cashClosures = ['cash-fault', 'stacker-full', 'stacker-removed', 'cash-events-lost'] as const;
export type CashClosure = (typeof cashClosures)[number];

/** What happened to the money of the person at the kiosk when it closed (null: none was in play). */
export const moneyNoticeSchema = z
  .object({
    /** Credited to the card before the close. */
    credited: amount,
    /** A note given back. */
    returned: amount,
    /** A note the kiosk could not account for: staff will settle it (the screen says how to claim it). */
    inDoubt: amount,
    last4: z.string().regex(/^\d{4}$/),
  })
  .strict();
export type MoneyNotice = z.infer<typeof moneyNoticeSchema>;

/** The top-up commands a citizen's screen sends. */
export const topUpCommandSchemas = [
  /** From the card on show: start inserting notes. */
  z.object({ type: z.literal('top-up-start') }).strict(),
  /** Done inserting: the receipt. */
  z.object({ type: z.literal('top-up-finish') }).strict(),
  /** Cancel: a note in escrow is returned; credited notes stay credited (the receipt says so). */
  z.object({ type: z.literal('top-up-cancel') }).strict(),
] as const;
