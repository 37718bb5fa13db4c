import type { CardType } from '../../../shared/domain/card-types';
import type { EligibilityDecision } from '../../../shared/domain/eligibility';

/**
 * The card type the application screen preselects: of the eligible ones, the one that gives the
 * applicant most (welfare points each month), then a welfare card over the general one (it carries
 * its holder's concession), then the rules' order. Null when none is eligible. The operator may
 * always choose another.
 */
export function recommendedCardType(decision: Pick<EligibilityDecision, 'cards'>): CardType | null {
  const eligible = decision.cards.filter((card) => card.eligible);
  if (eligible.length === 0) return null;
  const rank = (card: (typeof eligible)[number]): number => card.monthlyPoints * 2 + (card.type === 'general' ? 0 : 1);
  // A stable pick: among equal ranks the first in the rules' order.
  return eligible.reduce((best, card) => (rank(card) > rank(best) ? card : best)).type;
}
