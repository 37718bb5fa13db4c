import type { CardType } from './card-types';
import type { CityRules, ReplacementCause } from './rules';

/** A replacement's fee (NT$) by its cause, with per-card-type overrides (employee cards cost less). */
export function replacementFee(cardType: CardType, cause: ReplacementCause, rules: CityRules): number {
  return rules.fees.replacementByCardType[cardType]?.[cause] ?? rules.fees.replacement[cause];
}

/** The fee for one issuance: the first card is free; a replacement costs what its cause says. */
export function issuanceFee(action: 'new' | 'replacement', cardType: CardType, cause: ReplacementCause, rules: CityRules): number {
  return action === 'new' ? rules.fees.firstCard : replacementFee(cardType, cause, rules);
}

/** How much more the e-wallet may take (NT$); a bill acceptor is inhibited when a note would not fit. */
export function eWalletHeadroom(balance: number, rules: CityRules): number {
  return Math.max(0, rules.eWalletCap - balance);
}
