import { deriveChipKeys, holderIdHash } from '../../../hardware/card-record/keys';
import { formatVersion, type CitizenCardRecord } from '../../../hardware/card-record/layout';
import { personalisedBlocks } from '../../../hardware/card-record/personalised-chip';
import type { CardType } from '../../../shared/domain/card-types';
import { cardExpiryText } from '../../../shared/domain/card-validity';
import { taiwanIdCheckDigit } from '../../../shared/identity/taiwan-id';
import { formatCardNumber } from '../store/card-number';
import type { Store } from '../store/store';

/**
 * A fully simulated kiosk has demo citizens' cards on its dev panel, issued by this kiosk and on file,
 * so that a person can try the unattended kiosk at once: a senior card of a Fuxing District household (1,000
 * welfare points a month), a disability card (800), a general card (no points) and a senior card
 * reported lost. Their card numbers sit in a sequence range no real issuance reaches.
 */
export const demoCitizens = [
  { kind: 'demo-senior', cardType: 'senior', monthlyPoints: 1_000, sequence: 99_100_001, birthDate: '1948-02-29', hotListed: false },
  { kind: 'demo-disability', cardType: 'disability', monthlyPoints: 800, sequence: 99_100_002, birthDate: '1979-08-15', hotListed: false },
  { kind: 'demo-general', cardType: 'general', monthlyPoints: 0, sequence: 99_100_003, birthDate: '1990-11-03', hotListed: false },
  { kind: 'demo-hot-listed', cardType: 'senior', monthlyPoints: 800, sequence: 99_100_004, birthDate: '1950-05-20', hotListed: true },
] as const satisfies ReadonlyArray<{ kind: string; cardType: CardType; monthlyPoints: number; sequence: number; birthDate: string; hotListed: boolean }>;

export type DemoCitizenKind = (typeof demoCitizens)[number]['kind'];

export interface DemoCitizenCard {
  readonly kind: DemoCitizenKind;
  readonly blocks: Uint8Array[];
}

/** The demo citizens' issuances (once per store) and their cards' chips, with an empty wallet on the chip. */
export async function seedDemoCitizens(store: Store, kioskNumber: number, kioskId: string, masterKey: Uint8Array, today: string): Promise<DemoCitizenCard[]> {
  const cards: DemoCitizenCard[] = [];
  for (const [index, citizen] of demoCitizens.entries()) {
    const cardNumber = formatCardNumber(kioskNumber, citizen.cardType, citizen.sequence);
    // The same UID at every start: the chip stands for one physical card.
    const uid = Uint8Array.from([0xde, 0x30, 0x00, index + 1]);
    const idNumber = demoIdNumber(index + 1);
    if (!(await store.cardByNumber(cardNumber))) {
      const recorded = await store.recordIssuance({
        applicant: { idNumber, idKind: 'national', name: `DEMO CITIZEN ${index + 1}`, birthDate: citizen.birthDate },
        card: { cardNumber, cardType: citizen.cardType, scheme: 'easycard', uid: Buffer.from(uid).toString('hex') },
        cause: 'new',
        fee: 0,
        monthlyPoints: citizen.monthlyPoints,
        operatorId: null,
      });
      if (!recorded.ok) throw new Error(`cannot record the demo ${citizen.kind} card: ${recorded.error.kind}`);
      if (citizen.hotListed) {
        const listed = await store.setCardStatus({ cardNumber, status: 'hot-listed', reason: 'lost', operatorId: null });
        if (!listed.ok) throw new Error(`cannot hot-list the demo ${citizen.kind} card: ${listed.error.kind}`);
      }
    }
    const record: CitizenCardRecord = {
      formatVersion,
      cardNumber,
      cardType: citizen.cardType,
      scheme: 'easycard',
      issuedOn: today,
      expiresOn: cardExpiryText(today),
      issuingKioskId: kioskId.slice(0, 12),
      holderIdHash: holderIdHash(masterKey, idNumber),
      wallet: { balance: 0, transactionCounter: 0 },
    };
    cards.push({ kind: citizen.kind, blocks: personalisedBlocks(uid, record, deriveChipKeys(masterKey, uid)) });
  }
  return cards;
}

/** A valid national ID number of a Taoyuan household (H) in a range kept for demos. */
function demoIdNumber(n: number): string {
  const firstNine = `H2999990${n}`;
  return `${firstNine}${taiwanIdCheckDigit(firstNine) ?? 0}`;
}
