import { z } from 'zod';
import type { CounterDelays } from './machine/counter-machine';
import type { StaffTiming } from './machine/staff-machine';

/**
 * The kiosk's timers that are policy, in seconds (the `timings` section of kiosk.config.json): each
 * becomes a named delay of its machine at the composition root. The defaults are the machines' own.
 */
export const defaultTimings = {
  /** A signed-in session left without a touch this long locks itself (idleLock). */
  idleLockSeconds: 180,
  /** The warning with its countdown shows this long before the lock (idleWarning). */
  idleWarningSeconds: 30,
  /** A citizen's own card stays on the self-service screen this long (ownCardShown). */
  ownCardShownSeconds: 30,
  /** A self-service problem message stays this long (problemShown). */
  problemShownSeconds: 30,
  /** A self-service top-up with no note and no touch this long finishes by itself (topUpIdle). */
  topUpIdleSeconds: 60,
  /** The top-up receipt stays on show this long (topUpDoneShown). */
  topUpDoneShownSeconds: 30,
  /** The done screen after a card is handed over, before the kiosk is ready for the next applicant (handOverTimeout). */
  handOverSeconds: 60,
} as const;
export type TimingKey = keyof typeof defaultTimings;
export const timingKeys = Object.keys(defaultTimings) as TimingKey[];

const seconds = (min: number, max: number) => z.number().int().min(min).max(max);

export const timingsSchema = z.object({
  // Below 30 s an operator could not finish a form; above an hour a walked-away session stays open.
  idleLockSeconds: seconds(30, 3600),
  idleWarningSeconds: seconds(5, 600),
  ownCardShownSeconds: seconds(5, 600),
  problemShownSeconds: seconds(5, 600),
  handOverSeconds: seconds(5, 600),
  topUpIdleSeconds: seconds(15, 600),
  topUpDoneShownSeconds: seconds(5, 600),
}).strict().refine((timings) => timings.idleWarningSeconds < timings.idleLockSeconds, {
  path: ['idleWarningSeconds'],
  message: 'the idle warning must start before the lock: idleWarningSeconds must be shorter than idleLockSeconds',
});
export type Timings = z.infer<typeof timingsSchema>;

const ms = (value: number): number => value * 1000;

export const staffTimingFrom = (timings: Timings): StaffTiming => ({ idleMs: ms(timings.idleLockSeconds), idleWarningMs: ms(timings.idleWarningSeconds) });

export const counterDelaysFrom = (timings: Timings): CounterDelays => ({
  ownCardShown: ms(timings.ownCardShownSeconds),
  problemShown: ms(timings.problemShownSeconds),
  topUpIdle: ms(timings.topUpIdleSeconds),
  topUpDoneShown: ms(timings.topUpDoneShownSeconds),
});

export const issuanceDelaysFrom = (timings: Timings): { handOverTimeout: number } => ({ handOverTimeout: ms(timings.handOverSeconds) });
