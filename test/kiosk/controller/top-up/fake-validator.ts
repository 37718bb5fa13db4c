import { EventEmitter } from 'node:events';
import type { BillEvent, BillEventBuffer, BillValidator, BillValidatorError, BillValidatorEvents, RouteAction } from '../../../../hardware/bill-validator/types';
import { err, ok, type Result } from '../../../../shared/result';

/**
 * A bill validator as the flow sees it: every command recorded, `route` answered as the test says,
 * events and breaks announced when the test says. The buffer (`readBuffer`) is what the test put there.
 */
export function fakeValidator() {
  const emitter = new EventEmitter();
  const calls: string[] = [];
  let counter = 0;
  let buffer: BillEventBuffer = { counter: 0, events: [] };
  const routeReplies: Result<void, BillValidatorError>[] = [];
  let bufferAfterRoute: BillEventBuffer | null = null;
  const validator: BillValidator = {
    identify: async () => err({ kind: 'closed', message: 'not in this fake' }),
    accept: async (values) => {
      calls.push(`accept ${values.join(',')}`);
      return ok(undefined);
    },
    inhibitAll: async (inhibit) => {
      calls.push(inhibit ? 'inhibit' : 'enable');
      return ok(undefined);
    },
    route: async (action: RouteAction) => {
      calls.push(`route ${action}`);
      if (bufferAfterRoute) [buffer, bufferAfterRoute] = [bufferAfterRoute, null];
      return routeReplies.shift() ?? ok(undefined);
    },
    readBuffer: async () => ok(buffer),
    lastCounter: () => counter,
    on: <E extends keyof BillValidatorEvents>(event: E, listener: BillValidatorEvents[E]) => void emitter.on(event, listener),
    off: <E extends keyof BillValidatorEvents>(event: E, listener: BillValidatorEvents[E]) => void emitter.off(event, listener),
    close: async () => {},
  };
  const next = (): number => (counter = counter >= 255 ? 1 : counter + 1);
  return {
    validator,
    calls,
    /** The next `route` answers this (then ok again). */
    replyToRoute(reply: Result<void, BillValidatorError>) {
      routeReplies.push(reply);
    },
    setBuffer(next: BillEventBuffer) {
      buffer = next;
    },
    /** What the buffer holds once the next route command has been obeyed. */
    bufferAfterRoute(next: BillEventBuffer) {
      bufferAfterRoute = next;
    },
    /** The driver announces an event to whoever listens (the kiosk's watch of the validator). */
    announce(event: BillEvent) {
      emitter.emit('event', event);
    },
    /** The next event under the next counter (as the driver would announce it). */
    escrow(value: number): BillEvent {
      return { kind: 'escrow', counter: next(), billType: billTypeOf(value), value };
    },
    stacked(value: number): BillEvent {
      return { kind: 'stacked', counter: next(), billType: billTypeOf(value), value };
    },
    status(status: Extract<BillEvent, { kind: 'status' }>['status']): BillEvent {
      return { kind: 'status', counter: next(), status, code: 0 };
    },
  };
}

/** The simulator's bill types: 100 → 1, 500 → 3, 1000 → 4 (200 → 2, 2000 → 5). */
export function billTypeOf(value: number): number {
  return ({ 100: 1, 200: 2, 500: 3, 1000: 4, 2000: 5 } as Record<number, number>)[value] ?? 9;
}
