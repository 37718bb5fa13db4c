import { EventEmitter } from 'node:events';
import { realpathSync, statSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { silentLog, type LogSink } from '../../shared/log';

/**
 * A serial port that survives being unplugged: when the device goes away (the pty or USB device
 * closes) it reports `disconnected` and keeps trying to reopen the same path until it is back.
 *
 * Events: `connected`, `disconnected`, `data` (Buffer).
 */
export interface ReconnectingPortOptions {
  readonly path: string;
  readonly baudRate?: number;
  /** How long to wait between attempts to reopen a missing device. */
  readonly reopenIntervalMs?: number;
  /** Prefix for log event ids, e.g. `printer`. */
  readonly device: string;
  readonly log?: LogSink;
}

export const defaultReopenIntervalMs = 500;
/** How often a write that has not finished gets its writable poll re-armed (see `rearmWritable`). */
export const writeStallCheckMs = 50;

export class ReconnectingPort extends EventEmitter<{ connected: []; disconnected: [reason: string]; data: [Buffer] }> {
  private port: SerialPort | undefined;
  private closedByUser = false;
  private reopenTimer: NodeJS.Timeout | undefined;
  /** Writes handed to serialport that its binding has not finished yet. */
  private unfinishedWrites = 0;
  private stallWatch: NodeJS.Timeout | undefined;
  private readonly log: LogSink;

  constructor(private readonly options: ReconnectingPortOptions) {
    super();
    this.log = options.log ?? silentLog;
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  /** Starts connecting; resolves once the first attempt has succeeded or failed (it keeps retrying). */
  open(): Promise<boolean> {
    this.closedByUser = false;
    return this.attempt();
  }

  write(bytes: Buffer): boolean {
    const port = this.port;
    if (!port?.isOpen) return false;
    this.unfinishedWrites += 1;
    port.write(bytes, () => {
      this.unfinishedWrites -= 1;
    });
    this.watchWriteStall(port);
    return true;
  }

  /** Until every write has gone out, keeps re-arming the writable poll (see `rearmWritable`). */
  private watchWriteStall(port: SerialPort): void {
    if (this.stallWatch) return;
    this.stallWatch = setInterval(() => {
      if (this.unfinishedWrites > 0 && this.port === port && port.isOpen) {
        rearmWritable(port);
        return;
      }
      clearInterval(this.stallWatch);
      this.stallWatch = undefined;
      if (this.port !== port) this.unfinishedWrites = 0;
    }, writeStallCheckMs);
    this.stallWatch.unref();
  }

  /** Waits until everything written so far has gone to the device. */
  drain(): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return Promise.resolve();
    return new Promise((resolve) => port.drain(() => resolve()));
  }

  async close(): Promise<void> {
    this.closedByUser = true;
    clearTimeout(this.reopenTimer);
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private attempt(): Promise<boolean> {
    return new Promise((resolve) => {
      const port = new SerialPort({ path: this.options.path, baudRate: this.options.baudRate ?? 9600, autoOpen: false });
      port.open((error) => {
        if (this.closedByUser) {
          if (!error) port.close();
          resolve(false);
          return;
        }
        if (error) {
          this.scheduleReopen();
          resolve(false);
          return;
        }
        this.port = port;
        port.on('data', (chunk: Buffer) => this.emit('data', chunk));
        port.on('error', () => {}); // a close follows; the close handler reconnects
        port.once('close', () => this.lost('device closed'));
        this.watchPresence(port);
        this.log({ eventId: `${this.options.device}-connected`, disposition: 'success', message: `${this.options.device} connected` });
        this.emit('connected');
        resolve(true);
      });
    });
  }

  /**
   * A pty whose other end went away (or a USB adapter pulled out) does not always make the read
   * fail, so we also watch the device node itself: gone or replaced means unplugged.
   */
  private watchPresence(port: SerialPort): void {
    const device = resolveDevice(this.options.path);
    const timer = setInterval(() => {
      if (this.port !== port) {
        clearInterval(timer);
        return;
      }
      if (resolveDevice(this.options.path) !== device) {
        clearInterval(timer);
        port.removeAllListeners('close');
        port.close(() => {});
        this.lost('device removed');
      }
    }, this.options.reopenIntervalMs ?? defaultReopenIntervalMs);
    timer.unref();
  }

  private lost(reason: string): void {
    if (this.port === undefined && !this.closedByUser) return;
    this.port = undefined;
    if (this.closedByUser) return;
    this.log({ eventId: `${this.options.device}-disconnected`, disposition: 'failure', message: `${this.options.device} disconnected: ${reason}` });
    this.emit('disconnected', reason);
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    clearTimeout(this.reopenTimer);
    this.reopenTimer = setTimeout(() => {
      if (!this.closedByUser) void this.attempt();
    }, this.options.reopenIntervalMs ?? defaultReopenIntervalMs);
  }
}

/** The device node behind `path`, with its change time: a re-created pty may reuse the same number. */
function resolveDevice(path: string): string | undefined {
  try {
    const node = realpathSync(path);
    return `${node}@${statSync(node).ctimeMs}`;
  } catch {
    return undefined;
  }
}

/**
 * serialport 13 (bindings-cpp `Poller::poll`) restarts its uv_poll with only the newest event: when
 * the read loop re-arms "readable" while a write waits for "writable" (EAGAIN on a full buffer), the
 * write is never resumed and every later write queues behind it (seen with large print jobs while
 * the thread pool was busy). Polling for writable again resumes it; the poller restores "readable"
 * by itself once "writable" has fired. A no-op when the binding is not the one we know.
 */
function rearmWritable(port: SerialPort): void {
  const uvWritable = 0b0010;
  const binding = (port as unknown as { port?: { poller?: { poll?: (events: number) => void } } }).port;
  if (typeof binding?.poller?.poll === 'function') binding.poller.poll(uvWritable);
}
