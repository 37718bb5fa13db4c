import type { ApplicationForm, EligibilityView } from '../../../shared/contract/kiosk-api';
import { message, type Message } from '../../../shared/contract/messages';
import type { CardType } from '../../../shared/domain/card-types';
import { decideEligibility } from '../../../shared/domain/eligibility';
import { issuanceFee } from '../../../shared/domain/fees';
import type { CardStatus } from '../../../shared/domain/card-status';
import type { CityRules } from '../../../shared/domain/rules';
import { checkTaiwanId } from '../../../shared/identity/taiwan-id';
import { assertNever } from '../../../shared/result';
import type { Assessment } from './issuance-machine';
import { recommendedCardType } from './recommended-card';

export interface HeldCard {
  readonly type: CardType;
  readonly status: CardStatus;
}

export interface AssessmentDependencies {
  readonly rules: CityRules;
  /** Today's date (YYYY-MM-DD) from the injected clock. */
  readonly today: () => string;
  /** The cards this person already holds, looked up by ID number. */
  readonly heldCards: (idNumber: string) => Promise<readonly HeldCard[]>;
  /** The person's cards not yet in their hands: never ejected, or ejected a few minutes ago and not taken. */
  readonly cardsBeingHandedOver?: (idNumber: string) => Promise<readonly CardBeingHandedOver[]>;
}

/** A card of this kiosk that the person does not have in hand yet. */
export interface CardBeingHandedOver {
  readonly cardNumber: string;
  readonly cardType: CardType;
  /** ISO time of the issuance. */
  readonly issuedAt: string;
  readonly handOver: 'not-ejected' | 'in-output';
}

/** How long a card ejected and not seen taken counts as waiting in the output tray. */
export const recentHandOverMs = 10 * 60_000;

/**
 * Checks an application as it is being filled in: what is still missing, which card types the
 * person may have (with the rules' reasons) and what the chosen one costs.
 */
export async function assessApplication(form: ApplicationForm, deps: AssessmentDependencies): Promise<Assessment> {
  const problems: Message[] = [];
  const id = form.idNumber ? checkTaiwanId(form.idNumber) : null;
  if (!id) problems.push(message('application.enter-id'));
  else if (!id.valid) problems.push(message('application.id-wrong', { detail: id.error.message }));
  if (!form.name.trim() && !form.nameZh.trim()) problems.push(message('application.enter-name'));
  if (!form.birthDate) problems.push(message('application.enter-birth-date'));
  if (!form.birthDate || form.birthDate > deps.today()) {
    if (form.birthDate) problems.push(message('application.birth-date-future'));
    return { eligibility: null, problems, fee: 0, action: null };
  }

  const held = id?.valid ? await deps.heldCards(id.id) : [];
  const decision = decideEligibility(
    {
      applicationDate: deps.today(),
      birthDate: form.birthDate,
      household: form.district ? { city: deps.rules.city, district: form.district } : null,
      indigenous: form.indigenous,
      documents: {
        disabilityCertificate: form.disabilityCertificate === 'none' ? null : { companionRequired: form.disabilityCertificate === 'yes-companion' },
        residencePermit: form.residencePermit,
        spouseOfResident: form.spouseOfResident,
        universityInTaoyuan: form.universityInTaoyuan,
        school: form.school || null,
        cityEmployee: form.cityEmployee,
      },
      heldCards: held.map((card) => ({ type: card.type, status: card.status })),
    },
    deps.rules,
  );
  const eligibility: EligibilityView = { ...decision, recommended: recommendedCardType(decision) };

  const chosen = decision.cards.find((card) => card.type === form.cardType);
  if (!form.cardType) {
    problems.push(
      decision.cards.some((card) => card.eligible)
        ? message('application.choose-card-type')
        : message('application.not-eligible'),
    );
  } else if (!chosen?.eligible) {
    problems.push(message('application.card-type-not-available'));
  }
  if (decision.guardianConsentRequired && !form.guardianConsent) {
    problems.push(message('application.guardian-consent'));
  }
  // A retry after a crash or a walk-away: the card is theirs already, never a paid replacement that hot-lists it.
  const own = id?.valid && form.cardType ? (await deps.cardsBeingHandedOver?.(id.id))?.find((card) => card.cardType === form.cardType) : undefined;
  if (own) {
    problems.push(ownCardProblem(own));
    return { eligibility, problems, fee: 0, action: null };
  }
  const action = chosen?.eligible ? chosen.action : null;
  const fee = action && chosen ? issuanceFee(action, chosen.type, form.replacementCause, deps.rules) : 0;
  return { eligibility, problems, fee, action };
}

function ownCardProblem(card: CardBeingHandedOver): Message {
  const issued = new Date(card.issuedAt);
  const time = `${String(issued.getHours()).padStart(2, '0')}:${String(issued.getMinutes()).padStart(2, '0')}`;
  const number = card.cardNumber;
  switch (card.handOver) {
    case 'not-ejected':
      return message('application.own-card-in-printer', { cardNumber: number, time });
    case 'in-output':
      return message('application.own-card-in-output', { cardNumber: number, time });
    default:
      return assertNever(card.handOver);
  }
}
