import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OperatorService } from '../../../kiosk/controller/auth/operator-service';
import type { CardCheck } from '../../../kiosk/controller/card-check';
import type { KioskController } from '../../../kiosk/controller/kiosk-controller';
import { cardCheckKiosk, type CardCheckKiosk } from './card-check-kiosk';
import { until, type FakeCounter } from './fake-counter';
import { signIn } from './staff-fixture';
import type { TempStore } from './store/temp-store';

const citizenCard = '3300011300000015';

describe('every refusal the controller gives is audited once, with its code', () => {
  let kiosk: CardCheckKiosk;
  let t: TempStore;
  let operators: OperatorService;
  let cardCheck: CardCheck;
  let controller: KioskController;
  let counter: FakeCounter;

  beforeEach(async () => {
    kiosk = await cardCheckKiosk(citizenCard);
    ({ t, operators, cardCheck, controller, counter } = kiosk);
  });
  afterEach(() => kiosk.stop());

  const refusals = async () => (await t.store.readAudit()).filter((entry) => entry.eventId === 'auth-permission-refused').map((entry) => [entry.operatorId, entry.details]);
  const idOf = (name: string): string | undefined => operators.current()?.name === name ? operators.current()?.operatorId : undefined;

  it('by role, by the technician-only reset, and signing in first; not the refusals that are not about who (a card not on show, a step out of order)', async () => {
    expect(await controller.command({ type: 'start-application' })).toMatchObject({ accepted: false, code: 'sign-in-first' });
    // The same kind again within the minute, from nobody: folded into the next row of its kind.
    expect(await controller.command({ type: 'keep-alive' })).toMatchObject({ accepted: false, code: 'sign-in-first' });

    await signIn(counter, controller, 'technician');
    const technician = idOf('Technician Chang');
    // The screen offers the tamper reset (and no application) from the same decision.
    expect(controller.snapshot().session).toMatchObject({ mayClearTamper: true, mayStartApplication: false });
    counter.tap({ cardType: 'senior', cardNumber: citizenCard });
    await until(() => { const read = cardCheck.view(); return read?.verified === true && read.cardNumber === citizenCard; });
    expect(await controller.command({ type: 'start-application' })).toMatchObject({ accepted: false, code: 'role', role: 'technician' });
    expect(await controller.command({ type: 'void-card', cardNumber: citizenCard, reason: 'damaged' })).toMatchObject({ accepted: false, code: 'role', role: 'technician' });
    expect(await controller.command({ type: 'void-card', cardNumber: '3300011300000023', reason: 'damaged' })).toMatchObject({ accepted: false, code: 'tap-card-to-void' });
    expect(await controller.command({ type: 'take-over-job', jobId: 'job-1' })).toMatchObject({ accepted: false, code: 'role', role: 'technician' });
    // Allowed to a technician; this kiosk has no tamper switch, which is not a question of who.
    expect(await controller.command({ type: 'clear-tamper' })).toMatchObject({ accepted: false, code: 'other' });
    expect(await controller.command({ type: 'sign-out' })).toEqual({ accepted: true });

    await signIn(counter, controller, 'operator');
    const operator = idOf('Operator Lin');
    expect(controller.snapshot().session).toMatchObject({ mayClearTamper: false, mayStartApplication: true });
    expect(await controller.command({ type: 'clear-tamper' })).toMatchObject({ accepted: false, code: 'technician-only' });
    expect(await controller.command({ type: 'retry' })).toMatchObject({ accepted: false, code: 'wrong-screen' });

    expect(await refusals()).toEqual([
      [null, { command: 'start-application', code: 'sign-in-first', actor: 'nobody', reason: 'signed-out', folded: 0 }],
      [technician, { command: 'start-application', code: 'role', actor: 'technician', action: 'issue-card', reason: 'forbidden' }],
      [technician, { command: 'void-card', code: 'role', actor: 'technician', action: 'void-card', reason: 'forbidden' }],
      [technician, { command: 'take-over-job', code: 'role', actor: 'technician', action: 'take-over-job', reason: 'forbidden' }],
      [operator, { command: 'clear-tamper', code: 'technician-only', actor: 'operator', action: 'change-devices', reason: 'forbidden' }],
    ]);
  });
});
