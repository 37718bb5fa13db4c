import { eventsSince } from '../../../hardware/bill-validator/protocol';
import type { BillEventBuffer, BillStatus, BillValidator } from '../../../hardware/bill-validator/types';
import { waitOn, type Timers } from '../../../shared/clock';
import type { LogSink } from '../../../shared/log';
import type { JournalRow, WalletExceptionKind, WalletTable } from '../store/wallet-types';

/**
 * Restart settlement (ISSUE15 "Restart settlement"): before the validator takes a note again, the
 * open journal row (at most one) is settled from the validator's event buffer — stacked ⇒ credited
 * once; returned or refused ⇒ closed unpaid; nothing after its escrow ⇒ the note may still be in
 * escrow, so it is sent back and the buffer polled until it says where the note went. A restarted
 * validator (counter 0), a gap of more than five events or an unsafe jam is an exception for staff
 * and keeps the kiosk out of service: the kiosk never guesses whose the money is.
 */

export type SettlementOutcome =
  | { readonly kind: 'nothing-open' }
  /** Stacked before the restart: credited now (the card's mirror waits for its next tap). */
  | { readonly kind: 'credited'; readonly journalId: string; readonly amount: number; readonly last4: string }
  /** Returned or refused before the restart: closed, nothing credited. */
  | { readonly kind: 'returned'; readonly journalId: string; readonly amount: number; readonly last4: string }
  /** Still in escrow at the restart: given back now, nothing credited. */
  | { readonly kind: 'sent-back'; readonly journalId: string; readonly amount: number; readonly last4: string }
  | { readonly kind: 'exception'; readonly exception: WalletExceptionKind; readonly journalId: string | null; readonly amount: number | null; readonly last4: string | null };

export interface SettleOptions {
  readonly validator: Pick<BillValidator, 'readBuffer' | 'route'>;
  readonly wallet: Pick<WalletTable, 'openJournal' | 'creditStacked' | 'closeReturned' | 'raiseException'>;
  readonly cap: number;
  readonly log: LogSink;
  /** The injected clock the polls wait on. */
  readonly timers: Timers;
  /** Between polls of the buffer after "return" (default 200 ms). */
  readonly pollMs?: number;
  /** How many polls before the note is in doubt (default 50: ten seconds, past any escrow timeout). */
  readonly polls?: number;
}

/** The statuses that mean the note was never taken. */
const notTaken: readonly BillStatus[] = ['returned', 'invalid-validation', 'invalid-transport', 'inhibited-serial', 'inhibited-dip', 'pulled-backwards', 'fraud-opto', 'fraud-string', 'jam-transport-safe'];

/** Steps from counter `from` to counter `to` (1…255, wrapping to 1; 0 is a restart, never a step). */
export function counterSteps(from: number, to: number): number {
  return (((to - from) % 255) + 255) % 255;
}

/** What the buffer says of the note journaled at `escrowCounter`: only events after it count. */
export function fateIn(buffer: BillEventBuffer, row: Pick<JournalRow, 'escrowCounter' | 'billType'>):
  | { readonly kind: 'stacked'; readonly counter: number }
  | { readonly kind: 'not-taken'; readonly status: BillStatus }
  | { readonly kind: 'unsafe-jam' }
  | { readonly kind: 'restarted' }
  | { readonly kind: 'events-lost'; readonly gap: number }
  | { readonly kind: 'none' } {
  // The events after the note's escrow, by the validator's counter (across its wrap from 255 to 1).
  const news = eventsSince(row.escrowCounter ?? 0, buffer);
  if (news.kind === 'break') {
    return news.break.kind === 'restarted' ? { kind: 'restarted' } : { kind: 'events-lost', gap: counterSteps(row.escrowCounter ?? 0, buffer.counter) };
  }
  for (const event of news.events) {
    if (event.kind === 'stacked' && event.billType === row.billType) return { kind: 'stacked', counter: event.counter };
    if (event.kind === 'status' && event.status === 'jam-transport-unsafe') return { kind: 'unsafe-jam' };
    if (event.kind === 'status' && notTaken.includes(event.status)) return { kind: 'not-taken', status: event.status };
  }
  return { kind: 'none' };
}

export async function settleJournal(options: SettleOptions): Promise<SettlementOutcome> {
  const { validator, wallet, log } = options;
  const row = await wallet.openJournal('cctalk');
  if (!row) {
    await sendBackUnjournaledNote(validator, log);
    return { kind: 'nothing-open' };
  }
  const last4 = row.cardNumber.slice(-4);
  const raise = async (exception: WalletExceptionKind, details: Record<string, string | number | boolean | null>): Promise<SettlementOutcome> => {
    await wallet.raiseException({ kind: exception, cardNumber: row.cardNumber, journalId: row.id, amount: row.amount, details: { ...details, settledAtRestart: true } });
    log({ eventId: 'cash-journal-settled', disposition: 'failure', message: `note of NT$${row.amount} (card …${last4}) in doubt at restart: ${exception}`, journalId: row.id, outcome: exception });
    return { kind: 'exception', exception, journalId: row.id, amount: row.amount, last4 };
  };
  const settled = (outcome: SettlementOutcome, words: string): SettlementOutcome => {
    log({ eventId: 'cash-journal-settled', disposition: 'success', message: `note of NT$${row.amount} (card …${last4}) ${words}`, journalId: row.id, outcome: outcome.kind });
    return outcome;
  };
  const credit = async (counter: number): Promise<SettlementOutcome> => {
    const credited = await wallet.creditStacked({ journalId: row.id, stackedCounter: counter, cap: options.cap });
    if (!credited.ok && credited.error.kind !== 'already_closed') return raise('note-unknown', { reason: `stacked, credit refused: ${credited.error.kind}` });
    return settled({ kind: 'credited', journalId: row.id, amount: row.amount, last4 }, 'stacked before the restart: credited');
  };
  const closeReturned = async (reason: string, kind: 'returned' | 'sent-back'): Promise<SettlementOutcome> => {
    const closed = await wallet.closeReturned(row.id, reason);
    if (!closed.ok && closed.error.kind !== 'already_closed') throw new Error(`closeReturned: ${closed.error.kind}`);
    return settled({ kind, journalId: row.id, amount: row.amount, last4 }, kind === 'returned' ? `returned before the restart (${reason})` : 'still in escrow: given back');
  };

  const read = await validator.readBuffer();
  if (!read.ok) return raise('note-unknown', { reason: `validator buffer unreadable: ${read.error.kind}` });
  const fate = fateIn(read.value, row);
  switch (fate.kind) {
    case 'stacked':
      return credit(fate.counter);
    case 'not-taken':
      return closeReturned(fate.status, 'returned');
    case 'unsafe-jam':
      return raise('note-unsafe-jam', {});
    case 'restarted':
      return raise('validator-restarted', { escrowCounter: row.escrowCounter });
    case 'events-lost':
      return raise('events-lost', { escrowCounter: row.escrowCounter, counter: read.value.counter });
    case 'none':
      break;
  }

  // Nothing after its escrow: the note may still be there. It goes back (its citizen is gone); never stacked.
  const sent = await validator.route('return');
  if (!sent.ok && sent.error.kind !== 'escrow_empty') log({ eventId: 'cash-journal-settled', disposition: 'failure', message: `return at restart: ${sent.error.kind}`, journalId: row.id });
  const polls = options.polls ?? 50;
  for (let poll = 0; poll < polls; poll += 1) {
    await waitOn(options.timers, options.pollMs ?? 200);
    const again = await validator.readBuffer();
    if (!again.ok) continue;
    const now = fateIn(again.value, row);
    if (now.kind === 'stacked') return credit(now.counter);
    if (now.kind === 'not-taken') return closeReturned(now.status, 'sent-back');
    if (now.kind === 'unsafe-jam') return raise('note-unsafe-jam', {});
    if (now.kind === 'restarted') return raise('validator-restarted', { escrowCounter: row.escrowCounter });
    if (now.kind === 'events-lost') return raise('events-lost', { escrowCounter: row.escrowCounter, counter: again.value.counter });
  }
  return raise('note-unknown', { reason: 'no report after return at restart' });
}

/** The kiosk stays out of service after these: staff must look before a note is taken again. */
export function closesKiosk(outcome: SettlementOutcome): 'cash-events-lost' | 'cash-fault' | null {
  if (outcome.kind !== 'exception') return null;
  return outcome.exception === 'events-lost' || outcome.exception === 'validator-restarted' ? 'cash-events-lost' : 'cash-fault';
}

/**
 * A crash between the validator's escrow report and its journal row leaves a note in escrow that the
 * journal does not know: its citizen is gone, so it goes back now rather than at the validator's own
 * escrow timeout. Nothing was journaled or credited for it.
 */
async function sendBackUnjournaledNote(validator: Pick<BillValidator, 'readBuffer' | 'route'>, log: LogSink): Promise<void> {
  const read = await validator.readBuffer();
  if (!read.ok) return;
  const newest = read.value.events.at(-1);
  if (newest?.kind !== 'escrow') return;
  const sent = await validator.route('return');
  log({
    eventId: 'cash-journal-settled',
    disposition: sent.ok || sent.error.kind === 'escrow_empty' ? 'success' : 'failure',
    message: `a note of NT$${newest.value} in escrow with no journal row at restart: ${sent.ok ? 'given back' : sent.error.kind}`,
    outcome: 'unjournaled-sent-back',
  });
}
