import { EventEmitter } from 'node:events';
import firmataIo, { type Firmata, type FirmataTransport } from 'firmata-io';
import five from 'johnny-five';
import { systemClock, type Clock } from '../shared/clock';
import { silentLog, type LogSink } from '../shared/log';
import { err, ok, type Result } from '../shared/result';
import type { RepeatLimitedLog } from '../shared/repeat-limiter';
import { watchLine, type LineNoiseMonitor } from '../hardware/serial/line-noise';
import { ReconnectingPort } from '../hardware/serial/reconnecting-port';
import { maxSysexBytes, SysexLengthGuard } from './firmata-protocol';
import { BillAcceptor, nv10PulseTiming, type Level, type NoteAccepted, type PulseTiming } from './bill-acceptor';
import { Buzzer, type BuzzPattern } from './buzzer';
import { defaultPinMap, fillLightDuty, levels, type KioskPinMap } from './pin-map';
import { StatusLight, type BoardStatus } from './status-light';
import { doorDebounceMs, StableInput, TamperLatch, type TamperClearError } from './tamper';
import { realTimers, type Timers } from './timers';

/**
 * The kiosk I/O board program: johnny-five over firmata-io over a serialport 13 port that survives
 * unplugging (johnny-five never opens a port itself). One `KioskBoard` lives as long as the
 * controller; each time the board (re)appears it gets a fresh Firmata handshake and johnny-five
 * `Board`, and the outputs are restored from the state kept here.
 */

export type { BoardStatus } from './status-light';
export type { BuzzPattern } from './buzzer';
export type { NoteAccepted } from './bill-acceptor';

export interface TamperEvent {
  readonly open: boolean;
  /** The out-of-service latch (set by opening, cleared only by `clearTamper`). */
  readonly latched: boolean;
  /** Latched because the board was lost on an unattended kiosk, not because the door opened. */
  readonly unwatched?: boolean;
}

export type KioskBoardEvents = {
  /** Exactly once per note; `sequence` counts 1, 2, 3... (or from `firstSequence`). */
  note: [NoteAccepted];
  tamper: [TamperEvent];
  /** Handshake done and outputs restored. */
  connected: [];
  disconnected: [reason: string];
  /** The credit line has been LOW far longer than a pulse: acceptor jam or a short. */
  'bill-line-stuck': [];
  /** The line keeps sending bytes that are no Firmata message (true), or is quiet again (false). */
  lineNoise: [noisy: boolean];
};

export type BoardError = { readonly kind: 'board_disconnected' };

export interface KioskBoard extends EventEmitter<KioskBoardEvents> {
  readonly isConnected: boolean;
  /** The line keeps sending bytes that are no Firmata message. */
  readonly lineNoisy: boolean;
  /** What the light tower shows: `out-of-service` while the tamper latch is set. */
  readonly status: BoardStatus;
  readonly tamperLatched: boolean;
  /** The door as last reported; `undefined` while the board is away. */
  readonly doorOpen: boolean | undefined;
  /** Whether the inhibit line is (or will be, once connected) driven. */
  readonly cashInhibited: boolean;
  /** The state is kept and shown on reconnect; the error only says it is not shown now. */
  setStatus(status: BoardStatus): Result<void, BoardError>;
  buzz(pattern: BuzzPattern): Result<void, BoardError>;
  /** Refuse notes. Forced on anyway while out of service, faulted or tampered. */
  setCashInhibit(inhibited: boolean): Result<void, BoardError>;
  setFillLight(on: boolean): Result<void, BoardError>;
  /** Technician reset of the tamper latch; refused while the door is open or unknown. */
  clearTamper(): Result<void, TamperClearError>;
  /** Resolves when the board is connected (at once if it is). */
  waitUntilConnected(): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectKioskBoardOptions {
  readonly path: string;
  readonly log?: LogSink;
  readonly pinMap?: KioskPinMap;
  /** Must move with real time when `timers` are real (the default). */
  readonly clock?: Clock;
  readonly timers?: Timers;
  /** Bill acceptor timing; scale it together with a simulator's `timeScale`. */
  readonly pulseTiming?: PulseTiming;
  /** Sequence number of the first note (a controller that persists them continues its count). */
  readonly firstSequence?: number;
  /** Keep the latch across controller restarts: start latched until a technician clears it. */
  readonly tamperLatched?: boolean;
  /** Latch the tamper alarm when the board is lost: an unattended kiosk cannot see the door meanwhile. */
  readonly latchWhenUnwatched?: boolean;
  readonly reopenIntervalMs?: number;
  /** Re-ask for the version this often until the board answers the handshake. */
  readonly handshakeRetryMs?: number;
  /** Probe a quiet board this often... */
  readonly probeIntervalMs?: number;
  /** ...and give it up as gone when it has said nothing for this long. */
  readonly silenceTimeoutMs?: number;
  /** A noisy line is clear again after this long without garbage (default `lineQuietMs`). */
  readonly lineQuietMs?: number;
}

export const boardDefaults = {
  reopenIntervalMs: 500,
  handshakeRetryMs: 1000,
  probeIntervalMs: 1000,
  silenceTimeoutMs: 3500,
} as const;

/** A probe tick this many intervals after the last one came late: the process, not the board, was stalled. */
const lateTickFactor = 1.5;

const firmataBaudRate = 57600;
/** `F9` (report version) and `F0 79 F7` (query firmware): what a host sends to a board that did not reset on open. */
const versionQuery = Buffer.from([0xf9, 0xf0, 0x79, 0xf7]);
const probeQuery = Buffer.from([0xf9]);
/** firmata-io's and johnny-five's own one-shot handshake timers: our retry loop replaces them. */
const handshakeNeverTimesOut = 2 ** 30;

export function connectKioskBoard(options: ConnectKioskBoardOptions): KioskBoard {
  const board = new KioskBoardProgram(options);
  board.start();
  return board;
}

/** One connection's worth of Firmata + johnny-five objects. */
interface Session {
  readonly transport: FirmataTransport;
  readonly firmata: Firmata;
  readonly j5: five.Board;
  ready: boolean;
  light: StatusLight | undefined;
  fill: five.Led | undefined;
  handshakeTimer: NodeJS.Timeout | undefined;
  /** The status the lamps show now (re-showing restarts the blink, so only on a change). */
  shownStatus: BoardStatus | undefined;
  lastBill: Level | undefined;
  lastDoor: number | undefined;
}

class KioskBoardProgram extends EventEmitter<KioskBoardEvents> implements KioskBoard {
  private readonly log: LogSink;
  /** For bad frames, which a noisy line repeats many times a second. */
  private readonly repeatLog: RepeatLimitedLog;
  private readonly sysexGuard = new SysexLengthGuard();
  private readonly noise: LineNoiseMonitor;
  private readonly pins: KioskPinMap;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly port: ReconnectingPort;
  private readonly acceptor: BillAcceptor;
  private readonly tamper: TamperLatch;
  private readonly door: StableInput;
  private readonly buzzer: Buzzer;
  private readonly settings: { readonly [K in keyof typeof boardDefaults]: number };
  private session: Session | undefined;
  private connected = false;
  private closed = false;
  private lastRx = 0;
  private lastProbeAt = 0;
  private probeTimer: NodeJS.Timeout | undefined;
  private wantedStatus: BoardStatus = 'out-of-service';
  private wantedInhibit = true;
  private fillOn = false;

  constructor(private readonly options: ConnectKioskBoardOptions) {
    super();
    this.log = options.log ?? silentLog;
    this.pins = options.pinMap ?? defaultPinMap;
    this.clock = options.clock ?? systemClock;
    ({ repeatLog: this.repeatLog, noise: this.noise } = watchLine({
      log: this.log,
      clock: this.clock,
      quietMs: options.lineQuietMs,
      eventId: 'board-line-noise',
      line: 'the I/O board line',
      noise: 'bytes that are no Firmata message',
      onChange: (noisy) => this.emit('lineNoise', noisy),
    }));
    this.timers = options.timers ?? realTimers;
    this.settings = {
      reopenIntervalMs: options.reopenIntervalMs ?? boardDefaults.reopenIntervalMs,
      handshakeRetryMs: options.handshakeRetryMs ?? boardDefaults.handshakeRetryMs,
      probeIntervalMs: options.probeIntervalMs ?? boardDefaults.probeIntervalMs,
      silenceTimeoutMs: options.silenceTimeoutMs ?? boardDefaults.silenceTimeoutMs,
    };
    this.tamper = new TamperLatch(options.tamperLatched ?? false);
    this.port = new ReconnectingPort({
      path: options.path,
      baudRate: firmataBaudRate,
      device: 'board-port',
      reopenIntervalMs: this.settings.reopenIntervalMs,
      log: this.log,
    });
    this.acceptor = new BillAcceptor({
      clock: this.clock,
      timers: this.timers,
      timing: options.pulseTiming ?? nv10PulseTiming,
      ...(options.firstSequence === undefined ? {} : { firstSequence: options.firstSequence }),
      onNote: (note) => this.noteAccepted(note),
      onStuck: () => {
        this.log({ eventId: 'board-bill-line-stuck', disposition: 'failure', message: 'bill acceptor credit line stuck low' });
        this.emit('bill-line-stuck');
      },
    });
    this.door = new StableInput({
      clock: this.clock,
      timers: this.timers,
      debounceMs: doorDebounceMs,
      // Fail secure: any report of an open door latches at once; only "shut" must hold.
      immediate: (level) => level === levels.doorOpen,
      onStable: (level) => this.doorChanged(level === levels.doorOpen),
    });
    this.buzzer = new Buzzer({ write: (on) => this.digitalWrite(this.pins.buzzer, on ? 1 : 0) }, this.timers);
  }

  start(): void {
    this.port.on('connected', () => this.startSession());
    this.port.on('disconnected', (reason) => this.lost(reason));
    this.port.on('data', (chunk) => {
      this.lastRx = this.now();
      // firmata-io keeps a sysex until its F7 however long it grows: past the bound it is dropped here.
      const { bytes, tooLong, garbage } = this.sysexGuard.filter(chunk);
      if (tooLong > 0) {
        if (this.session) this.session.firmata.buffer.length = 0;
        this.repeatLog({ eventId: 'board-bad-frame', disposition: 'failure', message: `a sysex longer than ${maxSysexBytes} bytes from the board was dropped`, count: this.sysexGuard.badFrames });
      }
      if (garbage > 0) {
        this.repeatLog({ eventId: 'board-garbage', disposition: 'failure', message: 'bytes from the board that are no Firmata message', count: this.sysexGuard.badFrames });
      }
      for (let n = 0; n < tooLong + garbage; n++) this.noise.badFrame();
      if (bytes.length > 0) this.feedFirmata(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
    });
    this.probeTimer = setInterval(() => this.probe(), this.settings.probeIntervalMs);
    this.probeTimer.unref();
    void this.port.open();
  }

  /**
   * firmata-io parses in our 'data' call and throws on some malformed messages (a firmware report too
   * short for its name: Buffer.alloc(-1)). Line noise must never reach the process as an exception:
   * the message is dropped as a bad frame and the parser starts afresh.
   */
  private feedFirmata(bytes: Buffer): void {
    const session = this.session;
    if (!session) return;
    try {
      session.transport.emit('data', bytes);
    } catch (error) {
      session.firmata.buffer.length = 0;
      this.noise.badFrame();
      this.repeatLog({ eventId: 'board-bad-frame', disposition: 'failure', message: `a malformed Firmata message from the board was dropped (${(error as Error).message})` });
    }
  }

  get isConnected(): boolean {
    return this.connected;
  }

  get lineNoisy(): boolean {
    return this.noise.noisy;
  }

  get status(): BoardStatus {
    return this.tamper.latched ? 'out-of-service' : this.wantedStatus;
  }

  get tamperLatched(): boolean {
    return this.tamper.latched;
  }

  get doorOpen(): boolean | undefined {
    return this.tamper.doorOpen;
  }

  get cashInhibited(): boolean {
    const status = this.status;
    return this.wantedInhibit || status === 'fault' || status === 'out-of-service';
  }

  setStatus(status: BoardStatus): Result<void, BoardError> {
    this.wantedStatus = status;
    this.applyOutputs();
    return this.shown();
  }

  buzz(pattern: BuzzPattern): Result<void, BoardError> {
    if (!this.connected) return err({ kind: 'board_disconnected' });
    this.buzzer.play(pattern);
    return ok(undefined);
  }

  setCashInhibit(inhibited: boolean): Result<void, BoardError> {
    this.wantedInhibit = inhibited;
    this.applyOutputs();
    return this.shown();
  }

  setFillLight(on: boolean): Result<void, BoardError> {
    this.fillOn = on;
    this.applyOutputs();
    return this.shown();
  }

  clearTamper(): Result<void, TamperClearError> {
    const cleared = this.tamper.clear();
    if (cleared.ok) {
      this.log({ eventId: 'board-tamper-cleared', disposition: 'success', message: 'tamper latch cleared by a technician' });
      this.applyOutputs();
    }
    return cleared;
  }

  waitUntilConnected(): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve) => this.once('connected', resolve));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.probeTimer);
    if (this.connected) {
      // Leave the board safe: no money in, and say so on the light.
      this.digitalWrite(this.pins.billInhibit, levels.billInhibited);
      this.buzzer.stop();
      this.session?.light?.show('out-of-service');
      this.session?.light?.stop();
      await this.port.drain();
    }
    this.endSession();
    this.acceptor.close();
    this.noise.reset();
    this.repeatLog.flush();
    this.door.reset();
    this.connected = false;
    await this.port.close();
  }

  // --- connection ---------------------------------------------------------------------------

  private startSession(): void {
    this.endSession();
    const transport: FirmataTransport = Object.assign(new EventEmitter(), {
      write: (data: Buffer, callback?: (error?: Error | null) => void) => {
        if (this.session?.transport === transport) this.port.write(data);
        callback?.(null);
        return true;
      },
    });
    const firmata = new firmataIo.Firmata(transport, { reportVersionTimeout: handshakeNeverTimesOut });
    firmata.on('error', () => {});
    const j5 = new five.Board({ io: firmata, repl: false, debug: false, sigint: false, timeout: handshakeNeverTimesOut } as five.BoardOption);
    j5.on('error', () => {});
    const session: Session = {
      transport,
      firmata,
      j5,
      ready: false,
      light: undefined,
      fill: undefined,
      handshakeTimer: undefined,
      shownStatus: undefined,
      lastBill: undefined,
      lastDoor: undefined,
    };
    this.session = session;
    this.lastRx = this.now();
    this.log({ eventId: 'board-handshake-init', disposition: 'na', message: 'asking the board for its firmware' });
    j5.on('ready', () => {
      if (this.session === session && !session.ready) this.sessionReady(session);
    });
    process.nextTick(() => transport.emit('open'));
    // The board may have booted long ago (or not reset on open): ask rather than wait, and keep asking.
    const ask = (): void => {
      if (this.session !== session || session.ready) return;
      this.port.write(versionQuery);
      session.handshakeTimer = setTimeout(ask, this.settings.handshakeRetryMs);
    };
    ask();
  }

  private sessionReady(session: Session): void {
    session.ready = true;
    clearTimeout(session.handshakeTimer);
    const { firmata, j5 } = session;
    const pins = this.pins;
    session.light = new StatusLight({
      red: new five.Led({ pin: pins.statusLight.red, board: j5 }),
      amber: new five.Led({ pin: pins.statusLight.amber, board: j5 }),
      green: new five.Led({ pin: pins.statusLight.green, board: j5 }),
    });
    session.fill = new five.Led({ pin: pins.fillLight, board: j5 });
    firmata.pinMode(pins.buzzer, firmata.MODES.OUTPUT);
    firmata.digitalWrite(pins.buzzer, 0);
    firmata.pinMode(pins.billInhibit, firmata.MODES.OUTPUT);
    // Inputs: the board's pull-ups; reporting sends each port at once, so the levels are known now.
    firmata.pinMode(pins.billPulse, firmata.MODES.PULLUP);
    firmata.pinMode(pins.tamper, firmata.MODES.PULLUP);
    this.acceptor.reset(1);
    firmata.digitalRead(pins.billPulse, (value) => this.billLevel(session, value ? 1 : 0));
    firmata.digitalRead(pins.tamper, (value) => this.doorLevel(session, value));
    this.connected = true;
    this.applyOutputs();
    const name = firmata.firmware.name ?? 'unknown';
    this.log({ eventId: 'board-handshake-complete', disposition: 'success', message: `board ready: ${name}`, firmware: name });
    this.log({ eventId: 'board-connected', disposition: 'success', message: 'I/O board connected' });
    this.emit('connected');
  }

  private billLevel(session: Session, level: Level): void {
    if (this.session !== session || level === session.lastBill) return;
    session.lastBill = level;
    // A line already LOW at (re)connect is a pulse in progress (a reconnect takes far longer than
    // a pulse, so it cannot be one counted before): the counter starts idle and sees the edge.
    this.acceptor.input(level);
  }

  private doorLevel(session: Session, level: number): void {
    if (this.session !== session || level === session.lastDoor) return;
    session.lastDoor = level;
    this.door.input(level);
  }

  /**
   * No byte for a while: probe; no answer for longer: the board is gone (powered off, hung). A tick that
   * comes late means this process was stalled (a busy CPU): the board's answers may be waiting unread
   * behind the timer, so that silence is ours, not the board's — probe, and judge on a punctual tick.
   */
  private probe(): void {
    const session = this.session;
    const now = this.now();
    const stalled = this.lastProbeAt !== 0 && now - this.lastProbeAt > this.settings.probeIntervalMs * lateTickFactor;
    this.lastProbeAt = now;
    if (!session?.ready) return;
    const quiet = now - this.lastRx;
    if (quiet >= this.settings.silenceTimeoutMs && !stalled) {
      this.lost('board silent');
      // The port is still there: start over with a fresh handshake on it.
      if (this.port.isOpen && !this.closed) this.startSession();
    } else if (quiet >= this.settings.probeIntervalMs) {
      this.port.write(probeQuery);
    }
  }

  private lost(reason: string): void {
    this.noise.reset();
    this.endSession();
    this.acceptor.disconnect();
    this.door.reset();
    this.tamper.forget();
    this.buzzer.stop();
    if (!this.connected) return;
    this.connected = false;
    this.log({ eventId: 'board-disconnected', disposition: 'failure', message: `I/O board lost: ${reason}`, reason });
    this.emit('disconnected', reason);
    if (this.options.latchWhenUnwatched && this.tamper.unwatched()) {
      this.log({ eventId: 'board-tamper-unwatched', disposition: 'failure', message: 'door unwatched while the board is away: out of service until a technician clears it' });
      this.emit('tamper', { open: false, latched: true, unwatched: true });
    }
  }

  private endSession(): void {
    const session = this.session;
    if (!session) return;
    this.session = undefined;
    clearTimeout(session.handshakeTimer);
    clearTimeout(session.firmata.reportVersionTimeoutId);
    session.light?.stop();
    session.fill?.stop();
    const j5 = session.j5 as five.Board & { timer?: NodeJS.Timeout | null };
    if (j5.timer) clearTimeout(j5.timer);
    // johnny-five keeps every Board in a module-wide cache: drop ours so reconnects do not pile up.
    const cache = (five.Board as unknown as { cache: five.Board[] }).cache;
    const index = cache.indexOf(session.j5);
    if (index >= 0) cache.splice(index, 1);
    session.firmata.removeAllListeners('digital-read');
  }

  // --- inputs -------------------------------------------------------------------------------

  private noteAccepted(note: NoteAccepted): void {
    this.log({
      eventId: note.irregular ? 'board-note-irregular' : 'board-note-accepted',
      disposition: note.irregular ? 'failure' : 'success',
      message:
        note.amount === 0
          ? `note refused: ${note.pulses} pulse(s) certain are no programmed note, up to NT$${note.maxAmount} (a lost pulse, or a stall or noise made the pulses ambiguous: check the cash box)`
          : note.irregular
            ? `note accepted: NT$${note.amount}, flagged (a pulse held LOW far too long)`
            : `note accepted: NT$${note.amount}`,
      amount: note.amount,
      maxAmount: note.maxAmount,
      sequence: note.sequence,
      pulses: note.pulses,
    });
    this.emit('note', note);
  }

  private doorChanged(open: boolean): void {
    const change = this.tamper.door(open);
    switch (change.kind) {
      case 'opened':
        this.log({ eventId: 'board-tamper-open', disposition: 'failure', message: 'kiosk door opened: out of service', latchedNow: change.latchedNow });
        this.applyOutputs();
        this.emit('tamper', { open: true, latched: true });
        return;
      case 'shut':
        this.log({ eventId: 'board-tamper-shut', disposition: 'na', message: 'kiosk door shut; the latch stays until a technician clears it' });
        this.emit('tamper', { open: false, latched: this.tamper.latched });
        return;
      case 'none':
        return;
    }
  }

  // --- outputs ------------------------------------------------------------------------------

  private applyOutputs(): void {
    const session = this.session;
    if (!this.connected || !session?.ready) return;
    this.digitalWrite(this.pins.billInhibit, this.cashInhibited ? levels.billInhibited : 1 - levels.billInhibited);
    this.acceptor.setInhibited(this.cashInhibited);
    const status = this.status;
    if (session.shownStatus !== status) {
      session.shownStatus = status;
      session.light?.show(status);
    }
    if (this.fillOn) session.fill?.brightness(fillLightDuty);
    else session.fill?.off();
  }

  private digitalWrite(pin: number, value: number): void {
    const session = this.session;
    if (!this.connected || !session?.ready) return;
    session.firmata.digitalWrite(pin, value);
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private shown(): Result<void, BoardError> {
    return this.connected ? ok(undefined) : err({ kind: 'board_disconnected' });
  }
}

