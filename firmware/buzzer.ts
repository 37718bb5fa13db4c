import { assertNever } from '../shared/result';
import type { Timers, TimerHandle } from './timers';

/**
 * Buzzer patterns: an active buzzer switched on and off. Each pattern is a list of
 * on/off durations, short enough not to annoy the queue and distinct enough to tell apart.
 */
export type BuzzPattern = 'success' | 'error' | 'take-card';
export const buzzPatterns: readonly BuzzPattern[] = ['success', 'error', 'take-card'];

export interface BuzzStep {
  readonly on: boolean;
  readonly ms: number;
}

const beep = (ms: number): BuzzStep => ({ on: true, ms });
const pause = (ms: number): BuzzStep => ({ on: false, ms });

export function buzzSteps(pattern: BuzzPattern): readonly BuzzStep[] {
  switch (pattern) {
    case 'success':
      // One short chirp.
      return [beep(120)];
    case 'error':
      // Three quick beeps.
      return [beep(80), pause(80), beep(80), pause(80), beep(80)];
    case 'take-card':
      // Long beeps that are hard to ignore: a card left in the slot is a lost card.
      return [beep(400), pause(200), beep(400), pause(200), beep(400)];
    default:
      return assertNever(pattern);
  }
}

/** What the buzzer output must do. */
export interface BuzzerOutput {
  write(on: boolean): void;
}

/** Plays one pattern at a time; a new one replaces the one playing. */
export class Buzzer {
  private timer: TimerHandle | undefined;

  constructor(
    private readonly output: BuzzerOutput,
    private readonly timers: Timers,
  ) {}

  play(pattern: BuzzPattern): void {
    this.stop();
    this.run(buzzSteps(pattern), 0);
  }

  /** Silence now. */
  stop(): void {
    if (this.timer) {
      this.timers.clear(this.timer);
      this.timer = undefined;
      this.output.write(false);
    }
  }

  private run(steps: readonly BuzzStep[], index: number): void {
    const step = steps[index];
    if (!step) {
      this.timer = undefined;
      this.output.write(false);
      return;
    }
    this.output.write(step.on);
    this.timer = this.timers.set(() => this.run(steps, index + 1), step.ms);
  }
}
