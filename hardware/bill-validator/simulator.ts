import { randomBytes } from 'node:crypto';
import { SerialPort } from 'serialport';
import { openPtyCable, plugInto, type CableControls, type PtyCableOptions } from '../serial/pty-cable';
import {
  ascii,
  bufferedEvents,
  decodePacket,
  encodeEvent,
  encodeRawBuffer,
  encodeSerialNumber,
  FrameSplitter,
  headers,
  nextCounter,
  operatingModeBits,
  parseBillId,
  reply,
  routeCodes,
  routeErrors,
  typesInMask,
  validatorAddress,
  type Packet,
} from './protocol';
import { billStatusCodes, type BillEvent, type BillStatus } from './types';

/**
 * A ccTalk bill validator with escrow on the device end of a pty, built from the ccTalk Generic
 * Specification (protocols.md), not from our driver: it parses the host's bytes, ignores packets with a
 * bad checksum or for another address, stays silent on a header it does not know, NAKs data of the
 * wrong length, and keeps a five-event buffer with its counter (0 only after power-up or reset).
 *
 * The wire is one-wire ccTalk through a plain USB-serial adapter: every byte the host sends comes back
 * to the host first (the echo, `echo: false` for a two-wire adapter), powered or not.
 */
export interface BillValidatorSimulatorOptions {
  readonly devicePath: string;
  /** One-wire echo of the host's bytes (default true). */
  readonly echo?: boolean;
  /** 1 = real time; tests use ~0.01. Applies to every duration below. */
  readonly timeScale?: number;
  /** A note left in escrow this long is returned by the validator itself (default 10 s). */
  readonly escrowTimeoutMs?: number;
  /** From "route to stacker" to the stacked event (default 1.5 s). */
  readonly stackingMs?: number;
  /** From "route return" to the returned event (default 0.5 s). */
  readonly returnMs?: number;
  /** From insertion to the escrow (or refusal) event (default 0.4 s). */
  readonly validationMs?: number;
  /** Power off during a `power-loss` fault (default 1 s). */
  readonly powerOffMs?: number;
  /** Notes the cash box holds (default 600): it reports full when it gets there. */
  readonly stackerCapacity?: number;
  /** Bill ids by type 1…n (default TW0100A, TW0200A, TW0500A, TW1000A, TW2000A). */
  readonly billIds?: readonly string[];
  /** Types enabled at power-up (default 1, 3, 4: NT$200 and NT$2000 refused). */
  readonly enabledAtPowerUp?: readonly number[];
  /** Operating mode at power-up (default: stacker, no escrow — the host turns escrow on). */
  readonly modeAtPowerUp?: number;
  readonly serialNumber?: number;
  readonly baudRate?: number;
}

/** The durations a test may change while the validator runs. */
export type SimulatorTiming = Partial<Pick<BillValidatorSimulatorOptions, 'escrowTimeoutMs' | 'stackingMs' | 'returnMs' | 'validationMs'>>;

export const defaultBillIds = ['TW0100A', 'TW0200A', 'TW0500A', 'TW1000A', 'TW2000A'] as const;
export const simulatorIdentity = { category: 'Bill Validator', manufacturer: 'CCK', product: 'BV-SIM' } as const;

export type ValidatorFault =
  /** The note in transport jams where it may have been taken (status 6); notes refused until cleared. */
  | { readonly kind: 'jam-unsafe' }
  /** The note jams in transport, not taken (status 16). */
  | { readonly kind: 'jam-safe' }
  /** The note jams going into the stacker (status 7): it is in the cash box's path. */
  | { readonly kind: 'jam-stacker' }
  /** A technician clears the jam (the jammed note goes where `clearJam` says). */
  | { readonly kind: 'clear-jam' }
  | { readonly kind: 'stacker-removed' }
  /** The cash box goes back in, emptied (status 12). */
  | { readonly kind: 'stacker-inserted' }
  /** The cash box is full (status 14): route to stacker fails and notes are refused. */
  | { readonly kind: 'stacker-full' }
  | { readonly kind: 'fraud-opto' }
  | { readonly kind: 'fraud-string' }
  /** Power cut and back after `offMs`: counter 0, buffer empty, master inhibit, a note in escrow returned. */
  | { readonly kind: 'power-loss'; readonly offMs?: number }
  | { readonly kind: 'garbage'; readonly bytes?: Uint8Array | number };

export type InsertOutcome =
  | { readonly kind: 'escrow'; readonly billType: number }
  | { readonly kind: 'stacked'; readonly billType: number }
  | { readonly kind: 'refused'; readonly status: BillStatus }
  /** The validator would not take the note in at all (no power, busy, jammed, no cash box, full). */
  | { readonly kind: 'not-taken'; readonly reason: 'no-power' | 'busy' | 'jammed' | 'stacker-removed' | 'stacker-full' };

export interface BillValidatorSimulatorState {
  readonly powered: boolean;
  readonly echo: boolean;
  readonly masterInhibit: boolean;
  readonly enabledTypes: readonly number[];
  readonly operatingMode: number;
  readonly counter: number;
  /** The buffer, newest first. */
  readonly events: readonly BillEvent[];
  readonly escrow: { readonly billType: number; readonly value: number } | null;
  readonly stacking: { readonly billType: number; readonly value: number } | null;
  readonly stacker: 'in' | 'removed' | 'full';
  readonly jam: 'unsafe' | 'safe' | 'stacker' | null;
  /** Notes in the cash box now, by value (emptied when it is removed). */
  readonly stackerNotes: Readonly<Record<number, number>>;
  /** Every note ever stacked, by value. */
  readonly stackedTotal: Readonly<Record<number, number>>;
  /** Notes given back to the customer (route return, escrow timeout, power loss, safe jam cleared). */
  readonly returnedNotes: number;
  readonly commandsReceived: number;
  readonly badFrames: number;
  readonly unknownHeaders: number;
}

export interface BillValidatorSimulator {
  readonly devicePath: string;
  insertNote(value: number, options?: { readonly counterfeit?: boolean }): Promise<InsertOutcome>;
  injectFault(fault: ValidatorFault): void;
  setEcho(on: boolean): void;
  state(): BillValidatorSimulatorState;
  /** For tests: the validator's timing from now on (a note already in escrow keeps the timeout it was given). */
  retime(timing: SimulatorTiming): void;
  /** What happened when (ms on `performance.now()`), the last 100 things: for benchmarks that time the host. */
  timeline(): readonly TimelineEntry[];
  close(): Promise<void>;
}

export async function startBillValidatorSimulator(options: BillValidatorSimulatorOptions): Promise<BillValidatorSimulator> {
  const line = new ValidatorLine(options);
  await line.attach(options.devicePath);
  return line.simulator(options.devicePath, () => line.detach());
}

/** An event entering the buffer, or a route command received. */
export type TimelineEntry =
  | { readonly kind: 'event'; readonly event: BillEvent; readonly at: number }
  | { readonly kind: 'route'; readonly code: number; readonly at: number };

export type PluggableBillValidatorSimulator = BillValidatorSimulator & CableControls;

/** A simulator that owns its pty pair, so that `unplug()` really pulls the cable. */
export async function startBillValidatorSimulatorOnPty(
  options: Omit<BillValidatorSimulatorOptions, 'devicePath'> & PtyCableOptions = {},
): Promise<PluggableBillValidatorSimulator> {
  const cable = await openPtyCable(options.ptyName ?? 'validator', options.dir);
  const line = new ValidatorLine(options);
  return plugInto(cable, line, (close) => line.simulator(cable.devicePath, close));
}

/** The validator and the serial port it is wired to. */
class ValidatorLine {
  private port: SerialPort | undefined;
  readonly device: SimulatedValidator;

  constructor(private readonly options: Omit<BillValidatorSimulatorOptions, 'devicePath'>) {
    this.device = new SimulatedValidator(options, (bytes) => {
      if (this.port?.isOpen) this.port.write(bytes);
    });
  }

  async attach(devicePath: string): Promise<void> {
    const port = new SerialPort({ path: devicePath, baudRate: this.options.baudRate ?? 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    port.on('error', () => {}); // the pty going away (cable pulled) is not the validator's failure
    port.on('data', (chunk: Buffer) => this.device.receive(chunk));
    this.port = port;
  }

  async detach(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  simulator(devicePath: string, close: () => Promise<void>): BillValidatorSimulator {
    return {
      devicePath,
      insertNote: (value, insertOptions) => this.device.insertNote(value, insertOptions?.counterfeit ?? false),
      injectFault: (fault) => this.device.injectFault(fault),
      setEcho: (on) => this.device.setEcho(on),
      state: () => this.device.state(),
      retime: (timing) => this.device.retime(timing),
      timeline: () => this.device.timeline(),
      close: async () => {
        this.device.stop();
        await close();
      },
    };
  }
}

interface Note {
  readonly billType: number;
  readonly value: number;
}

/** A device drops a half-received packet after this much silence between bytes (ccTalk: 50 ms). */
const interByteGapMs = 50;

/** Self-check (232) fault codes we use from the spec's table: 0 OK, 38 stacker, 39 bill jammed. */
const selfCheckCodes = { ok: 0, stacker: 38, billJammed: 39 } as const;

class SimulatedValidator {
  private readonly scale: number;
  private readonly billIds: readonly string[];
  private readonly splitter = new FrameSplitter();
  private lastByteAt = 0;
  private echo: boolean;
  private powered = true;
  private masterInhibit = true;
  private enabledTypes: number[];
  private operatingMode: number;
  private counter = 0;
  private events: BillEvent[] = [];
  private escrow: Note | null = null;
  private stacking: Note | null = null;
  /** A note being validated (the value; its type is known once validated). */
  private validating: { readonly value: number; readonly resolve: (outcome: InsertOutcome) => void } | null = null;
  private jam: { readonly kind: 'unsafe' | 'safe' | 'stacker'; readonly note: Note | null } | null = null;
  private stacker: 'in' | 'removed' | 'full' = 'in';
  private stackerNotes: Record<number, number> = {};
  private stackedTotal: Record<number, number> = {};
  private returnedNotes = 0;
  private commandsReceived = 0;
  private badFrames = 0;
  private unknownHeaders = 0;
  private escrowTimer: NodeJS.Timeout | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private options: Omit<BillValidatorSimulatorOptions, 'devicePath'>,
    private readonly send: (bytes: Buffer) => void,
  ) {
    this.scale = options.timeScale ?? 1;
    this.billIds = options.billIds ?? defaultBillIds;
    this.echo = options.echo ?? true;
    this.enabledTypes = [...(options.enabledAtPowerUp ?? [1, 3, 4])];
    this.operatingMode = options.modeAtPowerUp ?? operatingModeBits.useStacker;
  }

  retime(timing: SimulatorTiming): void {
    this.options = { ...this.options, ...timing };
  }

  setEcho(on: boolean): void {
    this.echo = on;
  }

  private readonly history: TimelineEntry[] = [];

  private note(entry: TimelineEntry): void {
    this.history.push(entry);
    if (this.history.length > 100) this.history.shift();
  }

  timeline(): readonly TimelineEntry[] {
    return [...this.history];
  }

  state(): BillValidatorSimulatorState {
    return {
      powered: this.powered,
      echo: this.echo,
      masterInhibit: this.masterInhibit,
      enabledTypes: [...this.enabledTypes],
      operatingMode: this.operatingMode,
      counter: this.counter,
      events: [...this.events],
      escrow: this.escrow,
      stacking: this.stacking,
      stacker: this.stacker,
      jam: this.jam?.kind ?? null,
      stackerNotes: { ...this.stackerNotes },
      stackedTotal: { ...this.stackedTotal },
      returnedNotes: this.returnedNotes,
      commandsReceived: this.commandsReceived,
      badFrames: this.badFrames,
      unknownHeaders: this.unknownHeaders,
    };
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    clearTimeout(this.escrowTimer);
  }

  // ------------------------------------------------------------ the line

  receive(chunk: Buffer): void {
    // The wire gives the host its own bytes back whatever the validator does.
    if (this.echo) this.send(Buffer.from(chunk));
    const now = Date.now();
    if (now - this.lastByteAt > interByteGapMs) this.splitter.reset();
    this.lastByteAt = now;
    for (const frame of this.splitter.push(chunk)) {
      const decoded = decodePacket(frame);
      if (!decoded.ok) {
        this.badFrames++;
        this.splitter.reset();
        continue;
      }
      if (!this.powered || decoded.packet.dest !== validatorAddress) continue;
      this.commandsReceived++;
      this.handle(decoded.packet);
    }
  }

  private handle(packet: Packet): void {
    const answer = (data: readonly number[] = []): void => this.send(reply(packet.source, data));
    const nak = (): void => this.send(reply(packet.source, [], headers.nak));
    const length = (n: number): boolean => {
      if (packet.data.length === n) return true;
      nak();
      return false;
    };
    const text = (value: string): void => answer([...Buffer.from(value, 'latin1')]);
    switch (packet.header) {
      case headers.simplePoll:
        if (length(0)) answer();
        return;
      case headers.equipmentCategory:
        if (length(0)) text(simulatorIdentity.category);
        return;
      case headers.manufacturer:
        if (length(0)) text(simulatorIdentity.manufacturer);
        return;
      case headers.productCode:
        if (length(0)) text(simulatorIdentity.product);
        return;
      case headers.serialNumber:
        if (length(0)) answer(encodeSerialNumber(this.options.serialNumber ?? 0x0a1b2c));
        return;
      case headers.billId: {
        if (!length(1)) return;
        const type = packet.data[0]!;
        if (type < 1 || type > 16) return nak();
        text(this.billIds[type - 1] ?? '       ');
        return;
      }
      case headers.countryScaling: {
        if (!length(2)) return;
        answer(ascii(packet.data) === 'TW' ? [1, 0, 0] : [0, 0, 0]);
        return;
      }
      case headers.modifyInhibit:
        if (!length(2)) return;
        this.enabledTypes = typesInMask(packet.data[0]!, packet.data[1]!);
        answer();
        return;
      case headers.modifyMasterInhibit:
        if (!length(1)) return;
        this.masterInhibit = (packet.data[0]! & 1) === 0;
        answer();
        return;
      case headers.operatingMode:
        if (!length(1)) return;
        this.operatingMode = packet.data[0]! & 0b11;
        answer();
        return;
      case headers.readBufferedEvents:
        if (length(0)) answer(encodeRawBuffer({ counter: this.counter, slots: this.events.map(encodeEvent) }));
        return;
      case headers.routeBill:
        if (length(1)) answer(this.route(packet.data[0]!));
        return;
      case headers.selfCheck:
        if (length(0)) answer([this.jam ? selfCheckCodes.billJammed : this.stacker === 'in' ? selfCheckCodes.ok : selfCheckCodes.stacker]);
        return;
      case headers.reset:
        if (!length(0)) return;
        answer();
        this.restart();
        return;
      default:
        // ccTalk devices stay silent on a header they do not implement.
        this.unknownHeaders++;
    }
  }

  /** Route bill: [] = ACK, [254] escrow empty, [255] failed to route. */
  private route(code: number): number[] {
    this.note({ kind: 'route', code, at: performance.now() });
    const note = this.escrow;
    if (!note) return [routeErrors.escrowEmpty];
    switch (code) {
      case routeCodes.stack:
        if (this.stacker !== 'in' || this.jam) return [routeErrors.failedToRoute];
        this.escrow = null;
        clearTimeout(this.escrowTimer);
        this.stackNote(note);
        return [];
      case routeCodes.return:
        this.escrow = null;
        clearTimeout(this.escrowTimer);
        this.after(this.options.returnMs ?? 500, () => this.giveBack());
        return [];
      case routeCodes.extendEscrow:
        this.armEscrowTimeout();
        return [];
      default:
        return [routeErrors.failedToRoute];
    }
  }

  // ------------------------------------------------------------ notes

  insertNote(value: number, counterfeit: boolean): Promise<InsertOutcome> {
    const notTaken = (reason: Extract<InsertOutcome, { kind: 'not-taken' }>['reason']): Promise<InsertOutcome> =>
      Promise.resolve({ kind: 'not-taken', reason });
    if (!this.powered) return notTaken('no-power');
    if (this.jam) return notTaken('jammed');
    if (this.stacker === 'removed') return notTaken('stacker-removed');
    if (this.stacker === 'full') return notTaken('stacker-full');
    if (this.escrow || this.stacking || this.validating) return notTaken('busy');
    return new Promise((resolve) => {
      const inTransport = { value, resolve };
      this.validating = inTransport;
      this.after(this.options.validationMs ?? 400, () => {
        // A jam or a power cut while it was being read settled this note already.
        if (this.validating !== inTransport) return;
        this.validating = null;
        const billType = this.billIds.findIndex((id) => parseBillId(id)?.valueCode === value) + 1;
        const refuse = (status: BillStatus): void => {
          this.record({ kind: 'status', counter: 0, status, code: statusCode(status) });
          resolve({ kind: 'refused', status });
        };
        if (this.masterInhibit) return refuse('master-inhibit');
        if (counterfeit || billType === 0) return refuse('invalid-validation');
        if (!this.enabledTypes.includes(billType)) return refuse('inhibited-serial');
        const note = { billType, value };
        if (this.operatingMode & operatingModeBits.useEscrow) {
          this.escrow = note;
          this.record({ kind: 'escrow', counter: 0, billType, value });
          this.armEscrowTimeout();
          resolve({ kind: 'escrow', billType });
          return;
        }
        // No escrow: the note goes straight in, as a pulse acceptor's would.
        this.stackNote(note);
        resolve({ kind: 'stacked', billType });
      });
    });
  }

  private stackNote(note: Note): void {
    this.stacking = note;
    this.after(this.options.stackingMs ?? 1500, () => {
      if (this.stacking !== note) return; // jammed or power cut on the way
      this.stacking = null;
      this.intoCashBox(note);
      this.record({ kind: 'stacked', counter: 0, billType: note.billType, value: note.value });
      const inBox = Object.values(this.stackerNotes).reduce((sum, n) => sum + n, 0);
      if (inBox >= (this.options.stackerCapacity ?? 600)) {
        this.stacker = 'full';
        this.recordStatus('stacker-full');
      }
    });
  }

  private intoCashBox(note: Note): void {
    this.stackerNotes[note.value] = (this.stackerNotes[note.value] ?? 0) + 1;
    this.stackedTotal[note.value] = (this.stackedTotal[note.value] ?? 0) + 1;
  }

  private giveBack(): void {
    this.returnedNotes++;
    this.recordStatus('returned');
  }

  private armEscrowTimeout(): void {
    clearTimeout(this.escrowTimer);
    this.escrowTimer = setTimeout(() => {
      if (!this.escrow) return;
      this.escrow = null;
      this.giveBack();
    }, (this.options.escrowTimeoutMs ?? 10_000) * this.scale);
  }

  // ------------------------------------------------------------ faults

  injectFault(fault: ValidatorFault): void {
    switch (fault.kind) {
      case 'jam-unsafe':
      case 'jam-safe':
      case 'jam-stacker': {
        const validating = this.validating;
        const note = this.stacking ?? this.escrow ?? (validating ? { billType: 0, value: validating.value } : null);
        this.stacking = null;
        this.escrow = null;
        this.validating = null;
        validating?.resolve({ kind: 'not-taken', reason: 'jammed' });
        clearTimeout(this.escrowTimer);
        const kind = fault.kind === 'jam-unsafe' ? 'unsafe' : fault.kind === 'jam-safe' ? 'safe' : 'stacker';
        this.jam = { kind, note };
        this.recordStatus(kind === 'unsafe' ? 'jam-transport-unsafe' : kind === 'safe' ? 'jam-transport-safe' : 'jam-stacker');
        return;
      }
      case 'clear-jam':
        this.clearJam();
        return;
      case 'stacker-removed':
        this.stacker = 'removed';
        this.stackerNotes = {};
        this.recordStatus('stacker-removed');
        return;
      case 'stacker-inserted':
        this.stacker = 'in';
        this.recordStatus('stacker-inserted');
        return;
      case 'stacker-full':
        this.stacker = 'full';
        this.recordStatus('stacker-full');
        return;
      case 'fraud-opto':
      case 'fraud-string': {
        this.recordStatus(fault.kind === 'fraud-opto' ? 'fraud-opto' : 'fraud-string');
        if (this.escrow) {
          // The validator throws out a note it caught being tampered with.
          this.escrow = null;
          clearTimeout(this.escrowTimer);
          this.giveBack();
        }
        return;
      }
      case 'power-loss':
        this.powerOff();
        this.after(fault.offMs ?? this.options.powerOffMs ?? 1000, () => this.powerOn());
        return;
      case 'garbage': {
        const bytes = fault.bytes === undefined || typeof fault.bytes === 'number' ? randomBytes(fault.bytes ?? 16) : Buffer.from(fault.bytes);
        this.send(bytes);
        return;
      }
    }
  }

  /** A jammed note taken out by a technician: a stacker jam's note is in the cash box, the others go back. */
  private clearJam(): void {
    const jam = this.jam;
    this.jam = null;
    if (!jam?.note) return;
    if (jam.kind === 'stacker') this.intoCashBox(jam.note);
    else this.returnedNotes++;
  }

  private powerOff(): void {
    this.powered = false;
    this.stop();
    // A note being read is pushed back out as the motor stops.
    this.validating?.resolve({ kind: 'not-taken', reason: 'no-power' });
    this.validating = null;
    // A note on its way into the stacker finishes its travel mechanically; nobody is told.
    if (this.stacking) this.intoCashBox(this.stacking);
    this.stacking = null;
  }

  private powerOn(): void {
    this.powered = true;
    this.restart();
  }

  /** Power-up or reset: the note in escrow is given back, counter 0, buffer empty, everything inhibited. */
  private restart(): void {
    clearTimeout(this.escrowTimer);
    if (this.escrow) this.returnedNotes++;
    this.escrow = null;
    this.counter = 0;
    this.events = [];
    this.masterInhibit = true;
    this.enabledTypes = [...(this.options.enabledAtPowerUp ?? [1, 3, 4])];
    this.operatingMode = this.options.modeAtPowerUp ?? operatingModeBits.useStacker;
  }

  private recordStatus(status: BillStatus): void {
    this.record({ kind: 'status', counter: 0, status, code: statusCode(status) });
  }

  private record(event: BillEvent): void {
    this.counter = nextCounter(this.counter);
    this.events.unshift({ ...event, counter: this.counter });
    this.note({ kind: 'event', event: { ...event, counter: this.counter }, at: performance.now() });
    this.events.length = Math.min(this.events.length, bufferedEvents);
  }

  private after(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms * this.scale);
    this.timers.add(timer);
  }
}

function statusCode(status: BillStatus): number {
  const entry = Object.entries(billStatusCodes).find(([, name]) => name === status);
  if (!entry) throw new Error(`unknown status ${status}`);
  return Number(entry[0]);
}
