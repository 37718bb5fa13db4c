import { cardTypes, transitSchemes, type CardType, type TransitScheme } from '../../../shared/domain/card-types';
import type { JobSummaryView } from '../../../shared/contract/job-progress';
import type { CardJobContext } from './card-job-machine';

/**
 * Issue 16: what the done view shows of a job's card, once its chip is written: type, scheme, the expiry on
 * the chip, whether the chip was read back and matched, and the issuance's fee (its method, waiver and
 * receipt are the fee desk's to fill). Null before the chip is written; the caller shows it only to whoever
 * may see the job's applicant.
 */
export function jobSummary(context: Pick<CardJobContext, 'cardType' | 'scheme' | 'expiry' | 'completed' | 'fee'>): JobSummaryView | null {
  if (context.expiry === null || !isCardType(context.cardType) || !isScheme(context.scheme)) return null;
  return {
    cardType: context.cardType,
    scheme: context.scheme,
    expiry: context.expiry,
    // The encoding step ends only after the chip was read back and its record matched.
    chipVerified: context.completed.includes('encoding'),
    fee: { amount: context.fee, method: null, waiverReason: null, receiptId: null },
  };
}

const isCardType = (value: string): value is CardType => (cardTypes as readonly string[]).includes(value);
const isScheme = (value: string): value is TransitScheme => (transitSchemes as readonly string[]).includes(value);
