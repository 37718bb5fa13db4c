import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActor, SimulatedClock, waitFor, type InspectionEvent } from 'xstate';
import type { KioskBoard } from '../../../../firmware/board';
import type { OperatorService } from '../../../../kiosk/controller/auth/operator-service';
import { issuanceMachine } from '../../../../kiosk/controller/issuance/issuance-machine';
import { kioskMachine, kioskRegions } from '../../../../kiosk/controller/machine/kiosk-machine';
import { serviceRegion, type ServiceRegionRef } from '../../../../kiosk/controller/machine/service-glue';
import type { TamperCause } from '../../../../kiosk/controller/machine/service-machine';
import { bindSelfService, counterRegion, type CounterRegionRef, type SelfService } from '../../../../kiosk/controller/self-service/own-card';
import { staffRegion, type StaffRegionRef } from '../../../../kiosk/controller/staff-session';
import { ok } from '../../../../shared/result';
import { fakeCounter, until, type FakeCounter } from '../fake-counter';
import { masterKey, operatorsWith, staffMembers } from '../staff-fixture';
import { issuance, openTempStore, type TempStore } from '../store/temp-store';

const mine = '3300011300000015';

/** Only what the service region reads of the board: its own latch's reset. */
const fakeBoard = (): KioskBoard => Object.assign(new EventEmitter(), { doorOpen: false, clearTamper: () => ok(undefined) }) as unknown as KioskBoard;

/**
 * The kiosk's root machine with its real staff, service and counter regions (as main.ts starts it):
 * what the counter region knows of staff and of the service it hears from them as events, through
 * the actor system — nothing asks them for it.
 */
describe('the kiosk root machine: the staff and service regions tell the counter region', () => {
  let t: TempStore;
  let operators: OperatorService;
  let counter: FakeCounter;
  let stop = (): void => {};
  beforeEach(async () => {
    t = await openTempStore();
    operators = await operatorsWith(t, ['operator', 'technician']);
    await t.store.recordIssuance(issuance({ cardNumber: mine }));
    counter = fakeCounter({ masterKey });
  });
  afterEach(async () => {
    stop();
    await t.cleanup();
  });

  const start = (options: { unattended?: boolean; latched?: TamperCause | null; timers?: SimulatedClock } = {}) => {
    const unattended = options.unattended ?? true;
    const log = (): void => {};
    const { timers } = options;
    const staffLogic = staffRegion({ operators, log, ...(timers ? { timers } : {}) });
    const serviceLogic = serviceRegion({
      board: fakeBoard(), latched: options.latched ?? null, unattended, store: t.store, log, onReleased: () => {},
      audit: async (input) => void (await t.store.appendAudit(input)),
    });
    const counterLogic = unattended
      ? counterRegion({ counter: counter.station, chipMasterKey: masterKey, clock: t.clock, log, cardStatus: async (cardNumber) => (await t.store.cardByNumber(cardNumber))?.status ?? null })
      : null;
    /** Every fact a region told the counter region (or would have told to nobody). */
    const told: Array<{ to: string | undefined; type: string }> = [];
    const kiosk = createActor(
      kioskMachine.provide({ actors: { staff: staffLogic.logic, service: serviceLogic.logic, issuance: issuanceMachine, ...(counterLogic ? { counter: counterLogic.logic } : {}) } }),
      {
        ...(timers ? { clock: timers } : {}),
        input: { staff: staffLogic.input, service: serviceLogic.input, counter: counterLogic?.input ?? null, issuance: { now: () => t.clock.now().getTime() } },
        inspect: (inspection: InspectionEvent) => {
          if (inspection.type === '@xstate.event' && /^(staff|service)\.(present|away|out|in)$/.test(inspection.event.type)) {
            told.push({ to: (inspection.actorRef as { id?: string }).id, type: inspection.event.type });
          }
        },
      },
    );
    kiosk.start();
    const staff = kiosk.system.get(kioskRegions.staff) as StaffRegionRef;
    const service = kiosk.system.get(kioskRegions.service) as ServiceRegionRef;
    const counterActor = kiosk.system.get(kioskRegions.counter) as CounterRegionRef | undefined;
    const selfService: SelfService | null = counterActor ? bindSelfService(counterActor, { counter: counter.station }) : null;
    stop = () => {
      selfService?.stop();
      kiosk.stop();
    };
    return { staff, service, counter: counterActor, selfService, told };
  };

  const signIn = async (staff: StaffRegionRef): Promise<void> => {
    staff.send({ type: 'staffCard', cardNumber: staffMembers.operator.card });
    staff.send({ type: 'pin', pin: staffMembers.operator.pin });
    await waitFor(staff, (snapshot) => snapshot.matches('signedIn'));
  };

  const cardShown = async (selfService: SelfService): Promise<void> => {
    counter.tap({ cardNumber: mine, balance: 420 });
    await until(() => selfService.view().state === 'card');
    expect(selfService.view()).toMatchObject({ state: 'card', card: { last4: '0015', balance: 420 } });
  };

  /** What the counter region holds of a citizen's card: nothing, once it is forgotten. */
  const holds = (region: CounterRegionRef | undefined): unknown => region?.getSnapshot().context.card ?? null;

  it('starts from the service region\'s facts: closed until the I/O board has connected, then open to citizens', () => {
    const { service, selfService } = start();
    expect(selfService?.view()).toEqual({ state: 'out-of-service', reason: 'board-disconnected' });
    service.send({ type: 'board.connected' });
    expect(selfService?.view()).toEqual({ state: 'ready' });
  });

  it('a latch kept across a restart keeps the counter closed from the start, even once the board is back', () => {
    const { service, selfService } = start({ latched: 'door-opened' });
    service.send({ type: 'board.connected' });
    expect(selfService?.view()).toEqual({ state: 'out-of-service', reason: 'tamper' });
  });

  it('a card on show is forgotten the moment a staff card is tapped; signed in, the counter stays aside; signed out, it reopens empty', async () => {
    const { staff, service, counter: region, selfService, told } = start();
    service.send({ type: 'board.connected' });
    if (!selfService) throw new Error('no counter region');
    await cardShown(selfService);

    staff.send({ type: 'staffCard', cardNumber: staffMembers.operator.card });
    expect(holds(region)).toBeNull();
    expect(region?.getSnapshot().value).toBe('staffAtCounter');
    expect(selfService.view()).toEqual({ state: 'ready' });
    staff.send({ type: 'pin', pin: staffMembers.operator.pin });
    await waitFor(staff, (snapshot) => snapshot.matches('signedIn'));
    expect(region?.getSnapshot().value).toBe('staffAtCounter');

    staff.send({ type: 'signOut' });
    await waitFor(staff, (snapshot) => snapshot.matches('signedOut'));
    expect(region?.getSnapshot().value).toEqual({ selfService: 'ready' });
    expect(selfService.view()).toEqual({ state: 'ready' });
    // Told once each way, and only to the counter region.
    expect(told.filter((fact) => fact.type.startsWith('staff.'))).toEqual([{ to: 'counter', type: 'staff.present' }, { to: 'counter', type: 'staff.away' }]);
  });

  it('a PIN given up, a staff card refused for good, and a session locked while idle give the counter back to citizens', async () => {
    const timers = new SimulatedClock();
    const { staff, service, counter: region } = start({ timers });
    service.send({ type: 'board.connected' });
    staff.send({ type: 'staffCard', cardNumber: staffMembers.operator.card });
    expect(region?.getSnapshot().value).toBe('staffAtCounter');
    staff.send({ type: 'cancel' });
    expect(region?.getSnapshot().value).toEqual({ selfService: 'ready' });

    // A card the kiosk does not know: no PIN may be typed again on it.
    staff.send({ type: 'staffCard', cardNumber: '3300017990000044' });
    staff.send({ type: 'pin', pin: '123456' });
    await waitFor(staff, (snapshot) => snapshot.matches('signedOut'));
    expect(region?.getSnapshot().value).toEqual({ selfService: 'ready' });

    await signIn(staff);
    expect(region?.getSnapshot().value).toBe('staffAtCounter');
    timers.increment(staff.getSnapshot().context.timing.idleMs);
    await waitFor(staff, (snapshot) => snapshot.matches('signedOut'));
    expect(region?.getSnapshot().value).toEqual({ selfService: 'ready' });
  });

  it('a card on show is forgotten the moment the door is opened; the kiosk reopens only once a technician clears the latch', async () => {
    const { service, counter: region, selfService } = start();
    service.send({ type: 'board.connected' });
    if (!selfService) throw new Error('no counter region');
    await cardShown(selfService);

    service.send({ type: 'door.opened' });
    expect(holds(region)).toBeNull();
    expect(selfService.view()).toEqual({ state: 'out-of-service', reason: 'tamper' });
    counter.tap({ cardNumber: mine });
    await waitFor(service, (snapshot) => snapshot.matches({ outOfService: 'closed' }));
    expect(selfService.view()).toEqual({ state: 'out-of-service', reason: 'tamper' });

    service.send({ type: 'tamper.clear', operatorId: 'T-1', door: 'shut' });
    await waitFor(service, (snapshot) => snapshot.matches('inService'));
    expect(selfService.view()).toEqual({ state: 'ready' });
  });

  it('a board lost while unattended closes the counter, then holds it closed as tampered when the board is back', () => {
    const { service, selfService } = start();
    service.send({ type: 'board.connected' });
    service.send({ type: 'board.lost' });
    expect(selfService?.view()).toEqual({ state: 'out-of-service', reason: 'board-disconnected' });
    service.send({ type: 'board.connected' });
    expect(selfService?.view()).toEqual({ state: 'out-of-service', reason: 'tamper' });
  });

  it('a staffed kiosk has no counter region: staff and service tell nobody (not themselves)', async () => {
    const { staff, service, counter: region, told } = start({ unattended: false });
    expect(region).toBeUndefined();
    await signIn(staff);
    service.send({ type: 'door.opened' });
    await waitFor(service, (snapshot) => snapshot.matches({ outOfService: 'closed' }));
    expect(told).toEqual([]);
  });
});
