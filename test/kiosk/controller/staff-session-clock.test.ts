import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { OperatorService } from '../../../kiosk/controller/auth/operator-service';
import { createStaffSession, type StaffSession } from '../../../kiosk/controller/staff-session';
import { fakeCounter, until, type FakeCounter } from './fake-counter';
import { masterKey, operatorsWith, staffMembers } from './staff-fixture';
import { openTempStore, type TempStore } from './store/temp-store';

/** The staff session over its machine: time is the injected clock's, and every command gets an answer. */
describe('the staff session on its machine', () => {
  let t: TempStore;
  let operators: OperatorService;
  let staff: StaffSession;
  let counter: FakeCounter;
  let timers: SimulatedClock;
  let sessionsEnded: number;

  beforeEach(async () => {
    t = await openTempStore();
    operators = await operatorsWith(t);
    counter = fakeCounter({ masterKey });
    timers = new SimulatedClock();
    sessionsEnded = 0;
    staff = createStaffSession({ operators, counter: counter.station, chipMasterKey: masterKey, log: () => {}, timers, onSignedOut: () => (sessionsEnded += 1) });
  });
  afterEach(async () => {
    staff.stop();
    await t.cleanup();
  });

  const tapAndType = async (role: 'operator' | 'supervisor'): Promise<void> => {
    counter.tap({ cardType: 'employee', cardNumber: staffMembers[role].card });
    await until(() => staff.view().state === 'pin' || staff.view().approval?.state === 'pin');
  };

  it('locks on the injected clock alone: nothing polls the wall clock or the store clock', async () => {
    await tapAndType('operator');
    expect(await staff.enterPin(staffMembers.operator.pin)).toEqual({ accepted: true });
    timers.increment(3 * 60_000 - 30_000);
    expect(staff.view().idleSecondsLeft).toBe(30);
    timers.increment(30_000);
    await until(() => staff.view().message !== null);
    expect(staff.view()).toMatchObject({ state: 'signed-out', message: { code: 'staff.idle-locked', params: {} } });
    expect(operators.current()).toBeNull();
    expect(sessionsEnded).toBe(1);
    expect((await t.store.readAudit()).map((entry) => entry.eventId)).toContain('auth-idle-lock');
  });

  it("answers a supervisor's PIN cut short by a sign-out, and never performs the action after it", async () => {
    await tapAndType('operator');
    expect(await staff.enterPin(staffMembers.operator.pin)).toEqual({ accepted: true });
    let performed = 0;
    staff.requestApproval('override-photo', async () => {
      performed += 1;
      return { accepted: true };
    });
    await tapAndType('supervisor');
    const pin = staff.enterPin(staffMembers.supervisor.pin);
    expect(await staff.signOut()).toEqual({ accepted: true });
    expect(await pin).toMatchObject({ accepted: false, code: 'other' });
    expect(staff.view()).toMatchObject({ state: 'signed-out', approval: null });
    // Let the store's approval (a slow PIN hash) finish: nothing is done with it.
    const approvalWritten = async (): Promise<boolean> => (await t.store.readAudit()).some((entry) => entry.eventId === 'auth-supervisor-approval');
    for (let i = 0; i < 500 && !(await approvalWritten()); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await approvalWritten()).toBe(true);
    expect(performed).toBe(0);
  });

  it('refuses a sign-out while a PIN is still being checked, so nobody ends up signed in after it', async () => {
    await tapAndType('operator');
    const pin = staff.enterPin(staffMembers.operator.pin);
    expect(await staff.signOut()).toMatchObject({ accepted: false, code: 'other', reason: expect.stringMatching(/PIN is being checked/) });
    expect(await pin).toEqual({ accepted: true });
    expect(staff.view().state).toBe('signed-in');
  });
});
