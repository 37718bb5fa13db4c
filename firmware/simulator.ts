import { SerialPort } from 'serialport';
import type { PtyCableOptions } from '../hardware/serial/pty-cable';
import { seededRandom } from '../shared/seeded-random';
import { acceptorTiming, planNoteLine, type LineChange, type LineFault } from './acceptor-line';
import { openDtrCable } from './dtr-cable';
import {
  arduinoUno,
  decodeExtendedAnalog,
  encodeAnalogMapping,
  encodeCapabilities,
  encodeDigitalPort,
  encodeFirmwareName,
  encodePinState,
  encodeVersion,
  firmata,
  HostCommandParser,
  pinModes,
  type BoardDescription,
  type HostCommand,
} from './firmata-protocol';
import { defaultPinMap, type KioskPinMap } from './pin-map';

/**
 * A kiosk I/O board on the device end of a pty pair: an Arduino Uno running StandardFirmataPlus
 * 2.5 (it answers the real handshake, pin modes, writes, reporting and pin state queries), wired
 * like the kiosk (pin-map.ts) to a pulse bill acceptor and a door switch.
 *
 * Timing of the bill acceptor comes from the device's own description (docs/protocols.md), not
 * from the program's counter: ≈50 ms LOW / ≈100 ms HIGH per NT$100 pulse; its line faults
 * (spikes, missing and stretched pulses) are in acceptor-line.ts.
 *
 * Like an Uno, the board resets whenever the host opens its port (DTR, through the cable in
 * dtr-cable.ts): pins back to their reset state, reporting off, outputs off, deaf to the host
 * while the bootloader waits (≈2 s), then the sketch announces itself (version and firmware name).
 */

export const defaultFirmwareName = 'StandardFirmataPlus.ino';

export { acceptorTiming, lineFaults, type LineFault } from './acceptor-line';

/** How long an Uno's bootloader waits after a reset before the sketch runs and announces itself. */
export const unoBootMs = 2000;

export type NoteValue = 100 | 500 | 1000;

/** `pinWrites()` keeps at least the last 10,000 writes. */
const maxRecordedWrites = 20_000;

export interface InsertNoteOptions {
  /** Each LOW and HIGH phase is lengthened or shortened by up to this much (uniform). */
  readonly jitterMs?: number;
  /** Line faults for this note (acceptor-line.ts): `spikes`, `missing-pulse`, `stretched-pulse`. */
  readonly faults?: readonly LineFault[];
}

export interface InsertedNote {
  readonly amount: NoteValue;
  /** False when the inhibit line was HIGH: the acceptor hands the note back, no pulses. */
  readonly accepted: boolean;
  /** The note's pulses (amount / 100; 0 when refused). */
  readonly pulses: number;
  /** The pulses the acceptor actually sent (fewer with a `missing-pulse` fault). */
  readonly pulsesSent: number;
  /** Epoch ms when the last pulse sent ended (the line went back HIGH); NaN with none. */
  readonly lastPulseEndAt: number;
}

export interface PinWrite {
  readonly pin: number;
  readonly value: number;
  readonly kind: 'digital' | 'pwm';
  /** Epoch ms. */
  readonly at: number;
}

export interface BoardSimulator {
  readonly devicePath: string;
  /**
   * Feeds a note: resolves once its pulse train has been sent. Notes queue one after another. An
   * inhibited acceptor (inhibit pin OUTPUT HIGH) refuses it; one left unpowered or floating takes it.
   */
  insertNote(amount: NoteValue, options?: InsertNoteOptions): Promise<InsertedNote>;
  setDoor(open: boolean, options?: { readonly bounce?: boolean }): void;
  /** The output level changes the host made, in order (the last 10,000 at least). */
  pinWrites(): readonly PinWrite[];
  /** The Firmata mode number of a pin (0 input, 1 output, 3 PWM, 0x0B pull-up...). */
  pinMode(pin: number): number | undefined;
  /** The current output value of a pin (digital level or PWM duty). */
  pinValue(pin: number): number;
  /** How many times a host asked for the capabilities: one per handshake. */
  readonly handshakes: number;
  /** How many times the host's opening the port reset the board (DTR). */
  readonly resets: number;
  /** True while the board is in its bootloader after a reset: it ignores the host. */
  readonly booting: boolean;
  /** Cuts the board off: with a cable (see options) the host's device node disappears. */
  unplug(): Promise<void>;
  /** Plugs it back: the board boots again (all pins reset) and announces itself. */
  replug(): Promise<void>;
  close(): Promise<void>;
}

export interface BoardSimulatorOptions {
  readonly devicePath: string;
  /** Firmware name the board reports. */
  readonly name?: string;
  readonly pinMap?: KioskPinMap;
  readonly board?: BoardDescription;
  /** 1 = real time; 0.5 plays pulse trains twice as fast. */
  readonly timeScale?: number;
  /** Quiet time before each note, in real ms (default: 600 ms × timeScale). */
  readonly betweenNotesMs?: number;
  /** Random source in [0, 1) for jitter and line faults (default: `seed`, else Math.random). */
  readonly random?: () => number;
  /** Seed for the jitter and line faults: the same seed plays the same faults. */
  readonly seed?: number;
  /** The bootloader's wait after the host's open resets the board (default `unoBootMs`, real ms). */
  readonly bootMs?: number;
  /**
   * The USB cable: `pull` makes the host's device node go away, `plug` brings it back (e.g. close
   * and reopen the pty pair). Without it, unplug() only powers the board off: it goes silent.
   * With `onHostOpen` (dtr-cable.ts) the host's opening the port resets the board; without it
   * (a pty pair made elsewhere carries no DTR) the board announces itself at power-on only.
   */
  readonly cable?: { pull(): Promise<void>; plug(): Promise<void>; onHostOpen?(listener: () => boolean | Promise<boolean>): void };
}

export async function startBoardSimulator(options: BoardSimulatorOptions): Promise<BoardSimulator> {
  const simulator = new FirmataBoardSimulator(options);
  await simulator.powerOn();
  return simulator;
}

/** A simulator that owns its pty pair, so that unplug() really pulls the cable. */
export async function startBoardSimulatorOnPty(
  options: Omit<BoardSimulatorOptions, 'devicePath' | 'cable'> & PtyCableOptions = {},
): Promise<BoardSimulator & { readonly hostPath: string }> {
  const cable = await openDtrCable(options.ptyName ?? 'board', options.dir);
  const simulator = new FirmataBoardSimulator({
    ...options,
    devicePath: cable.devicePath,
    cable,
  });
  await simulator.powerOn();
  const close = simulator.close.bind(simulator);
  return Object.assign(simulator, {
    hostPath: cable.hostPath,
    close: async () => {
      await close();
      await cable.close();
    },
  });
}

/** StandardFirmataPlus's pin state, without the I/O. */
class BoardModel {
  readonly modes: (number | undefined)[] = [];
  readonly values: number[] = [];
  readonly reportedPorts = new Set<number>();
  private readonly lastReport: number[] = [];

  constructor(
    readonly board: BoardDescription,
    private readonly read: (pin: number, mode: number | undefined, value: number) => number,
  ) {
    this.reset();
  }

  /** systemResetCallback: digital pins to OUTPUT LOW, analog pins to ANALOG, reporting off. */
  reset(): void {
    for (let pin = 0; pin < this.board.totalPins; pin++) {
      this.values[pin] = 0;
      if (this.board.analogChannels.has(pin)) this.modes[pin] = pinModes.analog;
      else if (this.board.digitalPins.includes(pin)) this.modes[pin] = pinModes.output;
      else this.modes[pin] = undefined;
    }
    this.reportedPorts.clear();
    this.lastReport.length = 0;
  }

  isInput(pin: number): boolean {
    const mode = this.modes[pin];
    return mode === pinModes.input || mode === pinModes.pullup;
  }

  /** readPort() masked by the input pins, as checkDigitalInputs() does. */
  portValue(port: number): number {
    let value = 0;
    for (let bit = 0; bit < 8; bit++) {
      const pin = port * 8 + bit;
      if (pin < this.board.totalPins && this.isInput(pin) && this.read(pin, this.modes[pin], this.values[pin] ?? 0)) value |= 1 << bit;
    }
    return value;
  }

  /** The port reports a board sends after its inputs may have changed (only ports that changed). */
  scan(force?: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const port of this.reportedPorts) {
      const value = this.portValue(port);
      if (port === force || value !== this.lastReport[port]) {
        this.lastReport[port] = value;
        out.push(encodeDigitalPort(port, value));
      }
    }
    return out;
  }
}

class FirmataBoardSimulator implements BoardSimulator {
  readonly devicePath: string;
  handshakes = 0;
  resets = 0;
  private plugging = false;
  private openedWhilePlugging = false;
  booting = false;
  private bootTimer: NodeJS.Timeout | undefined;
  private port: SerialPort | undefined;
  private powered = false;
  private parser = new HostCommandParser();
  private readonly model: BoardModel;
  private readonly writes: PinWrite[] = [];
  private readonly pins: KioskPinMap;
  private readonly scale: number;
  private readonly random: () => number;
  private billLineLow = false;
  private doorOpen = false;
  private queue: Promise<unknown> = Promise.resolve();
  private lastTrainEnd = 0;
  private closed = false;
  private readonly pendingSleeps = new Map<NodeJS.Timeout, (error: Error) => void>();

  constructor(private readonly options: BoardSimulatorOptions) {
    this.devicePath = options.devicePath;
    this.pins = options.pinMap ?? defaultPinMap;
    this.scale = options.timeScale ?? 1;
    this.random = options.random ?? (options.seed === undefined ? Math.random : seededRandom(options.seed));
    this.model = new BoardModel(options.board ?? arduinoUno, (pin, mode) => this.readPin(pin, mode));
    options.cable?.onHostOpen?.(() => this.resetByHost());
  }

  /** The electrical level on an input pin: external circuit plus the board's own pull-up. */
  private readPin(pin: number, mode: number | undefined): number {
    const pulledUp = mode === pinModes.pullup;
    if (pin === this.pins.billPulse) return this.billLineLow ? 0 : pulledUp ? 1 : 0;
    if (pin === this.pins.tamper) return this.doorOpen && pulledUp ? 1 : 0;
    return pulledUp ? 1 : 0; // an unconnected input floats; call it LOW
  }

  async powerOn(options: { readonly announce?: boolean } = {}): Promise<void> {
    const port = new SerialPort({ path: this.devicePath, baudRate: 57600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    port.on('error', () => {});
    port.on('data', (chunk: Buffer) => this.receive(chunk));
    this.port = port;
    this.powered = true;
    this.model.reset();
    // Powered up (not reset by DTR), the bootloader hands over at once: the sketch announces itself.
    if (options.announce ?? true) this.announce();
  }

  private announce(): void {
    this.send(encodeVersion(), encodeFirmwareName(this.options.name ?? defaultFirmwareName));
  }

  /**
   * The host opened the port: DTR resets the board. Pins go back to their reset state and
   * reporting stops; the bootloader listens for an upload and drops everything else; then the
   * sketch starts and announces itself, as after power-up.
   */
  private async resetByHost(): Promise<boolean> {
    // Unpowered, no DTR edge can reset it: it boots (and announces itself) at power-on. While the cable is
    // being plugged in, though, the board is powered by the same plug: the open resets it once it is up.
    if (!this.powered) {
      if (this.plugging) this.openedWhilePlugging = true;
      return false;
    }
    this.resets++;
    this.model.reset();
    this.parser = new HostCommandParser();
    this.booting = true;
    clearTimeout(this.bootTimer);
    this.bootTimer = setTimeout(() => {
      this.booting = false;
      this.announce();
    }, this.options.bootMs ?? unoBootMs);
    // What the sketch had queued is cut by the reset: once it is on the line, the cable drops it.
    const port = this.port;
    if (port?.isOpen) await new Promise<void>((resolve) => port.drain(() => resolve()));
    return true;
  }

  private async powerOff(): Promise<void> {
    this.powered = false;
    this.booting = false;
    clearTimeout(this.bootTimer);
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private receive(chunk: Buffer): void {
    if (!this.powered || this.booting) return;
    for (const command of this.parser.push(chunk)) this.execute(command);
  }

  private execute(command: HostCommand): void {
    const model = this.model;
    switch (command.kind) {
      case 'report-version':
        this.send(encodeVersion());
        return;
      case 'system-reset':
        model.reset();
        return;
      case 'set-pin-mode': {
        if (command.pin >= model.board.totalPins) return;
        const was = model.modes[command.pin];
        model.modes[command.pin] = command.mode;
        if (command.mode === pinModes.pullup) model.values[command.pin] = 1;
        else if (command.mode === pinModes.input) model.values[command.pin] = 0;
        else if (command.mode === pinModes.output && was === pinModes.pwm) this.output(command.pin, 0, 'digital');
        this.send(...model.scan());
        return;
      }
      case 'set-pin-value':
        if (model.modes[command.pin] === pinModes.output) this.output(command.pin, command.value ? 1 : 0, 'digital');
        return;
      case 'digital-port':
        for (let bit = 0; bit < 8; bit++) {
          const pin = command.port * 8 + bit;
          if (pin >= model.board.totalPins) continue;
          const level = (command.value >> bit) & 1;
          if (model.modes[pin] === pinModes.output) this.output(pin, level, 'digital');
          // Legacy pull-up: writing HIGH to an input pin enables its pull-up.
          else if (model.modes[pin] === pinModes.input && level === 1) model.modes[pin] = pinModes.pullup;
        }
        this.send(...model.scan());
        return;
      case 'analog-write':
        this.pwm(command.pin, command.value);
        return;
      case 'report-digital':
        if (command.enable) {
          model.reportedPorts.add(command.port);
          // StandardFirmata sends the port at once, so the host knows the levels after a reconnect.
          this.send(...model.scan(command.port));
        } else model.reportedPorts.delete(command.port);
        return;
      case 'report-analog':
        return; // nothing analog is wired
      case 'sysex':
        this.sysex(command.command, command.data);
        return;
      default:
        return;
    }
  }

  private sysex(command: number, data: readonly number[]): void {
    const model = this.model;
    switch (command) {
      case firmata.queryFirmware:
        this.send(encodeFirmwareName(this.options.name ?? defaultFirmwareName));
        return;
      case firmata.capabilityQuery:
        this.handshakes++;
        this.send(encodeCapabilities(model.board));
        return;
      case firmata.analogMappingQuery:
        this.send(encodeAnalogMapping(model.board));
        return;
      case firmata.pinStateQuery: {
        const pin = data[0];
        if (pin === undefined || pin >= model.board.totalPins) return;
        const mode = model.modes[pin];
        this.send(encodePinState(pin, mode ?? 0x7f, model.values[pin] ?? 0));
        return;
      }
      case firmata.extendedAnalog: {
        const write = decodeExtendedAnalog(data);
        if (write) this.pwm(write.pin, write.value);
        return;
      }
      case firmata.samplingInterval:
        return; // only paces analog reports; digital inputs are checked every loop
      default:
        return; // StandardFirmataPlus ignores sysex it does not know
    }
  }

  private pwm(pin: number, value: number): void {
    if (this.model.modes[pin] === pinModes.pwm) this.output(pin, value, 'pwm');
  }

  private output(pin: number, value: number, kind: PinWrite['kind']): void {
    if (this.model.values[pin] === value) return;
    this.model.values[pin] = value;
    this.writes.push({ pin, value, kind, at: Date.now() });
    // A blinking lamp writes forever: keep a long simulator run's memory bounded.
    if (this.writes.length > maxRecordedWrites) this.writes.splice(0, this.writes.length - maxRecordedWrites / 2);
  }

  private send(...messages: Uint8Array[]): void {
    if (!this.powered || this.booting || !this.port?.isOpen || messages.length === 0) return;
    this.port.write(Buffer.concat(messages));
  }

  /** Changes an external input; with bounce, the line chatters before it settles. */
  private changeInput(apply: (level: boolean) => void, target: boolean, bounce: boolean): void {
    const messages: Uint8Array[] = [];
    const chatter = bounce ? 1 + Math.floor(this.random() * 3) : 0;
    apply(target);
    messages.push(...this.model.scan());
    for (let i = 0; i < chatter; i++) {
      apply(!target);
      messages.push(...this.model.scan());
      apply(target);
      messages.push(...this.model.scan());
    }
    // A bounce burst lasts a few ms, far less than one pulse: the board reports it back to back.
    this.send(...messages);
  }

  insertNote(amount: NoteValue, options: InsertNoteOptions = {}): Promise<InsertedNote> {
    const run = this.queue.then(() => this.playTrain(amount, options));
    this.queue = run.catch(() => {});
    return run;
  }

  private async playTrain(amount: NoteValue, options: InsertNoteOptions): Promise<InsertedNote> {
    const pulses = amount / 100;
    const quiet = Date.now() - this.lastTrainEnd;
    const gap = this.options.betweenNotesMs ?? acceptorTiming.betweenNotesMs * this.scale;
    const leadMs = Math.max(0, gap - quiet) / this.scale;
    const line = planNoteLine(pulses, this.random, { jitterMs: options.jitterMs ?? 0, faults: options.faults ?? [], leadMs });
    // The quiet time before the note (spikes and all), then the acceptor decides whether to take it.
    await this.playLine(line.changes.filter((change) => change.at < line.trainStartsAt), 0, line.trainStartsAt);
    if (this.inhibited()) return { amount, accepted: false, pulses: 0, pulsesSent: 0, lastPulseEndAt: Number.NaN };
    const lastPulseEnd = line.lastPulseEndAt === undefined ? -1 : line.changes.findLastIndex((change) => !change.low && change.at <= (line.lastPulseEndAt ?? 0));
    const sentAt = await this.playLine(line.changes.filter((change) => change.at >= line.trainStartsAt), line.trainStartsAt, line.endsAt, line.changes[lastPulseEnd]);
    this.lastTrainEnd = Date.now();
    return { amount, accepted: true, pulses, pulsesSent: line.pulsesSent, lastPulseEndAt: sentAt ?? Number.NaN };
  }

  /**
   * Plays level changes planned from `from` to `until` (ms, before timeScale). Each wait is timed
   * from when the change before it was actually sent: a late timer stretches a phase, it never
   * shortens the next one. A spike's few ms are waited out on the spot, so that a late timer cannot
   * widen it. Returns when `mark` was sent.
   */
  private async playLine(changes: readonly LineChange[], from: number, until: number, mark?: LineChange): Promise<number | undefined> {
    let previous = from;
    let markedAt: number | undefined;
    for (const change of changes) {
      await this.wait((change.at - previous) * this.scale);
      previous = change.at;
      this.billLineLow = change.low;
      this.send(...this.model.scan());
      if (change === mark) markedAt = Date.now();
    }
    await this.wait((until - previous) * this.scale);
    return markedAt;
  }

  private async wait(ms: number): Promise<void> {
    if (ms <= 0) return;
    if (ms > 8) {
      await this.sleep(ms);
      return;
    }
    const end = performance.now() + ms;
    while (performance.now() < end) {
      // a spike: a few ms, kept exact
    }
  }

  /** The acceptor's view of its inhibit input (active HIGH, docs/protocols.md). */
  private inhibited(): boolean {
    const pin = this.pins.billInhibit;
    return this.powered && this.model.modes[pin] === pinModes.output && this.model.values[pin] === 1;
  }

  setDoor(open: boolean, options: { readonly bounce?: boolean } = {}): void {
    this.changeInput((level) => (this.doorOpen = level), open, options.bounce ?? false);
  }

  pinWrites(): readonly PinWrite[] {
    return [...this.writes];
  }

  pinMode(pin: number): number | undefined {
    return this.model.modes[pin];
  }

  pinValue(pin: number): number {
    return this.model.values[pin] ?? 0;
  }

  async unplug(): Promise<void> {
    await this.powerOff();
    await this.options.cable?.pull();
  }

  async replug(): Promise<void> {
    this.plugging = true;
    this.openedWhilePlugging = false;
    try {
      await this.options.cable?.plug();
      await this.powerOn({ announce: false });
    } finally {
      this.plugging = false;
    }
    // A host that opened the port as soon as it appeared reset the board as it powered up: the bootloader
    // first, then the announcement (the USB plug powers the board before the host can open it).
    if (this.openedWhilePlugging) await this.resetByHost();
    else this.announce();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const [timer, reject] of this.pendingSleeps) {
      clearTimeout(timer);
      reject(new Error('board simulator closed'));
    }
    this.pendingSleeps.clear();
    await this.powerOff();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new Error('board simulator closed'));
        return;
      }
      const timer = setTimeout(() => {
        this.pendingSleeps.delete(timer);
        resolve();
      }, ms);
      this.pendingSleeps.set(timer, reject);
    });
  }
}
