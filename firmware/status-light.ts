import { assertNever } from '../shared/result';

/**
 * The status light tower (red / amber / green): each kiosk status is a colour and a blink
 * pattern, readable from across a market hall.
 */
export type BoardStatus = 'ready' | 'busy' | 'attention' | 'fault' | 'out-of-service';
export const boardStatuses: readonly BoardStatus[] = ['ready', 'busy', 'attention', 'fault', 'out-of-service'];

export type Lamp = 'red' | 'amber' | 'green';
export const lamps: readonly Lamp[] = ['red', 'amber', 'green'];

export type LampPattern = { readonly kind: 'off' } | { readonly kind: 'on' } | { readonly kind: 'blink'; readonly halfPeriodMs: number };

const off: LampPattern = { kind: 'off' };
const on: LampPattern = { kind: 'on' };
/** Slow blink: "working, please wait". */
const slow: LampPattern = { kind: 'blink', halfPeriodMs: 500 };
/** Fast blink: "something is wrong", catches the eye of staff. */
const fast: LampPattern = { kind: 'blink', halfPeriodMs: 150 };

export function statusPattern(status: BoardStatus): Readonly<Record<Lamp, LampPattern>> {
  switch (status) {
    case 'ready':
      return { red: off, amber: off, green: on };
    case 'busy':
      return { red: off, amber: off, green: slow };
    case 'attention':
      return { red: off, amber: slow, green: off };
    case 'fault':
      return { red: fast, amber: off, green: off };
    case 'out-of-service':
      return { red: on, amber: off, green: off };
    default:
      return assertNever(status);
  }
}

/** What a lamp output must do: johnny-five's `Led` fits. */
export interface LampOutput {
  on(): unknown;
  off(): unknown;
  blink(ms: number): unknown;
  stop(): unknown;
}

/** Shows a status on three lamps. */
export class StatusLight {
  constructor(private readonly outputs: Readonly<Record<Lamp, LampOutput>>) {}

  show(status: BoardStatus): void {
    const pattern = statusPattern(status);
    for (const lamp of lamps) {
      const output = this.outputs[lamp];
      const wanted = pattern[lamp];
      output.stop();
      switch (wanted.kind) {
        case 'off':
          output.off();
          break;
        case 'on':
          output.on();
          break;
        case 'blink':
          output.on();
          output.blink(wanted.halfPeriodMs);
          break;
        default:
          assertNever(wanted);
      }
    }
  }

  /** Stops every blink timer (the board went away). */
  stop(): void {
    for (const lamp of lamps) this.outputs[lamp].stop();
  }
}
