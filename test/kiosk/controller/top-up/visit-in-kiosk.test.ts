import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import type { KioskBoard } from '../../../../firmware/board';
import { issuanceMachine } from '../../../../kiosk/controller/issuance/issuance-machine';
import { kioskMachine, kioskRegions } from '../../../../kiosk/controller/machine/kiosk-machine';
import { serviceClosure } from '../../../../kiosk/controller/machine/service-machine';
import { serviceRegion, type ServiceRegionRef } from '../../../../kiosk/controller/machine/service-glue';
import { bindSelfService, counterRegion, type CounterRegionRef } from '../../../../kiosk/controller/self-service/own-card';
import { staffRegion } from '../../../../kiosk/controller/staff-session';
import { ok } from '../../../../shared/result';
import { fakeCounter, until } from '../fake-counter';
import { masterKey, operatorsWith } from '../staff-fixture';
import { issuance, openTempStore, type TempStore } from '../store/temp-store';
import { fakeValidator } from './fake-validator';

const mine = '3300011300000015';
const fakeBoard = (): KioskBoard => Object.assign(new EventEmitter(), { doorOpen: false, clearTamper: () => ok(undefined) }) as unknown as KioskBoard;

/** The visit inside the kiosk's root machine: a validator fault in the cash machine reaches the service region. */
describe('a top-up visit in the kiosk root machine', () => {
  let t: TempStore;
  let stop = (): void => {};
  beforeEach(async () => {
    t = await openTempStore();
    await t.store.recordIssuance(issuance({ cardNumber: mine }));
  });
  afterEach(async () => {
    stop();
    await t.cleanup();
  });

  it('an unsafe jam during a visit: an exception, the service region closes the kiosk (cash-fault), the screen says the note is in doubt', async () => {
    const operators = await operatorsWith(t, ['operator']);
    const counter = fakeCounter({ masterKey });
    const fake = fakeValidator();
    const timers = new SimulatedClock();
    const log = (): void => {};
    const staffLogic = staffRegion({ operators, log, timers });
    const serviceLogic = serviceRegion({ board: fakeBoard(), latched: null, unattended: true, store: t.store, log, onReleased: () => {}, audit: async (input) => void (await t.store.appendAudit(input)) });
    const options = {
      counter: counter.station, chipMasterKey: masterKey, clock: t.clock, log,
      cardStatus: async (cardNumber: string) => (await t.store.cardByNumber(cardNumber))?.status ?? null,
      topUp: {
        wallet: t.store.wallet, validator: fake.validator, cap: 10_000, accepted: [100, 500, 1000], cash: () => 'ready' as const,
        signReceipt: async () => { throw new Error('no receipt in this test'); },
      },
    };
    const counterLogic = counterRegion(options);
    const kiosk = createActor(kioskMachine.provide({ actors: { staff: staffLogic.logic, service: serviceLogic.logic, issuance: issuanceMachine, counter: counterLogic.logic } }), {
      clock: timers,
      input: { staff: staffLogic.input, service: serviceLogic.input, counter: counterLogic.input, issuance: { now: () => t.clock.now().getTime() } },
    });
    kiosk.start();
    const service = kiosk.system.get(kioskRegions.service) as ServiceRegionRef;
    const selfService = bindSelfService(kiosk.system.get(kioskRegions.counter) as CounterRegionRef, options);
    stop = () => {
      selfService.stop();
      kiosk.stop();
    };
    service.send({ type: 'board.connected' });

    counter.tap({ cardNumber: mine, balance: 0, counter: 0 });
    await until(() => selfService.view().state === 'card');
    expect(selfService.topUp({ type: 'top-up-start' })).toEqual({ accepted: true });
    await until(() => fake.calls.includes('enable'));
    selfService.bill({ type: 'bill.event', event: fake.escrow(500) });
    await until(() => fake.calls.includes('route stack'));
    selfService.bill({ type: 'bill.event', event: fake.status('jam-transport-unsafe') });
    await until(() => selfService.view().state === 'out-of-service');
    expect(selfService.view()).toEqual({ state: 'out-of-service', reason: 'cash-fault', money: { credited: 0, returned: 0, inDoubt: 500, last4: '0015' } });
    expect(serviceClosure(service.getSnapshot())).toBe('cash-fault');
    expect(await t.store.wallet.exceptions({ open: true })).toEqual([expect.objectContaining({ kind: 'note-unsafe-jam', amount: 500 })]);
    expect((await t.store.wallet.walletOf(mine)).balance).toBe(0);
    expect(fake.calls.at(-1)).toBe('inhibit');
  });
});
