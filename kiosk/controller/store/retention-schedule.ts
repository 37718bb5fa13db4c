import { createActor, setup } from 'xstate';
import type { Clock } from '../../../shared/clock';
import type { LogSink } from '../../../shared/log';
import type { TimerClock } from '../machine/staff-machine';
import type { PurgeReport } from './retention';
import type { Store } from './store';

/**
 * Retention on its own: the controller purges once at start and then at every interval, so that
 * personal data past `retentionDays` goes without anyone running `kioskctl purge`. One purge at a
 * time; a failed purge is logged and tried again at the next tick, never thrown at the kiosk. The
 * ticks are the `retentionSweep` delay of a small machine, on an injected clock.
 */
const defaultRetentionIntervalMs = 86_400_000; // once a day: the cut-off moves by days

/** Node's timers (under XState's real clock) cannot wait longer: about 24.8 days. */
const maxIntervalMs = 2_147_483_647;
/** An error message is a diagnosis, not a dump: bounded in the log. */
const maxErrorTextLength = 200;

export interface RetentionScheduleOptions {
  readonly store: Pick<Store, 'purge'>;
  readonly clock: Clock;
  readonly retentionDays: number;
  /** The `retentionSweep` delay: time between two purges. */
  readonly intervalMs?: number;
  readonly log: LogSink;
  /** The clock the sweep's delay runs on: real time by default, XState's `SimulatedClock` in tests. */
  readonly timers?: TimerClock;
}

export interface RetentionSchedule {
  /** No more ticks; resolves once a purge under way has ended, so the store can be closed after it. */
  stop(): Promise<void>;
  /** A purge now, or the one already under way (never two at once). Rejects when it fails (logged) or after stop(). */
  runNow(): Promise<PurgeReport>;
}

/**
 * The schedule's timing: a sweep at start, then one every `retentionSweep`. What a sweep does (one
 * purge, or joining the one under way) is the schedule's `sweep` action.
 */
export const retentionMachine = setup({
  types: {
    context: {} as { readonly intervalMs: number },
    input: {} as { readonly intervalMs: number },
  },
  actions: {
    sweep: () => {},
  },
  delays: {
    retentionSweep: ({ context }) => context.intervalMs,
  },
}).createMachine({
  id: 'retentionSchedule',
  context: ({ input }) => ({ intervalMs: input.intervalMs }),
  entry: 'sweep',
  initial: 'waiting',
  states: {
    waiting: {
      after: { retentionSweep: { target: 'waiting', reenter: true, actions: 'sweep' } },
    },
  },
});

export function startRetentionSchedule(options: RetentionScheduleOptions): RetentionSchedule {
  const { store, clock, retentionDays, log } = options;
  const intervalMs = options.intervalMs ?? defaultRetentionIntervalMs;
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new Error(`retentionDays must be a whole number of days, at least 1 (got ${retentionDays})`);
  if (!Number.isInteger(intervalMs) || intervalMs < 1 || intervalMs > maxIntervalMs) throw new Error(`intervalMs must be 1..${maxIntervalMs} (got ${intervalMs})`);

  let running: Promise<PurgeReport> | null = null;
  let stopped = false;

  const purgeOnce = async (): Promise<PurgeReport> => {
    const started = clock.now().getTime();
    try {
      const report = await store.purge({ retentionDays, dryRun: false, operatorId: null });
      // Counts only: the report's sample names cardholders and stays out of the log.
      log({
        eventId: 'store-retention-complete',
        disposition: 'success',
        message: `retention purge: personal data of ${report.cardholders} cardholders, ${report.photos} photos, ${report.jobContexts} job journals, ${report.outboxPayloads} outbox payloads`,
        retentionDays,
        cutoff: report.cutoff,
        cardholders: report.cardholders,
        photos: report.photos,
        jobContexts: report.jobContexts,
        outboxPayloads: report.outboxPayloads,
        durationMs: clock.now().getTime() - started,
      });
      return report;
    } catch (error) {
      log({
        eventId: 'store-retention-failed',
        disposition: 'failure',
        message: `retention purge failed, tried again at the next run: ${describe(error)}`,
        retentionDays,
        nextRunInMs: stopped ? null : intervalMs,
      });
      throw error;
    }
  };

  const runNow = (): Promise<PurgeReport> => {
    if (stopped) return Promise.reject(new Error('the retention schedule was stopped'));
    running ??= purgeOnce().finally(() => {
      running = null;
    });
    return running;
  };

  // Failures are already logged; the schedule itself must never reject into the kiosk.
  const sweep = (): void => {
    runNow().catch(() => {});
  };
  const schedule = createActor(retentionMachine.provide({ actions: { sweep } }), {
    input: { intervalMs },
    ...(options.timers ? { clock: options.timers } : {}),
  });
  schedule.start();

  return {
    stop: async () => {
      stopped = true;
      schedule.stop();
      await running?.catch(() => {});
    },
    runNow,
  };
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > maxErrorTextLength ? `${text.slice(0, maxErrorTextLength)}...` : text;
}
