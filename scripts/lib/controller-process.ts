import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandReply } from '../../kiosk/controller/api/server';
import type { DemoCardKind, SimulatedWorld, SimulatedWorldLink } from '../../kiosk/controller/devices/simulated-world';
import type { AuditEntry, ReadAuditOptions } from '../../kiosk/controller/store/audit';
import type { KioskCommand, KioskSnapshot } from '../../shared/contract/kiosk-api';
import { cpuSecondsOf } from './process-cpu';

/**
 * The kiosk's controller (`startKiosk`) in a child process of its own, wired to a simulated world
 * that this process owns: the child's CPU is then the controller's alone, read from
 * /proc/<pid>/stat (every thread of it), apart from the simulators and whoever drives it.
 */
export interface ControllerProcess {
  readonly pid: number;
  /** The controller's latest snapshot (each change is pushed here as it happens). */
  snapshot(): KioskSnapshot;
  onChange(listener: (snapshot: KioskSnapshot) => void): () => void;
  /** Asks the controller for its snapshot now (the pushes make this rarely needed). */
  freshSnapshot(): Promise<KioskSnapshot>;
  command(command: KioskCommand): Promise<CommandReply>;
  readAudit(options: ReadAuditOptions): Promise<AuditEntry[]>;
  /**
   * The controller's V8 heap, after a full garbage collection when the child was started with
   * `exposeGc` (so that a rising figure is memory kept, not garbage not yet collected).
   */
  memory(): Promise<ControllerMemory>;
  /** CPU seconds (user + system, all threads) the controller's process has used so far. */
  cpuSeconds(): number;
  /** Resolves when the process has exited, with its signal (a crash point's own SIGKILL, say) or code. */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  /** SIGKILL, the power cut: nothing is flushed or closed. Resolves once the process is gone. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export interface ControllerProcessOptions {
  /** Added to the child's environment (e.g. `KIOSK_CRASH_AT`, kiosk/controller/crash-points.ts). */
  readonly processEnv?: Readonly<Record<string, string>>;
  /** Starts the child with `--expose-gc`, so that `memory()` collects garbage before it measures. */
  readonly exposeGc?: boolean;
}

/** `process.memoryUsage()` of the controller's process, in bytes, and whether a full GC ran first. */
export interface ControllerMemory {
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly rss: number;
  readonly collected: boolean;
}

type WorldAddress = Omit<SimulatedWorldLink, 'setDemoCard'>;

/** Parent → child. */
export type ControllerRequest =
  | { readonly type: 'start'; readonly env: Readonly<Record<string, string>>; readonly world: WorldAddress }
  | ({ readonly type: 'call'; readonly id: number } & ControllerCall)
  | { readonly type: 'stop' };

type ControllerCall =
  | { readonly method: 'command'; readonly command: KioskCommand }
  | { readonly method: 'snapshot' }
  | { readonly method: 'readAudit'; readonly options: ReadAuditOptions }
  | { readonly method: 'memory' };

/** Child → parent. */
export type ControllerReply =
  | { readonly type: 'started'; readonly snapshot: KioskSnapshot }
  | { readonly type: 'change'; readonly snapshot: KioskSnapshot }
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly error: string }
  | { readonly type: 'demo-card'; readonly kind: DemoCardKind; readonly blocks: Uint8Array[] }
  | { readonly type: 'stopped' }
  | { readonly type: 'failed'; readonly error: string };

const childMain = join(dirname(fileURLToPath(import.meta.url)), 'controller-process-main.ts');
const startTimeoutMs = 60_000;
const stopTimeoutMs = 10_000;

/** Forks the controller on `env` (its `loadConfig` input), reaching the devices of `world`. */
export async function startControllerProcess(env: Readonly<Record<string, string>>, world: SimulatedWorld, options: ControllerProcessOptions = {}): Promise<ControllerProcess> {
  // BENCH_CONTROLLER_CPU_PROF=<dir> writes a V8 CPU profile of the controller there (node's --cpu-prof).
  const profileDir = process.env['BENCH_CONTROLLER_CPU_PROF'];
  const execArgv = ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...(options.exposeGc ? ['--expose-gc'] : [])];
  const child = fork(childMain, [], {
    execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    ...(options.processEnv ? { env: { ...process.env, ...options.processEnv } } : {}),
  });
  const exitedPromise = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const pid = child.pid;
  if (pid === undefined) throw new Error('the controller process did not start');
  let latest: KioskSnapshot | undefined;
  const listeners = new Set<(snapshot: KioskSnapshot) => void>();
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 0;
  let exited = false;
  let onStarted: { resolve(): void; reject(error: Error): void } | undefined;
  let onStopped: (() => void) | undefined;

  child.on('message', (message: ControllerReply) => {
    switch (message.type) {
      case 'started':
        latest = message.snapshot;
        onStarted?.resolve();
        return;
      case 'change':
        latest = message.snapshot;
        for (const listener of listeners) listener(message.snapshot);
        return;
      case 'reply': {
        const call = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) call?.resolve(message.value);
        else call?.reject(new Error(`controller: ${message.error}`));
        return;
      }
      case 'demo-card':
        world.setDemoCard(message.kind, message.blocks);
        return;
      case 'stopped':
        onStopped?.();
        return;
      case 'failed':
        onStarted?.reject(new Error(`the controller failed: ${message.error}`));
        return;
    }
  });
  child.on('exit', (code, signal) => {
    exited = true;
    const gone = new Error(`the controller process exited (${signal ?? code})`);
    onStarted?.reject(gone);
    onStopped?.();
    for (const call of pending.values()) call.reject(gone);
    pending.clear();
  });

  const request = (message: ControllerRequest): void => {
    if (!exited) child.send(message);
  };
  const call = <T>(body: ControllerCall): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error('the controller process has exited'));
      const id = ++nextId;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      request({ type: 'call', id, ...body });
    });

  const started = new Promise<void>((resolve, reject) => {
    onStarted = { resolve, reject };
  });
  const { paths, readers } = world;
  request({ type: 'start', env, world: { paths, readers, pcscdSocketPath: world.pcscd?.socketPath ?? null } });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      started,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the controller did not start within ${startTimeoutMs} ms`)), startTimeoutMs);
      }),
    ]);
  } catch (error) {
    await stopChild(child);
    throw error;
  } finally {
    clearTimeout(timer);
    onStarted = undefined;
  }

  return {
    pid,
    snapshot: () => latest!,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    freshSnapshot: () => call<KioskSnapshot>({ method: 'snapshot' }),
    command: (command) => call<CommandReply>({ method: 'command', command }),
    readAudit: (options) => call<AuditEntry[]>({ method: 'readAudit', options }),
    memory: () => call<ControllerMemory>({ method: 'memory' }),
    cpuSeconds: () => cpuSecondsOf(pid),
    exited: exitedPromise,
    async kill() {
      if (!exited) child.kill('SIGKILL');
      await exitedPromise;
    },
    async stop() {
      if (exited) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, stopTimeoutMs);
        onStopped = () => {
          clearTimeout(timer);
          resolve();
        };
        request({ type: 'stop' });
      });
      await stopChild(child);
    },
  };
}

/** Disconnects the child (it stops its kiosk and exits on that) and waits for it, killing it if it lingers. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
  await exited;
  clearTimeout(timer);
}

