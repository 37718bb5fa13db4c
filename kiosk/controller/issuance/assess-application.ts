import type { ApplicationForm, Bilingual, EligibilityView } from '../../../shared/contract/kiosk-api';
import type { CardType } from '../../../shared/domain/card-types';
import { decideEligibility } from '../../../shared/domain/eligibility';
import { issuanceFee } from '../../../shared/domain/fees';
import type { CardStatus } from '../../../shared/domain/card-status';
import type { CityRules } from '../../../shared/domain/rules';
import { checkTaiwanId } from '../../../shared/identity/taiwan-id';
import { assertNever } from '../../../shared/result';
import type { Assessment } from './issuance-machine';

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
  const problems: Bilingual[] = [];
  const id = form.idNumber ? checkTaiwanId(form.idNumber) : null;
  if (!id) problems.push({ zh: '請輸入身分證或居留證號碼（或掃描證件）', en: 'Enter the ID or resident number (or scan the document)' });
  else if (!id.valid) problems.push({ zh: `證號有誤：${id.error.message}`, en: `The ID number is wrong: ${id.error.message}` });
  if (!form.name.trim() && !form.nameZh.trim()) problems.push({ zh: '請輸入姓名', en: 'Enter the name' });
  if (!form.birthDate) problems.push({ zh: '請輸入出生日期', en: 'Enter the date of birth' });
  if (!form.birthDate || form.birthDate > deps.today()) {
    if (form.birthDate) problems.push({ zh: '出生日期不可晚於今天', en: 'The date of birth cannot be after today' });
    return { eligibility: null, problems, fee: 0, action: null };
  }

  const held = id?.valid ? await deps.heldCards(id.id) : [];
  const decision = decideEligibility(
    {
      applicationDate: deps.today(),
      birthDate: form.birthDate,
      household: form.district ? { city: '桃園市', district: form.district } : null,
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
  const eligibility: EligibilityView = decision;

  const chosen = decision.cards.find((card) => card.type === form.cardType);
  if (!form.cardType) {
    problems.push(
      decision.cards.some((card) => card.eligible)
        ? { zh: '請選擇卡別', en: 'Choose a card type' }
        : { zh: '申請人目前不符合任何卡別的申辦資格', en: 'The applicant is not eligible for any card type' },
    );
  } else if (!chosen?.eligible) {
    problems.push({ zh: '所選卡別不符合申辦資格，請改選其他卡別', en: 'The chosen card type is not available to this applicant; choose another' });
  }
  if (decision.guardianConsentRequired && !form.guardianConsent) {
    problems.push({ zh: '未滿 18 歲，需法定代理人同意', en: 'Under 18: the legal guardian must consent' });
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

function ownCardProblem(card: CardBeingHandedOver): Bilingual {
  const issued = new Date(card.issuedAt);
  const time = `${String(issued.getHours()).padStart(2, '0')}:${String(issued.getMinutes()).padStart(2, '0')}`;
  const number = card.cardNumber;
  switch (card.handOver) {
    case 'not-ejected':
      return {
        zh: `此申請人的卡片 ${number} 已於 ${time} 製發，但尚未交付（仍在製卡機內）：請勿重新申辦，請聯絡督導處理`,
        en: `The applicant's card ${number} was issued at ${time} but never handed over (it is still in the printer): do not apply again, call a supervisor`,
      };
    case 'in-output':
      return {
        zh: `此申請人的卡片 ${number} 已於 ${time} 製發並送至出卡口：請取出交給申請人，不需補發`,
        en: `The applicant's card ${number} was issued at ${time} and is in the output tray: hand it over, no replacement is needed`,
      };
    default:
      return assertNever(card.handOver);
  }
}
