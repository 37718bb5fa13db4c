import { EventEmitter } from 'node:events';
import { isoDay, systemClock, type Clock } from '../../shared/clock';
import { parseMrz } from '../../shared/identity/mrz';
import { checkTaiwanId } from '../../shared/identity/taiwan-id';
import { silentLog, type LogSink } from '../../shared/log';
import { assertNever } from '../../shared/result';
import type { RepeatLimitedLog } from '../../shared/repeat-limiter';
import { watchLine, type LineNoiseMonitor } from '../serial/line-noise';
import { ReconnectingPort } from '../serial/reconnecting-port';
import { createScanDecoder } from './protocol';
import type {
  BadFrame,
  DecodedScan,
  IdDocumentRead,
  IdScanner,
  IdScannerEvents,
  IdScannerStats,
  IdScannerStatus,
} from './types';

export interface IdScannerOptions {
  /** The serial device (`/dev/ttyUSB0`, or the host end of a pty pair). */
  readonly path: string;
  readonly log?: LogSink;
  /** The same document read again within this window is reported once. */
  readonly duplicateWindowMs?: number;
  /** After this long without bytes, a half-received frame or document is a bad frame. */
  readonly idleFlushMs?: number;
  readonly baudRate?: number;
  readonly reopenIntervalMs?: number;
  /** For the duplicate window and the repeat limit of the log. */
  readonly clock?: Clock;
  /** A noisy line is clear again after this long without a bad frame (default `lineQuietMs`). */
  readonly lineQuietMs?: number;
  /** Bad frames and duplicates are written once per this interval, with a count (default `repeatLogIntervalMs`). */
  readonly repeatLogIntervalMs?: number;
}

/** A document left on the glass is read again and again by some readers; a person re-scans after ~3 s. */
export const defaultDuplicateWindowMs = 3000;
/** A reader sends a whole document in well under a second at 9600 baud (≈ 150 bytes ≈ 160 ms). */
export const defaultIdleFlushMs = 1000;

const logDevice = 'scanner';

/**
 * Opens the reader at `path` and keeps it open: it reconnects by itself after an unplug. Listen for
 * `document`, `badFrame`, `connected`, `disconnected`; `whenConnected()` resolves once the port is open.
 */
export function openIdScanner(options: IdScannerOptions): IdScanner {
  return new SerialIdScanner(options);
}

class SerialIdScanner extends EventEmitter<IdScannerEvents> implements IdScanner {
  private readonly port: ReconnectingPort;
  private readonly decoder = createScanDecoder();
  private readonly log: LogSink;
  /** For events that a noisy line or a document left on the glass repeat many times a second. */
  private readonly repeatLog: RepeatLimitedLog;
  private readonly noise: LineNoiseMonitor;
  private readonly clock: Clock;
  private readonly duplicateWindowMs: number;
  private readonly idleFlushMs: number;
  private idleTimer: NodeJS.Timeout | undefined;
  private last: { readonly key: string; at: number } | undefined;
  private currentStatus: IdScannerStatus = { kind: 'connecting' };
  private counts = { documents: 0, duplicates: 0, badFrames: 0 };
  private readonly waiters = new Set<(connected: boolean) => void>();

  constructor(options: IdScannerOptions) {
    super();
    this.log = options.log ?? silentLog;
    this.clock = options.clock ?? systemClock;
    this.duplicateWindowMs = options.duplicateWindowMs ?? defaultDuplicateWindowMs;
    this.idleFlushMs = options.idleFlushMs ?? defaultIdleFlushMs;
    ({ repeatLog: this.repeatLog, noise: this.noise } = watchLine({
      log: this.log,
      clock: this.clock,
      quietMs: options.lineQuietMs,
      repeatLogIntervalMs: options.repeatLogIntervalMs,
      eventId: 'scanner-line-noise',
      line: 'the ID scanner line',
      noise: 'bad frames',
      details: () => ({ badFrames: this.counts.badFrames }),
      onChange: (noisy) => this.emit('lineNoise', noisy),
    }));
    this.port = new ReconnectingPort({
      path: options.path,
      device: logDevice,
      log: this.log,
      ...(options.baudRate === undefined ? {} : { baudRate: options.baudRate }),
      ...(options.reopenIntervalMs === undefined ? {} : { reopenIntervalMs: options.reopenIntervalMs }),
    });
    this.port.on('data', (chunk) => this.receive(chunk));
    this.port.on('connected', () => {
      this.currentStatus = { kind: 'connected' };
      this.settleWaiters(true);
      this.emit('connected');
    });
    this.port.on('disconnected', (reason) => {
      // Whatever was half received when the cable went is lost.
      this.handle(this.decoder.flush());
      this.noise.reset();
      this.repeatLog.flush();
      this.currentStatus = { kind: 'disconnected', reason };
      this.emit('disconnected', reason);
    });
    void this.port.open();
  }

  get status(): IdScannerStatus {
    return this.currentStatus;
  }

  get stats(): IdScannerStats {
    return { ...this.counts };
  }

  get lineNoisy(): boolean {
    return this.noise.noisy;
  }

  whenConnected(): Promise<boolean> {
    if (this.currentStatus.kind === 'connected') return Promise.resolve(true);
    if (this.currentStatus.kind === 'closed') return Promise.resolve(false);
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    this.noise.reset();
    this.repeatLog.flush();
    this.currentStatus = { kind: 'closed' };
    this.settleWaiters(false);
    await this.port.close();
  }

  private settleWaiters(connected: boolean): void {
    for (const waiter of this.waiters) waiter(connected);
    this.waiters.clear();
  }

  private receive(chunk: Buffer): void {
    this.handle(this.decoder.push(chunk));
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (!this.decoder.idle) {
      this.idleTimer = setTimeout(() => this.handle(this.decoder.flush()), this.idleFlushMs);
      this.idleTimer.unref();
    }
  }

  private handle(events: readonly DecodedScan[]): void {
    for (const event of events) {
      switch (event.kind) {
        case 'mrz-lines': {
          // Today's date resolves two-digit years (a birth year 30 is 1930, an expiry year 30 is 2030).
          const mrz = parseMrz(event.lines.join('\n'), { referenceDate: isoDay(this.clock) });
          this.report(`mrz:${event.lines.join('\n')}`, { kind: 'mrz', mode: event.mode, mrz, lines: event.lines });
          break;
        }
        case 'barcode':
          this.report(`taiwan-id:${event.text}`, { kind: 'taiwan-id', mode: event.mode, id: checkTaiwanId(event.text) });
          break;
        case 'bad-frame':
          this.badFrame(event);
          break;
        default:
          assertNever(event);
      }
    }
  }

  private report(key: string, document: IdDocumentRead): void {
    const now = this.clock.now().getTime();
    if (this.last?.key === key && now - this.last.at < this.duplicateWindowMs) {
      // Still on the glass (or scanned again straight away): the window runs from the latest read.
      this.last.at = now;
      this.counts.duplicates++;
      this.repeatLog({ eventId: 'scanner-duplicate-suppressed', disposition: 'na', message: 'same document read again within the window', mode: document.mode });
      return;
    }
    this.last = { key, at: now };
    this.counts.documents++;
    // No personal data: what kind of document and whether it checked out, never its content.
    this.log({
      eventId: 'scanner-document-read',
      disposition: isValid(document) ? 'success' : 'failure',
      message: `${document.kind} document read`,
      mode: document.mode,
      documentKind: document.kind,
      format: document.kind === 'mrz' ? document.mrz.format : null,
      valid: isValid(document),
    });
    this.emit('document', document);
  }

  private badFrame(frame: BadFrame): void {
    this.counts.badFrames++;
    this.noise.badFrame();
    this.repeatLog({
      eventId: 'scanner-bad-frame',
      disposition: 'failure',
      message: `bad frame from the ID scanner: ${frame.reason}`,
      reason: frame.reason,
      mode: frame.mode,
      bytes: frame.bytes,
      count: this.counts.badFrames,
    });
    this.emit('badFrame', { ...frame, count: this.counts.badFrames });
  }
}

function isValid(document: IdDocumentRead): boolean {
  switch (document.kind) {
    case 'mrz':
      return document.mrz.valid;
    case 'taiwan-id':
      return document.id.valid;
    default:
      return assertNever(document);
  }
}
