/** The part of firmata-io 2.3 (firmata.js without a default transport) that the kiosk uses. */
declare module 'firmata-io' {
  import type { EventEmitter } from 'node:events';

  /** Any serial-port-shaped object: emits `open`, `data`, `close`, `error`. */
  export interface FirmataTransport extends EventEmitter {
    write(data: Buffer, callback?: (error?: Error | null) => void): unknown;
  }

  export interface FirmataOptions {
    readonly reportVersionTimeout?: number;
    readonly samplingInterval?: number;
    readonly skipCapabilities?: boolean;
  }

  export interface FirmataPin {
    readonly supportedModes: readonly number[];
    mode?: number;
    value: number;
    report: number;
    analogChannel: number;
  }

  export class Firmata extends EventEmitter {
    constructor(transport: FirmataTransport, options?: FirmataOptions, callback?: (error?: Error) => void);
    readonly isReady: boolean;
    readonly MODES: { readonly INPUT: number; readonly OUTPUT: number; readonly PWM: number; readonly PULLUP: number; readonly ANALOG: number };
    readonly pins: readonly FirmataPin[];
    readonly analogPins: readonly number[];
    readonly version: { readonly major?: number; readonly minor?: number };
    /** The bytes of the message being received (documented in firmata.js); emptied to drop a partial one. */
    readonly buffer: number[];
    readonly firmware: { readonly name?: string; readonly version?: { readonly major: number; readonly minor: number } };
    reportVersionTimeoutId: ReturnType<typeof setTimeout> | undefined;
    pinMode(pin: number, mode: number): void;
    digitalWrite(pin: number, value: number): void;
    digitalRead(pin: number, callback: (value: number) => void): void;
    pwmWrite(pin: number, value: number): void;
    reportDigitalPin(pin: number, value: 0 | 1): void;
    queryPinState(pin: number, callback: () => void): void;
  }

  interface BindTransport {
    (transport: unknown): typeof Firmata;
    readonly Firmata: typeof Firmata;
  }

  const bindTransport: BindTransport;
  export default bindTransport;
}
