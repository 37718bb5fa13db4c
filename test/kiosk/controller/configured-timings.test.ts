import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { OperatorService } from '../../../kiosk/controller/auth/operator-service';
import { loadConfig } from '../../../kiosk/controller/config';
import { cardJobMachine } from '../../../kiosk/controller/issuance/card-job-machine';
import { defaultCounterDelays } from '../../../kiosk/controller/machine/counter-machine';
import { defaultStaffTiming } from '../../../kiosk/controller/machine/staff-machine';
import { createSelfService, type SelfService } from '../../../kiosk/controller/self-service/own-card';
import { createStaffSession, type StaffSession } from '../../../kiosk/controller/staff-session';
import { counterDelaysFrom, defaultTimings, issuanceDelaysFrom, staffTimingFrom, type Timings } from '../../../kiosk/controller/timings';
import { fakeCounter, until, type FakeCounter } from './fake-counter';
import { masterKey, operatorsWith, staffMembers } from './staff-fixture';
import { issuance, openTempStore, type TempStore } from './store/temp-store';

const mine = '3300011300000015';

/**
 * The timings of kiosk.config.json reach the machines' named delays as the composition root wires
 * them (main.ts), each on XState's `SimulatedClock`; every value here is not the default, so a
 * timer still on its default fails.
 */
describe('the configured timings drive the named delays', () => {
  let t: TempStore;
  let timers: SimulatedClock;
  let counter: FakeCounter;

  /** The timings a kiosk reads from a kiosk.config.json holding `timings`. */
  const configured = (timings: Partial<Timings>): Timings => {
    writeFileSync(join(t.dir, 'kiosk.config.json'), JSON.stringify({ timings }));
    return loadConfig({ KIOSK_DATA_DIR: t.dir, KIOSK_SIMULATE: '1' }).timings;
  };

  beforeEach(async () => {
    t = await openTempStore();
    timers = new SimulatedClock();
    counter = fakeCounter({ masterKey });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it("the defaults are the machines' own, so a kiosk without timings behaves as before", () => {
    expect(staffTimingFrom(defaultTimings)).toEqual(defaultStaffTiming);
    expect(counterDelaysFrom(defaultTimings)).toEqual(defaultCounterDelays);
    expect(issuanceDelaysFrom(defaultTimings)).toEqual({ handOverTimeout: cardJobMachine.implementations.delays['handOverTimeout'] });
  });

  describe('staff session', () => {
    let operators: OperatorService;
    let staff: StaffSession;
    beforeEach(async () => {
      operators = await operatorsWith(t, ['operator']);
      staff = createStaffSession({
        operators, counter: counter.station, chipMasterKey: masterKey, log: () => {}, timers,
        timing: staffTimingFrom(configured({ idleLockSeconds: 60, idleWarningSeconds: 20 })),
      });
      counter.tap({ cardType: 'employee', cardNumber: staffMembers.operator.card });
      await until(() => staff.view().state === 'pin');
      expect(await staff.enterPin(staffMembers.operator.pin)).toEqual({ accepted: true });
    });
    afterEach(() => staff.stop());

    it('idleLock: a kiosk configured with a 60 s lock locks at 60 s, not 180 s', async () => {
      timers.increment(60_000 - 1);
      expect(staff.view().state).toBe('signed-in');
      timers.increment(1);
      await until(() => staff.view().message !== null);
      expect(staff.view()).toMatchObject({ state: 'signed-out', message: { code: 'staff.idle-locked', params: {} } });
      expect(operators.current()).toBeNull();
    });

    it('idleWarning: configured 20 s before a 60 s lock, the warning shows at 40 s with 20 s left', () => {
      timers.increment(40_000 - 1);
      expect(staff.view().idleSecondsLeft).toBeNull();
      timers.increment(1);
      expect(staff.view().idleSecondsLeft).toBe(20);
    });
  });

  describe('self-service', () => {
    let selfService: SelfService;
    beforeEach(async () => {
      await t.store.recordIssuance(issuance({ cardNumber: mine }));
      selfService = createSelfService({
        counter: counter.station, chipMasterKey: masterKey, clock: t.clock, log: () => {}, timers,
        cardStatus: async (cardNumber) => (await t.store.cardByNumber(cardNumber))?.status ?? null,
        delays: counterDelaysFrom(configured({ ownCardShownSeconds: 10, problemShownSeconds: 45 })),
      });
    });
    afterEach(() => selfService.stop());

    it('ownCardShown: configured 10 s, a tapped card leaves the screen at 10 s, not 30 s', async () => {
      counter.tap({ cardNumber: mine });
      await until(() => selfService.view().state === 'card');
      expect(selfService.view()).toMatchObject({ state: 'card', showSeconds: 10 });
      timers.increment(10_000 - 1);
      expect(selfService.view().state).toBe('card');
      timers.increment(1);
      expect(selfService.view()).toEqual({ state: 'ready' });
    });

    it('problemShown: configured 45 s, a problem message stays 45 s (not the card\'s 10 s, not 30 s)', async () => {
      counter.tapPhone();
      await until(() => selfService.view().state === 'problem');
      timers.increment(45_000 - 1);
      expect(selfService.view()).toEqual({ state: 'problem', problem: 'not-a-citizen-card' });
      timers.increment(1);
      expect(selfService.view()).toEqual({ state: 'ready' });
    });
  });
});
