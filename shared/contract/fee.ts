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
  })
  .strict();
export type FeeView = z.infer<typeof feeViewSchema>;
