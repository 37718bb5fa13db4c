import { randomBytes } from 'node:crypto';
import { deriveChipKeys, holderIdHash } from '../../../hardware/card-record/keys';
import { formatVersion, type CitizenCardRecord } from '../../../hardware/card-record/layout';
import { personalisedBlocks } from '../../../hardware/card-record/personalised-chip';
import { demoStaffNames } from '../../../shared/contract/demo-staff-names';
import { cardExpiryText } from '../../../shared/domain/card-validity';
import type { OperatorService } from '../auth/operator-service';
import { formatCardNumber } from '../store/card-number';

/**
 * A fully simulated kiosk has three demo staff (their cards are on the dev panel) so that a person
 * can try it at once. Their PINs are in the README: a kiosk with any real device refuses to start
 * while its store holds them active (`demoStaffProblem`); real staff are added with `kioskctl operator add`.
 * They are recognised by their names, which no real person's card bears.
 */
export const demoStaff = [
  { kind: 'staff', name: demoStaffNames.staff, role: 'operator', pin: '271828', sequence: 99_000_001 },
  { kind: 'supervisor', name: demoStaffNames.supervisor, role: 'supervisor', pin: '314159', sequence: 99_000_002 },
  { kind: 'technician', name: demoStaffNames.technician, role: 'technician', pin: '161803', sequence: 99_000_003 },
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

const demoNames: ReadonlySet<string> = new Set(demoStaff.map((person) => person.name));

/** The demo staff accounts still active in the store (ids for `kioskctl operator disable`). */
export async function activeDemoStaff(operators: Pick<OperatorService, 'listOperators'>): Promise<Array<{ readonly operatorId: string; readonly name: string }>> {
  return (await operators.listOperators())
    .filter((operator) => !operator.disabled && demoNames.has(operator.name))
    .map(({ operatorId, name }) => ({ operatorId, name }));
}

/** Why a kiosk on real devices must not start with this store, or null when it holds no active demo staff. */
export async function demoStaffProblem(operators: Pick<OperatorService, 'listOperators'>): Promise<string | null> {
  const found = await activeDemoStaff(operators);
  if (found.length === 0) return null;
  const ids = found.map((operator) => operator.operatorId).join(', ');
  return `the store holds the demo staff accounts (${ids}), whose PINs are public: a kiosk with real devices does not start with them; ` +
    'remove each with `npx kioskctl operator disable <id>`';
}
