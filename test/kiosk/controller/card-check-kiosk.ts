import { createCardCheck, type CardCheck } from '../../../kiosk/controller/card-check';
import type { OperatorService } from '../../../kiosk/controller/auth/operator-service';
import { DeviceStatusBoard } from '../../../kiosk/controller/device-status';
import { issuanceMachine } from '../../../kiosk/controller/issuance/issuance-machine';
import { createKioskController, type KioskController } from '../../../kiosk/controller/kiosk-controller';
import { createStaffSession, type StaffSession } from '../../../kiosk/controller/staff-session';
import { fakeCounter, type FakeCounter } from './fake-counter';
import { masterKey, operatorsWith } from './staff-fixture';
import { issuance, openTempStore, type TempStore } from './store/temp-store';

/**
 * A staffed kiosk's controller with staff sign-in and the card check on a fake counter reader (real
 * chip records and MACs), over a test store that has issued `cardNumber`. The card check runs for
 * anyone signed in, so that a technician's command reaches the decision with the card on show.
 */
export interface CardCheckKiosk {
  readonly t: TempStore;
  readonly operators: OperatorService;
  readonly staff: StaffSession;
  readonly cardCheck: CardCheck;
  readonly controller: KioskController;
  readonly counter: FakeCounter;
  stop(): Promise<void>;
}

export async function cardCheckKiosk(cardNumber: string): Promise<CardCheckKiosk> {
  const t = await openTempStore();
  const operators = await operatorsWith(t);
  await t.store.recordIssuance(issuance({ cardNumber }));
  const counter = fakeCounter({ masterKey });
  const staff = createStaffSession({ operators, counter: counter.station, chipMasterKey: masterKey, log: () => {} });
  const cardCheck = createCardCheck({ counter: counter.station, store: t.store, chipMasterKey: masterKey, active: () => operators.current() !== null && staff.view().approval === null });
  const devices = new DeviceStatusBoard({ printer: true, scanner: true, nfc: true, board: true });
  const controller = createKioskController(issuanceMachine, devices, () => {}, { session: { staff, operators }, cardCheck });
  return {
    t, operators, staff, cardCheck, controller, counter,
    async stop() {
      controller.stop();
      cardCheck.stop();
      staff.stop();
      await t.cleanup();
    },
  };
}
