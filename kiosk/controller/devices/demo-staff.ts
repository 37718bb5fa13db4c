import { randomBytes } from 'node:crypto';
import { deriveChipKeys, holderIdHash } from '../../../hardware/nfc/keys';
import { formatVersion, type CitizenCardRecord } from '../../../hardware/nfc/layout';
import { personalisedBlocks } from '../../../hardware/nfc/simulator';
import { cardExpiryText } from '../../../shared/domain/card-validity';
import type { OperatorService } from '../auth/operator-service';
import { formatCardNumber } from '../store/card-number';

/**
 * With simulated devices, a fresh kiosk has two demo staff (their cards are on the dev panel) so
 * that a person can try it at once. Never on a kiosk with a real NFC reader: real staff are added
 * with `kioskctl operator add`.
 */
export const demoStaff = [
  { kind: 'staff', name: '示範服務員 Demo Operator', role: 'operator', pin: '271828', sequence: 99_000_001 },
  { kind: 'supervisor', name: '示範督導 Demo Supervisor', role: 'supervisor', pin: '314159', sequence: 99_000_002 },
  { kind: 'technician', name: '示範技術員 Demo Technician', role: 'technician', pin: '161803', sequence: 99_000_003 },
] as const;

export type StaffCardKind = (typeof demoStaff)[number]['kind'];

export interface DemoStaffCard {
  readonly kind: StaffCardKind;
  readonly blocks: Uint8Array[];
}

export async function seedDemoStaff(operators: OperatorService, kioskNumber: number, kioskId: string, masterKey: Uint8Array, today: string): Promise<DemoStaffCard[]> {
  const registered = new Set((await operators.listOperators()).map((operator) => operator.name));
  const cards: DemoStaffCard[] = [];
  for (const person of demoStaff) {
    const cardNumber = formatCardNumber(kioskNumber, 'employee', person.sequence);
    if (!registered.has(person.name)) {
      const added = await operators.addOperator({ staffCardNumber: cardNumber, name: person.name, role: person.role, pin: person.pin, actorId: null });
      if (!added.ok) throw new Error(`cannot add the demo ${person.kind}: ${added.error.kind}`);
    }
    const uid = Uint8Array.from(randomBytes(4));
    const record: CitizenCardRecord = {
      formatVersion,
      cardNumber,
      cardType: 'employee',
      scheme: 'easycard',
      issuedOn: today,
      expiresOn: cardExpiryText(today),
      issuingKioskId: kioskId.slice(0, 12),
      holderIdHash: holderIdHash(masterKey, `DEMO-${person.kind}`),
      wallet: { balance: 0, transactionCounter: 0 },
    };
    cards.push({ kind: person.kind, blocks: personalisedBlocks(uid, record, deriveChipKeys(masterKey, uid)) });
  }
  return cards;
}
