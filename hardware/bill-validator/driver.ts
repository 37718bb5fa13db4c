import { EventEmitter } from 'node:events';
import { CCTalkParser } from '@serialport/parser-cctalk';
import { realTimers, systemClock, type Timers } from '../../shared/clock';
import { silentLog, type LogSink } from '../../shared/log';
import { err, ok, type Result } from '../../shared/result';
import type { RepeatLimitedLog } from '../../shared/repeat-limiter';
import { watchLine, type LineNoiseMonitor } from '../serial/line-noise';
import { ReconnectingPort } from '../serial/reconnecting-port';
import {
  ascii,
  billValue,
  command,
  decodeEventBuffer,
  decodePacket,
  decodeRawBuffer,
  eventsSince,
  headers,
  hostAddress,
  inhibitMask,
  operatingModeBits,
  parseBillId,
  parseScaling,
  parseSerialNumber,
  routeCodes,
  routeErrors,
  validatorAddress,
} from './protocol';
import type {
  BillEventBuffer,
  BillTypeInfo,
  BillValidator,
  BillValidatorConnection,
  BillValidatorError,
  BillValidatorEvents,
  BillValidatorIdentity,
  RouteAction,
} from './types';

/**
 * The ccTalk bill validator over a serial line (docs/protocols.md; README.md here). One command is on
 * the wire at a time (a queue); between commands the event buffer (159) is polled every `pollMs` and
 * each new event announced once, in order, or a break when the counter restarted or jumped.
 *
 * On connecting (and after every restart of the validator) the driver turns escrow on (153) before
 * anything else: a validator without escrow stacks a note before the host knows of it.
 */
export interface BillValidatorOptions {
  /** The serial device (`/dev/serial/by-id/…`, or the host end of a pty pair). */
  readonly path: string;
  readonly log?: LogSink;
  /** Event buffer poll interval (default 100 ms: ccTalk hosts poll every 100–200 ms). */
  readonly pollMs?: number;
  /** One-wire bus: our own bytes come back first and are skipped (default true). */
  readonly echo?: boolean;
  /** No echo, or no reply after the echo, within this long: the exchange fails (default 500 ms). */
  readonly replyTimeoutMs?: number;
  /** Polls failing in a row before the validator counts as disconnected (default 3). */
  readonly failedPollsToDisconnect?: number;
  /** For the poll interval and reply timeouts (real time by default). */
  readonly timers?: Timers;
  readonly reopenIntervalMs?: number;
  readonly baudRate?: number;
}

export const defaultPollMs = 100;
export const defaultReplyTimeoutMs = 500;
export const defaultFailedPollsToDisconnect = 3;
/** Bill types a validator can have (inhibit mask: two bytes). */
const maxBillTypes = 16;

/** What the concrete driver adds to the interface: for `kioskctl doctor` and tests. */
export interface SerialBillValidator extends BillValidator {
  readonly connection: BillValidatorConnection;
  /** Resolves true once connected and set up, false if closed first. */
  whenConnected(): Promise<boolean>;
  /** Perform self-check (232): the fault code, 0 = OK. */
  selfCheck(): Promise<Result<number, BillValidatorError>>;
  /** Simple poll (254): the validator answers. */
  ping(): Promise<Result<void, BillValidatorError>>;
}

export function openBillValidator(options: BillValidatorOptions): SerialBillValidator {
  return new CcTalkBillValidator(options);
}

type Exchange = Result<Uint8Array, BillValidatorError>;

interface Pending {
  readonly sent: Buffer;
  readonly label: string;
  readonly parser: CCTalkParser;
  stage: 'echo' | 'reply';
  sawBadFrame: boolean;
  timer: unknown;
  readonly resolve: (result: Exchange) => void;
}

const logDevice = 'validator';

class CcTalkBillValidator implements SerialBillValidator {
  private readonly port: ReconnectingPort;
  private readonly events = new EventEmitter();
  private readonly log: LogSink;
  private readonly repeatLog: RepeatLimitedLog;
  private readonly noise: LineNoiseMonitor;
  private readonly timers: Timers;
  private readonly pollMs: number;
  private readonly echo: boolean;
  private readonly replyTimeoutMs: number;
  private readonly failuresToDisconnect: number;
  private queue: Promise<unknown> = Promise.resolve();
  private pending: Pending | undefined;
  private pollTimer: unknown;
  private closed = false;
  private state: BillValidatorConnection = 'disconnected';
  private failedPolls = 0;
  private counter: number | null = null;
  private billTypes: BillTypeInfo[] | undefined;
  private readonly waiters = new Set<(connected: boolean) => void>();

  constructor(options: BillValidatorOptions) {
    this.log = options.log ?? silentLog;
    this.timers = options.timers ?? realTimers;
    this.pollMs = options.pollMs ?? defaultPollMs;
    this.echo = options.echo ?? true;
    this.replyTimeoutMs = options.replyTimeoutMs ?? defaultReplyTimeoutMs;
    this.failuresToDisconnect = options.failedPollsToDisconnect ?? defaultFailedPollsToDisconnect;
    ({ repeatLog: this.repeatLog, noise: this.noise } = watchLine({
      log: this.log,
      clock: systemClock,
      eventId: 'validator-line-noise',
      line: 'the bill validator line',
      noise: 'bad frames',
      onChange: () => {},
    }));
    this.port = new ReconnectingPort({
      path: options.path,
      device: logDevice,
      log: this.log,
      ...(options.baudRate === undefined ? {} : { baudRate: options.baudRate }),
      ...(options.reopenIntervalMs === undefined ? {} : { reopenIntervalMs: options.reopenIntervalMs }),
    });
    this.port.on('data', (chunk) => this.receive(chunk));
    this.port.on('connected', () => this.schedulePoll(0));
    this.port.on('disconnected', (reason) => {
      this.settle(err({ kind: 'closed', message: `the validator's port closed: ${reason}` }));
      this.setConnection('disconnected', reason);
    });
    void this.port.open();
  }

  get connection(): BillValidatorConnection {
    return this.state;
  }

  whenConnected(): Promise<boolean> {
    if (this.state === 'connected') return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  on<E extends keyof BillValidatorEvents>(event: E, listener: BillValidatorEvents[E]): void {
    this.events.on(event, listener);
  }

  off<E extends keyof BillValidatorEvents>(event: E, listener: BillValidatorEvents[E]): void {
    this.events.off(event, listener);
  }

  lastCounter(): number | null {
    return this.counter;
  }

  identify(): Promise<Result<BillValidatorIdentity, BillValidatorError>> {
    return this.exclusive(async () => {
      const category = await this.text(headers.equipmentCategory);
      if (!category.ok) return category;
      const manufacturer = await this.text(headers.manufacturer);
      if (!manufacturer.ok) return manufacturer;
      const product = await this.text(headers.productCode);
      if (!product.ok) return product;
      const serial = await this.exchange(headers.serialNumber);
      if (!serial.ok) return serial;
      const serialNumber = parseSerialNumber(serial.value);
      if (serialNumber === undefined) return this.badReply('serial number', serial.value);
      const billTypes = await this.readBillTypes();
      if (!billTypes.ok) return billTypes;
      return ok({ category: category.value, manufacturer: manufacturer.value, product: product.value, serialNumber, billTypes: billTypes.value });
    });
  }

  accept(values: readonly number[]): Promise<Result<void, BillValidatorError>> {
    return this.exclusive(async () => {
      const known = await this.knownBillTypes();
      if (!known.ok) return known;
      const types: number[] = [];
      for (const value of new Set(values)) {
        const matching = known.value.filter((type) => type.value === value);
        if (matching.length === 0) return err({ kind: 'bad_reply', message: `the validator has no bill type for NT$${value}` });
        types.push(...matching.map((type) => type.billType));
      }
      // Escrow first, every time notes may be enabled: a validator that lost its mode would stack at once.
      const mode = await this.ensureEscrow();
      if (!mode.ok) return mode;
      return this.expectAck(headers.modifyInhibit, inhibitMask(types));
    });
  }

  inhibitAll(inhibit: boolean): Promise<Result<void, BillValidatorError>> {
    return this.exclusive(async () => {
      if (!inhibit) {
        const mode = await this.ensureEscrow();
        if (!mode.ok) return mode;
      }
      return this.expectAck(headers.modifyMasterInhibit, [inhibit ? 0 : 1]);
    });
  }

  route(action: RouteAction): Promise<Result<void, BillValidatorError>> {
    const code = action === 'stack' ? routeCodes.stack : action === 'return' ? routeCodes.return : routeCodes.extendEscrow;
    return this.exclusive(async () => {
      const result = await this.exchange(headers.routeBill, [code]);
      this.log({ eventId: 'validator-route', disposition: result.ok && result.value.length === 0 ? 'success' : 'failure', message: `route bill: ${action}` });
      if (!result.ok) return result;
      if (result.value.length === 0) return ok(undefined);
      if (result.value[0] === routeErrors.escrowEmpty) return err({ kind: 'escrow_empty', message: 'route bill: nothing in escrow' });
      if (result.value[0] === routeErrors.failedToRoute) return err({ kind: 'route_failed', message: `route bill (${action}): the validator could not move the note` });
      return this.badReply('route bill', result.value);
    });
  }

  readBuffer(): Promise<Result<BillEventBuffer, BillValidatorError>> {
    return this.exclusive(async () => {
      const buffer = await this.readEvents();
      if (buffer.ok) this.counter = buffer.value.counter;
      return buffer;
    });
  }

  selfCheck(): Promise<Result<number, BillValidatorError>> {
    return this.exclusive(async () => {
      const result = await this.exchange(headers.selfCheck);
      if (!result.ok) return result;
      return result.value.length >= 1 ? ok(result.value[0]!) : this.badReply('self-check', result.value);
    });
  }

  ping(): Promise<Result<void, BillValidatorError>> {
    return this.exclusive(() => this.expectAck(headers.simplePoll, []));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.pollTimer !== undefined) this.timers.clearTimeout(this.pollTimer);
    this.settle(err({ kind: 'closed', message: 'the driver was closed' }));
    this.noise.reset();
    this.repeatLog.flush();
    for (const waiter of this.waiters) waiter(false);
    this.waiters.clear();
    await this.port.close();
    this.events.removeAllListeners();
  }

  // ------------------------------------------------------------ polling and the connection

  private schedulePoll(ms: number): void {
    if (this.closed) return;
    if (this.pollTimer !== undefined) this.timers.clearTimeout(this.pollTimer);
    this.pollTimer = this.timers.setTimeout(() => {
      this.pollTimer = undefined;
      void this.exclusive(() => this.poll()).finally(() => this.schedulePoll(this.pollMs));
    }, ms);
  }

  private async poll(): Promise<void> {
    if (this.closed || !this.port.isOpen) return;
    const reconnecting = this.state !== 'connected';
    if (reconnecting) {
      const setUp = await this.setUp();
      if (!setUp.ok) return this.pollFailed(setUp.error);
    }
    const buffer = await this.readEvents();
    if (!buffer.ok) return this.pollFailed(buffer.error);
    this.failedPolls = 0;
    // Connected once the buffer is read: a first read is the baseline, so nothing after it is missed.
    if (reconnecting) this.setConnection('connected', 'the validator answers');
    const news = eventsSince(this.counter, buffer.value);
    this.counter = buffer.value.counter;
    if (news.kind === 'break') {
      // A restarted validator has lost its escrow mode: put it back before anyone enables notes.
      if (news.break.kind === 'restarted') await this.ensureEscrow();
      this.log({ eventId: 'validator-buffer-break', disposition: 'failure', message: `event buffer: ${news.break.kind}`, lastCounter: news.break.lastCounter, counter: buffer.value.counter });
      this.events.emit('break', news.break, buffer.value);
      return;
    }
    for (const event of news.events) {
      this.log({ eventId: 'validator-event', disposition: 'na', message: `validator event ${event.kind}`, counter: event.counter, ...(event.kind === 'status' ? { status: event.status } : { value: event.value }) });
      this.events.emit('event', event);
    }
  }

  /** Escrow on and the bill types read: what the driver needs before it can announce anything. */
  private async setUp(): Promise<Result<void, BillValidatorError>> {
    const mode = await this.ensureEscrow();
    if (!mode.ok) return mode;
    const types = await this.readBillTypes();
    return types.ok ? ok(undefined) : types;
  }

  private pollFailed(error: BillValidatorError): void {
    this.failedPolls++;
    this.repeatLog({ eventId: 'validator-poll-failed', disposition: 'failure', message: `event poll failed: ${error.kind}`, count: this.failedPolls });
    if (this.failedPolls >= this.failuresToDisconnect) this.setConnection('disconnected', `${this.failedPolls} polls failed: ${error.message}`);
  }

  private setConnection(state: BillValidatorConnection, reason: string): void {
    if (this.state === state || this.closed) return;
    this.state = state;
    this.log({ eventId: `validator-${state}`, disposition: state === 'connected' ? 'success' : 'failure', message: `bill validator ${state}: ${reason}` });
    if (state === 'connected') {
      for (const waiter of this.waiters) waiter(true);
      this.waiters.clear();
    }
    this.events.emit('connection', state, reason);
  }

  // ------------------------------------------------------------ commands (callers hold the queue)

  private ensureEscrow(): Promise<Result<void, BillValidatorError>> {
    return this.expectAck(headers.operatingMode, [operatingModeBits.useStacker | operatingModeBits.useEscrow]);
  }

  private async readEvents(): Promise<Result<BillEventBuffer, BillValidatorError>> {
    const result = await this.exchange(headers.readBufferedEvents);
    if (!result.ok) return result;
    const raw = decodeRawBuffer(result.value);
    if (!raw) return this.badReply('read buffered events', result.value);
    // An event of a type we have not read yet (the validator was reprogrammed): read the types again.
    if (raw.slots.some((slot) => slot.a !== 0 && !this.billTypes?.some((type) => type.billType === slot.a))) {
      const types = await this.readBillTypes();
      if (!types.ok) return types;
    }
    const buffer = decodeEventBuffer(raw, (billType) => this.billTypes?.find((type) => type.billType === billType)?.value ?? 0);
    return buffer ? ok(buffer) : this.badReply('read buffered events', result.value);
  }

  private async knownBillTypes(): Promise<Result<readonly BillTypeInfo[], BillValidatorError>> {
    return this.billTypes ? ok(this.billTypes) : this.readBillTypes();
  }

  private async readBillTypes(): Promise<Result<BillTypeInfo[], BillValidatorError>> {
    const types: BillTypeInfo[] = [];
    const scalings = new Map<string, { factor: number; decimals: number }>();
    for (let billType = 1; billType <= maxBillTypes; billType++) {
      const id = await this.text(headers.billId, [billType]);
      if (!id.ok) return id;
      const parsed = parseBillId(id.value);
      if (!parsed) continue; // an unprogrammed type answers blanks
      let scaling = scalings.get(parsed.country);
      if (!scaling) {
        const reply = await this.exchange(headers.countryScaling, [...Buffer.from(parsed.country, 'latin1')]);
        if (!reply.ok) return reply;
        scaling = parseScaling(reply.value);
        if (!scaling) return this.badReply('country scaling factor', reply.value);
        scalings.set(parsed.country, scaling);
      }
      types.push({ billType, id: id.value.trim(), value: billValue(parsed.valueCode, scaling) });
    }
    this.billTypes = types;
    return ok(types);
  }

  private async text(header: number, data: readonly number[] = []): Promise<Result<string, BillValidatorError>> {
    const result = await this.exchange(header, data);
    return result.ok ? ok(ascii(result.value)) : result;
  }

  private async expectAck(header: number, data: readonly number[]): Promise<Result<void, BillValidatorError>> {
    const result = await this.exchange(header, data);
    return result.ok ? ok(undefined) : result;
  }

  private badReply(what: string, data: Uint8Array): Result<never, BillValidatorError> {
    this.noise.badFrame();
    return err({ kind: 'bad_reply', message: `${what}: unexpected reply (${Buffer.from(data).toString('hex')})` });
  }

  /** Runs `operation` when every earlier one has finished. */
  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation);
    this.queue = run.catch(() => undefined);
    return run;
  }

  // ------------------------------------------------------------ one exchange on the wire

  private exchange(header: number, data: readonly number[] = []): Promise<Exchange> {
    if (this.closed) return Promise.resolve(err({ kind: 'closed', message: 'the driver was closed' }));
    const label = `header ${header}`;
    const sent = command(header, data);
    return new Promise<Exchange>((resolve) => {
      // A fresh parser per exchange: whatever half frame noise left behind belongs to no command.
      const parser = new CCTalkParser();
      const pending: Pending = { sent, label, parser, stage: this.echo ? 'echo' : 'reply', sawBadFrame: false, timer: undefined, resolve };
      parser.on('data', (frame: Buffer) => this.frame(pending, frame));
      pending.timer = this.timers.setTimeout(() => this.timedOut(pending), this.replyTimeoutMs);
      this.pending = pending;
      if (!this.port.write(sent)) this.settle(err({ kind: 'closed', message: `the validator's port is not open (${label})` }));
    });
  }

  private receive(chunk: Buffer): void {
    if (this.pending) {
      this.pending.parser.write(chunk);
      return;
    }
    this.noise.badFrame();
    this.repeatLog({ eventId: 'validator-stray-bytes', disposition: 'na', message: 'bytes with no command waiting were dropped', bytes: chunk.length });
  }

  private frame(pending: Pending, frame: Buffer): void {
    if (this.pending !== pending) return;
    if (pending.stage === 'echo') {
      if (frame.equals(pending.sent)) {
        pending.stage = 'reply';
        return;
      }
      const decoded = decodePacket(frame);
      if (decoded.ok && decoded.packet.dest === hostAddress) {
        // A reply with no echo before it: the adapter is not on a one-wire bus as configured.
        this.settle(err({ kind: 'no_echo', message: `${pending.label}: a reply came without the echo of our bytes` }));
        return;
      }
      this.badFrame(pending, 'echo garbled');
      return;
    }
    const decoded = decodePacket(frame);
    if (!decoded.ok) return this.badFrame(pending, decoded.reason);
    const packet = decoded.packet;
    if (packet.dest !== hostAddress || packet.source !== validatorAddress) return; // our echo on a two-wire setup, or another device
    switch (packet.header) {
      case headers.ack:
        this.settle(ok(packet.data));
        return;
      case headers.nak:
        this.settle(err({ kind: 'nak', message: `${pending.label}: NAK` }));
        return;
      case headers.busy:
        this.settle(err({ kind: 'busy', message: `${pending.label}: BUSY` }));
        return;
      default:
        this.settle(err({ kind: 'bad_reply', message: `${pending.label}: reply header ${packet.header}` }));
    }
  }

  private badFrame(pending: Pending, reason: string): void {
    pending.sawBadFrame = true;
    this.noise.badFrame();
    this.repeatLog({ eventId: 'validator-bad-frame', disposition: 'failure', message: `bad frame from the validator line: ${reason}` });
  }

  private timedOut(pending: Pending): void {
    if (this.pending !== pending) return;
    pending.timer = undefined;
    if (pending.stage === 'echo') {
      this.settle(
        pending.sawBadFrame
          ? err({ kind: 'bad_reply', message: `${pending.label}: garbled bytes instead of the echo` })
          : err({ kind: 'no_echo', message: `${pending.label}: our bytes did not come back within ${this.replyTimeoutMs} ms: the bus is broken` }),
      );
      return;
    }
    this.settle(
      pending.sawBadFrame
        ? err({ kind: 'bad_reply', message: `${pending.label}: only garbled bytes came back` })
        : err({ kind: 'timeout', message: `${pending.label}: no reply within ${this.replyTimeoutMs} ms` }),
    );
  }

  private settle(result: Exchange): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    if (pending.timer !== undefined) this.timers.clearTimeout(pending.timer);
    pending.parser.removeAllListeners('data');
    pending.resolve(result);
  }
}
