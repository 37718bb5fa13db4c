import { z } from 'zod';

/**
 * Issue 16: a replacement's fee is settled at the counter before the card is printed. The operator
 * records how: cash in hand, taken from the e-wallet of the card being replaced (its balance moves to
 * the new card anyway), or waived with a reason from a fixed list (a supervisor approves a waiver).
 */
export const feeMethods = ['cash', 'wallet', 'waived'] as const;
export type FeeMethod = (typeof feeMethods)[number];

/**
 * Why a fee may be waived: the only reasons a counter may use (the city's rules name them; anything
 * else is paid). Each is audited with the approving supervisor.
 */
export const feeWaiverReasons = ['low-income', 'disaster-victim', 'kiosk-fault', 'social-worker-referral'] as const;
export type FeeWaiverReason = (typeof feeWaiverReasons)[number];

/** A fee as the screens show it once settled (on the card job's summary, the done view, the applicant screen). */
export const feeViewSchema = z
  .object({
    /** NT$, whole dollars; 0 for a free card (then `method` is null). */
    amount: z.number().int().min(0),
    method: z.enum(feeMethods).nullable(),
    waiverReason: z.enum(feeWaiverReasons).nullable(),
    /** The signed receipt of a paid fee (its id, for `kioskctl receipt verify` and the QR code), or null. */
    receiptId: z.string().nullable(),
    /** The signed receipt's text (what its QR code holds), or null. */
    receipt: z.string().startsWith('TCR1.').max(600).nullable(),
  })
  .strict();
export type FeeView = z.infer<typeof feeViewSchema>;


/** How a fee was settled at the review: the method, a waiver's reason and whoever approved it. */
export interface FeeSettlement {
  readonly method: FeeMethod;
  readonly waiverReason: FeeWaiverReason | null;
  /** The supervisor who approved a waiver (their operator id), or null. */
  readonly approvedBy: string | null;
}

/** The e-wallet of the card being replaced, as the store's ledger has it (its last 4 digits only on screen). */
export const feeWalletViewSchema = z.object({ last4: z.string().regex(/^\d{4}$/), balance: z.number().int() }).strict();
export type FeeWalletView = z.infer<typeof feeWalletViewSchema>;

/**
 * The fee on the review screen, while it is due (null when there is none): its amount and cause, the
 * replaced card's e-wallet when the ledger keeps one (null otherwise; `looking` while it is read), and
 * how it has been settled so far (null: not yet; the print is refused until it is).
 */
export const feeDueViewSchema = z
  .object({
    amount: z.number().int().positive(),
    /** The replacement's cause code (lost, damaged, …): what the fee is for. */
    cause: z.string().nullable(),
    wallet: feeWalletViewSchema.nullable(),
    walletLooking: z.boolean(),
    settled: z
      .object({ method: z.enum(feeMethods), waiverReason: z.enum(feeWaiverReasons).nullable(), approved: z.boolean() })
      .strict()
      .nullable(),
  })
  .strict();
export type FeeDueView = z.infer<typeof feeDueViewSchema>;

/** The review's fee commands: paid in cash, paid from the replaced card's e-wallet, or waived (a supervisor approves). */
export const feeCommandSchemas = [
  z.object({ type: z.literal('settle-fee'), method: z.enum(['cash', 'wallet']) }).strict(),
  z.object({ type: z.literal('waive-fee'), reason: z.enum(feeWaiverReasons) }).strict(),
] as const;
