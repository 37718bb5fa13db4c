import { EventEmitter } from 'node:events';
import type { KioskBoard } from '../../../firmware/board';
import type { BillEvent, BillValidator, BillValidatorEvents } from '../../../hardware/bill-validator/types';
import type { LogSink } from '../../../shared/log';
import { err, ok } from '../../../shared/result';
import type { WalletTable } from '../store/wallet-types';
import type { BillFact } from '../self-service/own-card';

/**
 * The I/O board's pulse acceptor as the cash machine's validator. A pulse acceptor has no escrow: a
 * note is in the cash box before the board reports it, and it cannot refuse one denomination. So
 * a visit's note is reported to the cash machine as in escrow and stacked at once (journaled, then
 * credited); there is nothing to route (a note over the cap cannot be given back: the credit is
 * refused and it becomes an exception for staff). The loss window of a pulse acceptor (README):
 * a crash between the last pulse and the journal leaves a note taken with nothing on record.
 */
export function pulseAsValidator(board: Pick<KioskBoard, 'setCashInhibit'>): BillValidator {
  const emitter = new EventEmitter();
  const closed = { kind: 'closed', message: 'a pulse acceptor has no ccTalk' } as const;
  return {
    identify: async () => err(closed),
    // All or nothing: the acceptor cannot inhibit one denomination.
    accept: async () => ok(undefined),
    inhibitAll: async (inhibit) => {
      const set = board.setCashInhibit(inhibit);
      return set.ok ? ok(undefined) : err({ kind: 'closed', message: 'the I/O board is away' });
    },
    route: async () => ok(undefined),
    readBuffer: async () => err(closed),
    lastCounter: () => null,
    on: <E extends keyof BillValidatorEvents>(event: E, listener: BillValidatorEvents[E]) => void emitter.on(event, listener),
    off: <E extends keyof BillValidatorEvents>(event: E, listener: BillValidatorEvents[E]) => void emitter.off(event, listener),
    close: async () => {},
  };
}

/**
 * A pulse note during a visit, as the cash machine hears it: in escrow and stacked in one breath,
 * at the amount that certainly was pulsed. An ambiguous train (`irregular`, `maxAmount` above the
 * amount) also says how much more may have been taken, for a supervisor: never credited on a guess.
 */
export function pulseNoteEvents(note: { amount: number; sequence: number; irregular?: boolean; maxAmount?: number }): BillFact[] {
  const counter = (note.sequence % 255) + 1;
  const escrow: BillEvent = { kind: 'escrow', counter, billType: 0, value: note.amount };
  const stacked: BillEvent = { kind: 'stacked', counter, billType: 0, value: note.amount };
  // A NT$0 note (a glitch) credits nothing: only its doubt is told.
  const events: BillFact[] = note.amount > 0 ? [{ type: 'bill.event', event: escrow }, { type: 'bill.event', event: stacked }] : [];
  const maxAmount = note.maxAmount ?? note.amount;
  if (note.irregular || maxAmount > note.amount) {
    events.push({ type: 'bill.uncertain', amount: Math.max(0, maxAmount - note.amount), details: { sequence: note.sequence, certain: note.amount, maxAmount, irregular: note.irregular ?? false } });
  }
  return events;
}

/** At start: a pulse note journaled before a crash was taken (the pulses came first): it is credited once. */
export async function settlePulseJournal(wallet: Pick<WalletTable, 'openJournal' | 'creditStacked' | 'raiseException'>, cap: number, log: LogSink): Promise<void> {
  const row = await wallet.openJournal('pulse');
  if (!row) return;
  const credited = await wallet.creditStacked({ journalId: row.id, stackedCounter: null, cap });
  if (credited.ok || credited.error.kind === 'already_closed') {
    log({ eventId: 'cash-journal-settled', disposition: 'success', message: `a pulse note of NT$${row.amount} (card …${row.cardNumber.slice(-4)}) journaled before the restart: credited`, journalId: row.id });
    return;
  }
  await wallet.raiseException({ kind: 'note-unknown', cardNumber: row.cardNumber, journalId: row.id, amount: row.amount, details: { reason: `pulse note, credit refused: ${credited.error.kind}` } });
  log({ eventId: 'cash-journal-settled', disposition: 'failure', message: `a pulse note of NT$${row.amount} (card …${row.cardNumber.slice(-4)}) could not be credited: an exception for staff`, journalId: row.id });
}
