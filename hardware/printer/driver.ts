import { EventEmitter } from 'node:events';
import { systemClock, type Clock } from '../../shared/clock';
import { silentLog, type LogSink } from '../../shared/log';
import { err, ok, type Result } from '../../shared/result';
import type { RepeatLimitedLog } from '../../shared/repeat-limiter';
import { watchLine, type LineNoiseMonitor } from '../serial/line-noise';
import { ReconnectingPort } from '../serial/reconnecting-port';
import {
  encodeCommand,
  encodePanel,
  interpretReply,
  maxCompressedPanelBytes,
  maxReplyBytes,
  panelBytes,
  parseCardPresence,
  parseCounter,
  parseFeederState,
  parseVolts,
  ReplyReader,
  sensorHighVolts,
} from './protocol';
import {
  defaultPrinterTimeouts,
  panelLevels,
  ribbonTypes,
  type CardPrinter,
  type CardSide,
  type PrinterError,
  type PrinterEvents,
  type PrinterStatus,
  type PrinterTimeoutName,
  type PrinterTimeouts,
  type PrintJob,
  type PrintReceipt,
  type RibbonType,
} from './types';

/**
 * The Evolis-class card printer over a serial / USB-CDC line. One command is in flight at a time;
 * a whole print job holds the line from `Pem;2` to `Sic`, so an idle status poll never lands
 * inside a sequence. Replies are bare ASCII: one is complete at CR/LF or after `replyQuiet` ms of
 * silence. Bytes that arrive while no command waits are counted and dropped.
 */
export interface CardPrinterOptions {
  readonly path: string;
  readonly log?: LogSink;
  readonly timeouts?: Partial<PrinterTimeouts>;
  readonly clock?: Clock;
  /** Status read while idle, every this many ms (0 = never). */
  readonly pollIntervalMs?: number;
  readonly reopenIntervalMs?: number;
  readonly baudRate?: number;
  /** Send K and O as `Dbc` when shorter (default true). */
  readonly compressPanels?: boolean;
  /** A noisy line is clear again after this long without a bad frame (default `lineQuietMs`). */
  readonly lineQuietMs?: number;
}

export const defaultPollIntervalMs = 5_000;
/** NULs that end the longest panel a printer can be waiting for, and one more (see `resyncLine`). */
const resyncBytes = Math.max(...panelLevels.map(panelBytes), maxCompressedPanelBytes) + 1;

export async function openCardPrinter(options: CardPrinterOptions): Promise<CardPrinter> {
  const printer = new EvolisPrinter(options);
  await printer.open();
  return printer;
}

type Exchange = Result<string, PrinterError>;

interface Pending {
  readonly command: string;
  readonly resolve: (result: Exchange) => void;
}

const unknownStatus = (connected: boolean, readAt: number): PrinterStatus => ({
  connected,
  card: 'unknown',
  output: 'unknown',
  cover: 'unknown',
  feeder: 'unknown',
  ribbon: 'unknown',
  printsLeft: null,
  ribbonAtEnd: false,
  readAt,
});

class EvolisPrinter implements CardPrinter {
  private readonly port: ReconnectingPort;
  private readonly reader = new ReplyReader();
  private readonly events = new EventEmitter<PrinterEvents>();
  private readonly timeouts: PrinterTimeouts;
  private readonly log: LogSink;
  /** For stray bytes and bad replies, which a noisy line repeats many times a second. */
  private readonly repeatLog: RepeatLimitedLog;
  private readonly noise: LineNoiseMonitor;
  private readonly clock: Clock;
  private pending: Pending | undefined;
  private quietTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  /** The tail of the operation queue: each operation starts when the previous one ends. */
  private queue: Promise<unknown> = Promise.resolve();
  private busy = false;
  private closed = false;
  private feederCommand: 'Sk' | 'Rse' = 'Sk';
  private exitSensor = true;
  private snapshot: PrinterStatus;
  /** NULs were sent since the last reply (`resyncLine`). */
  private lineResynced = false;

  constructor(private readonly options: CardPrinterOptions) {
    this.timeouts = { ...defaultPrinterTimeouts, ...options.timeouts };
    this.log = options.log ?? silentLog;
    this.clock = options.clock ?? systemClock;
    ({ repeatLog: this.repeatLog, noise: this.noise } = watchLine({
      log: this.log,
      clock: this.clock,
      quietMs: options.lineQuietMs,
      eventId: 'printer-line-noise',
      line: 'the printer line',
      noise: 'bytes that are no reply',
      onChange: (noisy) => this.events.emit('lineNoise', noisy),
    }));
    this.snapshot = unknownStatus(false, this.clock.now().getTime());
    this.port = new ReconnectingPort({
      path: options.path,
      device: 'printer',
      log: this.log,
      ...(options.baudRate !== undefined ? { baudRate: options.baudRate } : {}),
      ...(options.reopenIntervalMs !== undefined ? { reopenIntervalMs: options.reopenIntervalMs } : {}),
    });
    this.port.on('data', (chunk) => this.onData(chunk));
    this.port.on('connected', () => {
      this.setSnapshot({ ...this.snapshot, connected: true });
      this.events.emit('connected');
      if ((this.options.pollIntervalMs ?? defaultPollIntervalMs) > 0) void this.poll();
    });
    this.port.on('disconnected', (reason) => {
      this.noise.reset();
      this.settle({ ok: false, error: { kind: 'disconnected', ...(this.pending ? { command: this.pending.command } : {}) } });
      this.setSnapshot(unknownStatus(false, this.clock.now().getTime()));
      this.events.emit('disconnected', reason);
    });
  }

  async open(): Promise<void> {
    await this.port.open();
    const every = this.options.pollIntervalMs ?? defaultPollIntervalMs;
    if (every > 0) {
      this.pollTimer = setInterval(() => void this.poll(), every);
      this.pollTimer.unref();
    }
  }

  get isConnected(): boolean {
    return this.port.isOpen;
  }

  on<E extends keyof PrinterEvents>(event: E, listener: (...args: PrinterEvents[E]) => void): () => void {
    // EventEmitter's typing of generic keys is too narrow to accept this listener directly
    const emitter = this.events as unknown as EventEmitter;
    emitter.on(event, listener as (...args: unknown[]) => void);
    return () => emitter.off(event, listener as (...args: unknown[]) => void);
  }

  lastStatus(): PrinterStatus {
    return this.snapshot;
  }

  status(): Promise<Result<PrinterStatus, PrinterError>> {
    return this.exclusive(() => this.readStatus());
  }

  printCard(job: PrintJob): Promise<Result<PrintReceipt, PrinterError>> {
    checkJob(job);
    return this.exclusive(async () => {
      this.log({ eventId: 'printer-print-init', disposition: 'na', message: `print job: ${job.ribbon}, ${job.back ? 2 : 1} side(s)` });
      const result = await this.runJob(job);
      this.log({
        eventId: 'printer-print-complete',
        disposition: result.ok ? 'success' : 'failure',
        message: result.ok ? 'card printed and parked at the contactless station' : `print failed: ${result.error.kind}`,
      });
      return result;
    });
  }

  insertToContactless(): Promise<Result<void, PrinterError>> {
    return this.exclusive(async () => {
      const inserted = await this.expectOk('Si', [], 'insert');
      return inserted.ok ? this.expectOk('Sic', [], 'move') : inserted;
    });
  }

  ejectCard(): Promise<Result<void, PrinterError>> {
    return this.exclusive(async () => {
      const ejected = await this.expectOk('Se', [], 'move');
      if (ejected.ok) this.events.emit('step', 'eject');
      return ejected;
    });
  }

  rejectCard(): Promise<Result<void, PrinterError>> {
    return this.exclusive(() => this.expectOk('Ser', [], 'move'));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.quietTimer);
    this.noise.reset();
    this.repeatLog.flush();
    this.settle({ ok: false, error: { kind: 'closed' } });
    await this.port.close();
    this.events.removeAllListeners();
  }

  // ------------------------------------------------------------ operations

  private async runJob(job: PrintJob): Promise<Result<PrintReceipt, PrinterError>> {
    let bytesSent = 0;
    let panels = 0;
    const steps: Array<[string, readonly (string | number)[], PrinterTimeoutName]> = [
      ['Pem', [2], 'query'], // the host handles errors: the printer waits instead of ejecting
      ['Pr', [job.ribbon], 'query'],
      ['Pmi', ['F', 's'], 'query'],
      ['Ss', [], 'insert'],
      ['Sr', [], 'query'],
    ];
    for (const [name, params, timeout] of steps) {
      const result = await this.expectOk(name, params, timeout);
      if (!result.ok) return result;
      if (name === 'Ss') this.events.emit('step', 'insert');
    }
    const sendSide = async (side: CardSide): Promise<Result<void, PrinterError>> => {
      for (const panel of side.panels) {
        const bytes = encodePanel(panel, { compress: this.options.compressPanels ?? true });
        const result = await this.exchangeOk(bytes, `Db;${panel.name}`, 'panel');
        if (!result.ok) return result;
        bytesSent += bytes.length;
        panels++;
      }
      return ok(undefined);
    };
    const front = await sendSide(job.front);
    if (!front.ok) return front;
    if (job.back) {
      const flip = await this.expectOk('Sv', [], 'print');
      if (!flip.ok) return flip;
      this.events.emit('step', 'print-front');
      const back = await sendSide(job.back);
      if (!back.ok) return back;
    }
    const parked = await this.expectOk('Sic', [], 'print');
    if (!parked.ok) return parked;
    // `Sic` prints the last side, then moves the card to the contactless station.
    this.events.emit('step', job.back ? 'print-back' : 'print-front');
    this.events.emit('step', 'park');
    await this.expectOk('Pem', [0], 'query'); // back to the printer's own error handling; failure here changes nothing
    return ok({ sides: job.back ? 2 : 1, panels, bytesSent, position: 'contactless-station' });
  }

  private async readStatus(): Promise<Result<PrinterStatus, PrinterError>> {
    const card = await this.read('Rlr', ['p'], parseCardPresence);
    if (!card.ok) return card;
    const cover = await this.read('Rse', ['o'], parseVolts);
    if (!cover.ok) return cover;
    const output = await this.readOutput();
    if (!output.ok) return output;
    const feeder = await this.readFeeder();
    if (!feeder.ok) return feeder;
    const ribbon = await this.read('Rr', [], (text) => {
      const lower = text.toLowerCase();
      return (ribbonTypes as readonly string[]).includes(lower) ? (lower as RibbonType) : undefined;
    });
    if (!ribbon.ok) return ribbon;
    const printsLeft = await this.read('Rco', ['I'], parseCounter);
    if (!printsLeft.ok) return printsLeft;
    const atEnd = await this.command('Rcr', [], 'query');
    if (!atEnd.ok && atEnd.error.kind !== 'ribbon_out') return atEnd;
    const status: PrinterStatus = {
      connected: true,
      card: card.value,
      output: output.value,
      cover: cover.value >= sensorHighVolts ? 'closed' : 'open',
      feeder: feeder.value,
      ribbon: ribbon.value,
      printsLeft: printsLeft.value,
      ribbonAtEnd: !atEnd.ok,
      readAt: this.clock.now().getTime(),
    };
    this.setSnapshot(status);
    return ok(status);
  }

  /** The exit slot sensor `Rse;b`: a card there waits to be taken. A model without it says `ERROR CDE`. */
  private async readOutput(): Promise<Result<'card' | 'empty' | 'unknown', PrinterError>> {
    if (!this.exitSensor) return ok('unknown');
    const volts = await this.read('Rse', ['b'], parseVolts);
    if (volts.ok) return ok(volts.value >= sensorHighVolts ? 'card' : 'empty');
    if (volts.error.kind !== 'unknown_command' && volts.error.kind !== 'rejected') return volts;
    this.exitSensor = false;
    return ok('unknown');
  }

  /** `Sk;f` where the model has it (Quantum/Kiosk), else the feeder sensor `Rse;f`. */
  private async readFeeder(): Promise<Result<'loaded' | 'empty', PrinterError>> {
    if (this.feederCommand === 'Sk') {
      const state = await this.read('Sk', ['f'], parseFeederState);
      if (state.ok || state.error.kind !== 'unknown_command') return state;
      this.feederCommand = 'Rse';
    }
    const volts = await this.read('Rse', ['f'], parseVolts);
    return volts.ok ? ok(volts.value >= sensorHighVolts ? 'loaded' : 'empty') : volts;
  }

  private async poll(): Promise<void> {
    if (this.busy || this.closed || !this.port.isOpen) return;
    const result = await this.status();
    if (!result.ok && result.error.kind !== 'disconnected' && result.error.kind !== 'closed') {
      this.log({ eventId: 'printer-status-poll-failed', disposition: 'failure', message: `status poll failed: ${result.error.kind}` });
    }
  }

  private setSnapshot(status: PrinterStatus): void {
    const before = this.snapshot;
    this.snapshot = status;
    const { readAt: _a, ...a } = before;
    const { readAt: _b, ...b } = status;
    if (JSON.stringify(a) !== JSON.stringify(b)) this.events.emit('status', status);
  }

  // ------------------------------------------------------------ one command at a time

  /** Runs `operation` when every earlier one has finished. */
  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      this.busy = true;
      try {
        return await operation();
      } finally {
        this.busy = false;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async expectOk(name: string, params: readonly (string | number)[], timeout: PrinterTimeoutName): Promise<Result<void, PrinterError>> {
    const result = await this.command(name, params, timeout);
    return result.ok ? ok(undefined) : result;
  }

  /** Sends a command; `OK` → ok(''), an error reply → its typed error, other text → ok(text). */
  private async command(name: string, params: readonly (string | number)[], timeout: PrinterTimeoutName): Promise<Result<string, PrinterError>> {
    const label = [name, ...params].join(';');
    return this.interpret(label, await this.exchange(encodeCommand(name, params), label, timeout));
  }

  private async exchangeOk(bytes: Buffer, label: string, timeout: PrinterTimeoutName): Promise<Result<void, PrinterError>> {
    const result = this.interpret(label, await this.exchange(bytes, label, timeout));
    if (!result.ok) return result;
    if (result.value !== '') return this.badReply(label, result.value);
    return ok(undefined);
  }

  private interpret(label: string, reply: Exchange): Result<string, PrinterError> {
    if (!reply.ok) return reply;
    const meaning = interpretReply(label, reply.value);
    switch (meaning.kind) {
      case 'ok':
        return ok('');
      case 'error':
        this.log({ eventId: 'printer-error-reply', disposition: 'failure', message: `${label}: ${meaning.error.kind}` });
        return err(meaning.error);
      case 'text':
        return ok(meaning.text);
    }
  }

  /** A read whose reply `parse` must understand; a garbled reply is read once more. */
  private async read<T>(name: string, params: readonly string[], parse: (text: string) => T | undefined): Promise<Result<T, PrinterError>> {
    const label = [name, ...params].join(';');
    let last: Result<T, PrinterError> = err({ kind: 'bad_reply', command: label, reply: '' });
    for (let attempt = 0; attempt < 2; attempt++) {
      const reply = await this.exchange(encodeCommand(name, params), label, 'query');
      if (!reply.ok && reply.error.kind === 'timeout' && attempt === 0 && (await this.resyncLine())) continue;
      if (!reply.ok) return reply;
      const parsed = parse(reply.value.trim());
      if (parsed !== undefined) return ok(parsed);
      const meaning = interpretReply(label, reply.value);
      if (meaning.kind === 'error') return err(meaning.error);
      last = this.badReply(label, reply.value);
    }
    return last;
  }

  /**
   * A read met silence: the printer may be inside a panel that a host which died never finished (it
   * takes every byte as panel data until the announced length is in). NULs as long as the longest
   * panel end that panel — the byte after it is no CR, so it is dropped as malformed — and are ignored
   * between commands, so they are safe whatever state the printer is in. Once per silence: a printer
   * that is off or unplugged is not flooded at every poll. Returns whether it was sent.
   */
  private async resyncLine(): Promise<boolean> {
    if (this.lineResynced || this.closed || !this.port.isOpen) return false;
    this.lineResynced = true;
    this.log({ eventId: 'printer-line-resync', disposition: 'na', message: `no reply: ${resyncBytes} NUL bytes sent to end any panel the printer is waiting for` });
    // Its reply (an error for the panel cut short), or none, is waited for, so that it is no read's answer.
    await this.exchange(Buffer.alloc(resyncBytes), 'resync', 'query');
    return true;
  }

  private badReply(command: string, reply: string): Result<never, PrinterError> {
    const printable = reply.replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
    this.noise.badFrame();
    this.repeatLog({ eventId: 'printer-bad-reply', disposition: 'failure', message: `${command}: unexpected reply`, reply: printable });
    return err({ kind: 'bad_reply', command, reply: printable });
  }

  /** Writes one command and waits for its reply. Callers hold the queue (`exclusive`). */
  private exchange(bytes: Buffer, command: string, timeout: PrinterTimeoutName): Promise<Exchange> {
    if (this.closed) return Promise.resolve(err({ kind: 'closed' }));
    if (!this.port.isOpen) return Promise.resolve(err({ kind: 'disconnected', command }));
    this.reader.clear(); // whatever came before belongs to no command
    clearTimeout(this.quietTimer);
    return new Promise<Exchange>((resolve) => {
      const timer = setTimeout(() => {
        this.log({ eventId: 'printer-command-timeout', disposition: 'failure', message: `${command}: no reply within ${this.timeouts[timeout]} ms`, timeout });
        this.settle(err({ kind: 'timeout', command, timeout }));
      }, this.timeouts[timeout]);
      this.pending = {
        command,
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
      };
      if (!this.port.write(bytes)) {
        this.settle(err({ kind: 'disconnected', command }));
        return;
      }
    });
  }

  private settle(result: Exchange): void {
    if (result.ok) this.lineResynced = false;
    const pending = this.pending;
    this.pending = undefined;
    clearTimeout(this.quietTimer);
    this.reader.clear();
    pending?.resolve(result);
  }

  private onData(chunk: Buffer): void {
    if (!this.pending) {
      if (chunk.every((byte) => byte === 0x0d || byte === 0x0a || byte === 0x00)) return; // the end of a reply already taken
      this.noise.badFrame();
      this.repeatLog({ eventId: 'printer-stray-bytes', disposition: 'na', message: 'bytes with no command waiting were dropped', bytes: chunk.length });
      return;
    }
    const dropped = this.reader.badFrames;
    const [reply] = this.reader.feed(chunk);
    if (this.reader.badFrames > dropped) {
      this.noise.badFrame();
      this.repeatLog({ eventId: 'printer-bad-frame', disposition: 'failure', message: `a reply longer than ${maxReplyBytes} bytes was dropped`, count: this.reader.badFrames });
    }
    if (reply !== undefined) {
      this.settle(ok(reply));
      return;
    }
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => {
      const bare = this.reader.flush();
      if (bare !== undefined) this.settle(ok(bare));
    }, this.timeouts.replyQuiet);
  }
}

function checkJob(job: PrintJob): void {
  for (const side of [job.front, ...(job.back ? [job.back] : [])]) {
    for (const panel of side.panels) {
      if (panel.data.length !== panelBytes(panel.levels)) {
        throw new Error(`panel ${panel.name}: ${panel.data.length} bytes, expected ${panelBytes(panel.levels)} at ${panel.levels} levels`);
      }
    }
  }
}
