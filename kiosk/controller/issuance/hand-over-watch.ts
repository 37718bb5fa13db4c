import type { CardPrinter } from '../../../hardware/printer/types';
import type { LogSink } from '../../../shared/log';
import type { Store } from '../store/store';

/**
 * Closes the hand-over of ejected cards: while a card waits in the printer's exit slot, the slot's
 * sensor is read every `pollMs`; once it reads empty, every ejected card was taken and its job is
 * journaled `taken`. A printer without that sensor never reads empty: its jobs stay at `ejected`.
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
}

export const defaultHandOverPollMs = 1_000;

export function watchHandOver(options: HandOverWatchOptions): HandOverWatch {
  const { printer, store, log } = options;
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<string[]> | undefined;
  let stopped = false;

  const idle = (): void => {
    clearInterval(timer);
    timer = undefined;
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
      if (stopped || timer) return;
      timer = setInterval(() => void check(), options.pollMs ?? defaultHandOverPollMs);
      timer.unref();
    },
    check,
    stop() {
      stopped = true;
      idle();
    },
  };
}
