import { createActor, setup, type Actor } from 'xstate';
import type { CardPrinter } from '../../../hardware/printer/types';
import type { LogSink } from '../../../shared/log';
import type { TimerClock } from '../machine/staff-machine';
import type { Store } from '../store/store';

/**
 * Closes the hand-over of ejected cards: while a card waits in the printer's exit slot, the slot's
 * sensor is read every `exitSlotPoll` (a named delay on the injected clock); once it reads empty,
 * every ejected card was taken and its job is journaled `taken`. A printer without that sensor never
 * reads empty: its jobs stay at `ejected`.
 */
export interface HandOverWatch {
  /** A card was just ejected (or one was found waiting at start): watch the exit slot. */
  cardEjected(): void;
  /** Reads the exit slot once; returns the jobs closed as taken. */
  check(): Promise<string[]>;
  stop(): void;
}

export interface HandOverWatchOptions {
  readonly printer: CardPrinter;
  readonly store: Store;
  readonly log: LogSink;
  /** How often the exit slot is read while a card waits there. */
  readonly pollMs?: number;
  /** The jobs whose cards were taken (their hand-over is done). */
  readonly onTaken?: (jobIds: readonly string[]) => void;
  /** The clock the poll runs on: real time by default, XState's `SimulatedClock` in tests. */
  readonly timers?: TimerClock;
}

export const defaultHandOverPollMs = 1_000;

/** While a card waits at the exit: a `read` of the slot's sensor every `exitSlotPoll`. */
export const exitSlotWatchMachine = setup({
  types: {
    context: {} as { readonly pollMs: number },
    input: {} as { readonly pollMs: number },
  },
  actions: {
    read: () => {},
  },
  delays: {
    exitSlotPoll: ({ context }) => context.pollMs,
  },
}).createMachine({
  id: 'exitSlotWatch',
  context: ({ input }) => ({ pollMs: input.pollMs }),
  initial: 'waiting',
  states: {
    waiting: {
      after: { exitSlotPoll: { target: 'waiting', reenter: true, actions: 'read' } },
    },
  },
});

export function watchHandOver(options: HandOverWatchOptions): HandOverWatch {
  const { printer, store, log } = options;
  let watching: Actor<typeof exitSlotWatchMachine> | undefined;
  let checking: Promise<string[]> | undefined;
  let stopped = false;

  const idle = (): void => {
    watching?.stop();
    watching = undefined;
  };

  const read = async (): Promise<string[]> => {
    const status = await printer.status();
    if (!status.ok) return [];
    if (status.value.output === 'unknown') {
      idle(); // no exit sensor: nothing to wait for
      return [];
    }
    if (status.value.output !== 'empty') return [];
    const taken = await store.markCardsTaken();
    idle();
    if (taken.length > 0) {
      log({ eventId: 'issuance-card-taken', disposition: 'success', message: `${taken.length} card(s) taken from the exit slot` });
      options.onTaken?.(taken);
    }
    return taken;
  };

  const check = (): Promise<string[]> => {
    checking ??= read().finally(() => {
      checking = undefined;
    });
    return checking;
  };

  return {
    cardEjected() {
      if (stopped || watching) return;
      const machine = exitSlotWatchMachine.provide({ actions: { read: () => void check() } });
      watching = createActor(machine, { input: { pollMs: options.pollMs ?? defaultHandOverPollMs }, ...(options.timers ? { clock: options.timers } : {}) });
      watching.start();
    },
    check,
    stop() {
      stopped = true;
      idle();
    },
  };
}
