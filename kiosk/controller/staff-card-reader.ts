import { deriveChipKeys } from '../../hardware/card-record/keys';
import type { CitizenCardStation } from '../../hardware/card-record/types';
import type { CardTap } from '../../hardware/nfc/types';
import type { LogSink } from '../../shared/log';
import type { StaffEvent } from './machine/staff-machine';
import { staffMessages } from './machine/staff-messages';

export interface StaffCardReaderOptions {
  readonly counter: CitizenCardStation;
  readonly chipMasterKey: Uint8Array;
  readonly log: LogSink;
  readonly send: (event: StaffEvent) => void;
}

/**
 * Device glue for the staff region: a card on the counter reader is read (a staff card is an employee
 * citizen card whose chip record verifies under the city's keys) and sent on as an event; the machine
 * decides whether it matters now. Returns the function that stops listening.
 */
export function watchStaffCards(options: StaffCardReaderOptions): () => void {
  const { counter, send } = options;
  const onTap = (tap: CardTap): void => {
    void readStaffCard(tap).then(send);
  };
  const onUnreadable = (): void => send({ type: 'cardsUnreadable' });

  async function readStaffCard(tap: CardTap): Promise<StaffEvent> {
    if (tap.kind !== 'mifare-classic-1k') return { type: 'cardRefused', message: staffMessages.notAStaffCard };
    const read = await counter.readRecord(deriveChipKeys(options.chipMasterKey, Buffer.from(tap.uid, 'hex')));
    if (!read.ok) {
      options.log({ eventId: 'auth-staff-card-unreadable', disposition: 'failure', message: read.error.kind });
      return { type: 'cardRefused', message: staffMessages.unverifiedCard };
    }
    if (read.value.record.cardType !== 'employee') return { type: 'cardRefused', message: staffMessages.citizenCard };
    return { type: 'staffCard', cardNumber: read.value.record.cardNumber };
  }

  counter.on('card', onTap);
  counter.on('cardUnreadable', onUnreadable);
  return () => {
    counter.off('card', onTap);
    counter.off('cardUnreadable', onUnreadable);
  };
}
