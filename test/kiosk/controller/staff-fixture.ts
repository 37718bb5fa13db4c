import { expect } from 'vitest';
import { createOperatorService, type OperatorService } from '../../../kiosk/controller/auth/operator-service';
import { operatorRoles, type OperatorRole } from '../../../kiosk/controller/auth/roles';
import type { KioskController } from '../../../kiosk/controller/kiosk-controller';
import { until, type FakeCounter } from './fake-counter';
import type { TempStore } from './store/temp-store';

/** Cheap scrypt for speed; the production cost is exercised by the PIN test. */
export const testPinCost = { N: 1024, r: 8, p: 1 };
/** The chip master key the counter reader's cards are read with. */
export const masterKey = new Uint8Array(32).fill(7);

/** The kiosk's staff in these tests: one of each role, with their staff card and PIN. */
export const staffMembers: Readonly<Record<OperatorRole, { readonly card: string; readonly name: string; readonly pin: string }>> = {
  operator: { card: '3300017990000010', name: 'Operator Lin', pin: '271828' },
  supervisor: { card: '3300017990000028', name: 'Supervisor Wu', pin: '314159' },
  technician: { card: '3300017990000036', name: 'Technician Chang', pin: '161803' },
};

/** The operator service over the test store, with the staff of `roles` registered. */
export async function operatorsWith(t: TempStore, roles: readonly OperatorRole[] = operatorRoles): Promise<OperatorService> {
  const operators = createOperatorService(t.store, { clock: t.clock, pinCost: testPinCost });
  for (const role of roles) {
    const { card, name, pin } = staffMembers[role];
    await operators.addOperator({ staffCardNumber: card, name, role, pin, actorId: null });
  }
  return operators;
}

/** Taps the staff card of `role` on the counter reader and enters its PIN; the sign-in must be accepted. */
export async function signIn(counter: FakeCounter, controller: KioskController, role: OperatorRole): Promise<void> {
  counter.tap({ cardType: 'employee', cardNumber: staffMembers[role].card });
  await until(() => controller.snapshot().session.state === 'pin');
  expect(await controller.command({ type: 'enter-pin', pin: staffMembers[role].pin })).toEqual({ accepted: true });
}
