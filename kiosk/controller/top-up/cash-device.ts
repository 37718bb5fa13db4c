import type { BillBufferBreak, BillEvent, BillStatus, BillValidator } from '../../../hardware/bill-validator/types';
import { waitOn, type Timers } from '../../../shared/clock';
import type { CashClosure } from '../../../shared/contract/top-up';
import type { LogSink } from '../../../shared/log';
import type { ServiceEvent } from '../machine/service-machine';
import type { BillFact } from '../self-service/own-card';
import type { WalletTable } from '../store/wallet-types';
import { closesKiosk, settleJournal, type SettlementOutcome } from './settle-journal';

/**
 * The ccTalk validator between the composition root and the kiosk's regions: at start the cash
 * journal is settled from its buffer before it takes a note (and it stays inhibited); then its
 * events go to the open visit, if any, and its faults to the service region. Outside a visit no
 * note is ever taken: one reported in escrow anyway is sent back, one stacked is an exception.
 */

/** How long the start waits for the validator to answer before the kiosk opens without cash. */
export const validatorStartWaitMs = 5_000;

export interface CashAtStart {
  /** What the restart settlement did (null: the validator did not answer, nothing settled). */
  readonly settlement: SettlementOutcome | null;
  /** The service cause the kiosk starts with (null: in service for cash). */
  readonly cause: CashClosure | null;
}

export async function settleCashAtStart(options: {
  validator: BillValidator & { whenConnected(): Promise<boolean> };
  wallet: WalletTable;
  cap: number;
  log: LogSink;
  timers: Timers;
}): Promise<CashAtStart> {
  const { validator, log } = options;
  const connected = await Promise.race([validator.whenConnected(), waitOn(options.timers, validatorStartWaitMs).then(() => false)]);
  if (!connected) {
    log({ eventId: 'cash-start-validator-away', disposition: 'failure', message: 'the bill validator did not answer at start: no top-up until it does; an open note is settled at the next start' });
    return { settlement: null, cause: 'cash-fault' };
  }
  // Inhibited first: nothing new comes in while the old note is settled.
  const inhibited = await validator.inhibitAll(true);
  if (!inhibited.ok) log({ eventId: 'cash-start-inhibit-failed', disposition: 'failure', message: inhibited.error.kind });
  const settlement = await settleJournal({ validator, wallet: options.wallet, cap: options.cap, log, timers: options.timers });
  return { settlement, cause: closesKiosk(settlement) };
}

const closingStatuses: Partial<Record<BillStatus, CashClosure>> = {
  'stacker-full': 'stacker-full',
  'stacker-removed': 'stacker-removed',
  'stacker-faulty': 'cash-fault',
  'stacker-jammed': 'cash-fault',
  'jam-stacker': 'cash-fault',
  'jam-transport-unsafe': 'cash-fault',
  'jam-transport-safe': 'cash-fault',
  'anti-string-faulty': 'cash-fault',
  tamper: 'cash-fault',
};

export interface ValidatorWatch {
  /** Whether a new top-up may start: the validator is there and no cash cause closes the kiosk. */
  ready(): boolean;
  stop(): void;
}

export function watchValidator(options: {
  validator: BillValidator;
  wallet: Pick<WalletTable, 'raiseException'>;
  /** The open visit takes the validator's events (null: no visit). */
  visit: { open(): boolean; bill(event: BillFact): void };
  service: { send(event: ServiceEvent): void };
  log: LogSink;
  /** The cash cause the kiosk started with. */
  startCause: CashClosure | null;
  /** The journal was not settled at start (the validator was away): settled when it connects, before it is cleared. */
  settleLater?: () => Promise<CashClosure | null>;
}): ValidatorWatch {
  const { validator, visit, service, log } = options;
  let connected = options.startCause === null;
  /** The cash-fault is the validator's absence (cleared when it is back), not a jam. */
  let faultIsAbsence = options.startCause === 'cash-fault';
  let pendingSettlement = options.settleLater;
  let causes = new Set<CashClosure>(options.startCause ? [options.startCause] : []);
  const close = (cause: CashClosure): void => {
    causes.add(cause);
    service.send({ type: 'cash.fault', cause });
  };
  const clear = (...gone: CashClosure[]): void => {
    causes = new Set([...causes].filter((cause) => !gone.includes(cause)));
    service.send({ type: 'cash.clear', causes: gone });
  };
  /** `amount`: the money in question (a note's value), so reconcile and settle count it. */
  const exception = (kind: 'events-lost' | 'validator-restarted' | 'note-unclaimed', details: Record<string, number | string>, amount: number | null = null): void => {
    void options.wallet
      .raiseException({ kind, cardNumber: null, journalId: null, amount, details })
      .catch((error: unknown) => log({ eventId: 'cash-exception-failed', disposition: 'failure', message: String(error) }));
  };

  const onEvent = (event: BillEvent): void => {
    const status = event.kind === 'status' ? event.status : null;
    const closure = status ? closingStatuses[status] : undefined;
    if (closure) {
      if (closure === 'cash-fault') faultIsAbsence = false;
      close(closure);
    }
    if (status === 'stacker-inserted') clear('stacker-removed', 'stacker-full');
    if (visit.open()) {
      visit.bill({ type: 'bill.event', event });
      return;
    }
    if (event.kind === 'escrow') {
      // No visit: never taken. Back to whoever put it in.
      log({ eventId: 'cash-note-returned-no-visit', disposition: 'failure', message: `a NT$${event.value} note in escrow with no top-up open: returned` });
      void validator.route('return');
    }
    if (event.kind === 'stacked') {
      log({ eventId: 'cash-note-unclaimed', disposition: 'failure', message: `a NT$${event.value} note stacked with no top-up open`, amount: event.value });
      exception('note-unclaimed', { amount: event.value, billType: event.billType, counter: event.counter }, event.value);
    }
  };
  const onBufferBreak = (what: BillBufferBreak): void => {
    close('cash-events-lost');
    if (visit.open()) {
      visit.bill({ type: 'bill.break', what });
      return;
    }
    // No note open, but events may have been lost: staff look before a note is taken again.
    exception(what.kind === 'restarted' ? 'validator-restarted' : 'events-lost', { lastCounter: what.lastCounter, counter: what.kind === 'events-lost' ? what.counter : 0 });
  };
  const onConnection = (state: 'connected' | 'disconnected', reason: string): void => {
    if (state === 'disconnected') {
      connected = false;
      log({ eventId: 'cash-validator-disconnected', disposition: 'failure', message: reason });
      if (visit.open()) visit.bill({ type: 'bill.disconnected' });
      if (!causes.has('cash-fault')) faultIsAbsence = true;
      close('cash-fault');
      return;
    }
    connected = true;
    const settle = pendingSettlement;
    pendingSettlement = undefined;
    if (settle) {
      void settle()
        .then((cause) => {
          if (cause) close(cause);
          else if (faultIsAbsence) clear('cash-fault');
          faultIsAbsence = false;
        })
        .catch((error: unknown) => log({ eventId: 'cash-settle-failed', disposition: 'failure', message: String(error) }));
      return;
    }
    // Back: the fault was its absence. Lost events, if any, come as a break on the next poll.
    if (causes.has('cash-fault') && faultIsAbsence) clear('cash-fault');
    faultIsAbsence = false;
  };
  validator.on('event', onEvent);
  validator.on('break', onBufferBreak);
  validator.on('connection', onConnection);
  return {
    ready: () => connected && causes.size === 0,
    stop() {
      validator.off('event', onEvent);
      validator.off('break', onBufferBreak);
      validator.off('connection', onConnection);
    },
  };
}
