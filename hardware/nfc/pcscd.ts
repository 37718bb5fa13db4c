import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { silentLog, type LogSink } from '../../shared/log';
import { startProcess, waitFor, type ManagedProcess } from '../host/child-processes';
import { makeOwnedTempDir, removeOrphanedTempDirs } from '../host/owned-temp-dirs';
import { vpcdNoDelayShim } from './vpcd-nodelay';

/**
 * A PRIVATE pcscd with its own vpcd port and its own socket, so that tests, benches and a developer's
 * running kiosk never share (or race for) one daemon.
 *
 * Facts checked on pcsc-lite 1.9.9 (Debian 12):
 * - `-c <dir>` replaces /etc/reader.conf.d: our dir holds one vpcd entry with our port.
 * - the DAEMON ignores PCSCLITE_CSOCK_NAME: its socket and pid file are compiled in
 *   (/run/pcscd/pcscd.comm, /run/pcscd/pcscd.pid), and it refuses to start while another pcscd owns them.
 *   So pcscd runs in a private mount namespace (`unshare --mount`, `--map-root-user` when not root) with
 *   a private directory bind-mounted on /run/pcscd; outside, the socket is `<runDir>/pcscd.comm`.
 * - the CLIENT library reads PCSCLITE_CSOCK_NAME once per process, on the first SCardEstablishContext
 *   (pthread_once): see `bindPcscSocket` in driver.ts.
 * - vpcd opens two slots: port (reader "Virtual PCD 00 00") and port+1 ("Virtual PCD 00 01").
 */
export interface StartPcscdOptions {
  /** vpcd TCP port of slot 0 (slot 1 is port+1); a free pair is chosen when absent. */
  readonly vpcdPort?: number;
  /** Directory for the socket; reuse it to restart a daemon on the same socket (reader unplugged and back). */
  readonly runDir?: string;
  /** Log every APDU in pcscd's output (debugging only: it shows card data). */
  readonly apduLog?: boolean;
  readonly log?: LogSink;
  readonly readyTimeoutMs?: number;
  /** Load the TCP_NODELAY shim into pcscd (default true; see vpcd-nodelay.ts). */
  readonly noDelay?: boolean;
  /**
   * pcscd polls vpcd for a card every 400 ms (pcsc-lite's PCSCLITE_STATUS_POLL_RATE; vpcd has no card
   * events). Tests may shorten it to run faster (the benchmark also measures the stock 400 ms). Needs the shim.
   */
  readonly cardPollMs?: number;
  /**
   * End pcscd's card poll as soon as a virtual card arrives or leaves, as a reader with card events
   * (a CCID interrupt endpoint) does. Needs the shim; `cardPollMs` then bounds the wait.
   */
  readonly cardEvents?: boolean;
}

export interface PrivatePcscd {
  readonly vpcdPort: number;
  /** The PC/SC name of slot 0. */
  readonly readerName: string;
  readonly socketPath: string;
  readonly runDir: string;
  /** pcscd's recent output, for error messages. */
  output(): string;
  /** Stops the daemon (always safe to call twice); removes the run directory if this call created it. */
  stop(): Promise<void>;
}

export const vpcdReaderName = 'Virtual PCD 00 00';
export const vpcdDriverPath = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
const defaultReadyTimeoutMs = 10_000;
/** pcscd ends within milliseconds of SIGTERM once its clients are gone; then it is SIGKILLed. */
const stopGraceMs = 1_500;
const daemonDir = '/run/pcscd';
/** Our temp folders (named after their owner, see owned-temp-dirs.ts): the run dir and the reader config. */
export const pcscdTempPrefixes = { run: 'pcscd-', config: 'pcscd-conf-' } as const;

export async function startPcscd(options: StartPcscdOptions = {}): Promise<PrivatePcscd> {
  const log = options.log ?? silentLog;
  const ownsRunDir = options.runDir === undefined;
  // What a daemon killed outright (with its kiosk) left behind: only folders whose owner is gone.
  for (const prefix of Object.values(pcscdTempPrefixes)) removeOrphanedTempDirs(prefix);
  const runDir = options.runDir ?? makeOwnedTempDir(pcscdTempPrefixes.run);
  mkdirSync(runDir, { recursive: true });
  const configDir = makeOwnedTempDir(pcscdTempPrefixes.config);
  const vpcdPort = options.vpcdPort ?? (await freePortPair());
  writeFileSync(
    join(configDir, 'vpcd'),
    [
      'FRIENDLYNAME "Virtual PCD"',
      `DEVICENAME   /dev/null:0x${vpcdPort.toString(16).toUpperCase()}`,
      `LIBPATH      ${vpcdDriverPath}`,
      `CHANNELID    0x${vpcdPort.toString(16).toUpperCase()}`,
      '',
    ].join('\n'),
  );
  // pcscd's own socket dir inside the namespace; bind over /run when /run/pcscd cannot be created.
  const mountPoint = ensureDir(daemonDir) ? daemonDir : '/run';
  const socketPath = mountPoint === daemonDir ? join(runDir, 'pcscd.comm') : join(runDir, 'pcscd', 'pcscd.comm');
  const isRoot = process.getuid?.() === 0;
  const pcscdArgs = ['-f', '-i', '-c', configDir, ...(options.apduLog ? ['-a'] : [])];
  const shim = options.noDelay === false ? '' : (vpcdNoDelayShim() ?? '');
  if (shim === '' && (options.cardEvents || options.cardPollMs !== undefined)) {
    // Same behaviour without the shim, only slower: say why, or a slow tap is a mystery.
    log({ eventId: 'nfc-pcscd-no-shim', disposition: 'na', message: 'vpcd shim not loaded (no C compiler `cc`, or noDelay: false): pcscd polls the virtual reader every 400 ms' });
  }
  const child: ManagedProcess = startProcess('unshare', [
    ...(isRoot ? [] : ['--map-root-user']),
    '--mount',
    '--propagation',
    'private',
    'sh',
    '-c',
    'src="$1"; dst="$2"; shim="$3"; shift 3; mount --bind "$src" "$dst" || exit 1; [ -n "$shim" ] && export LD_PRELOAD="$shim"; exec pcscd "$@"',
    'pcscd-private',
    runDir,
    mountPoint,
    shim,
    ...pcscdArgs,
  ], { env: shimEnvironment(options) });
  log({ eventId: 'nfc-pcscd-start-init', disposition: 'na', message: 'starting a private pcscd', vpcdPort });
  const cleanup = (): void => {
    rmSync(configDir, { recursive: true, force: true });
    if (ownsRunDir) rmSync(runDir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (child.child.exitCode !== null) throw new Error(`pcscd exited: ${child.output()}`);
        return child.output().includes('daemon ready') && existsSync(socketPath) && (await acceptsConnections(socketPath));
      },
      options.readyTimeoutMs ?? defaultReadyTimeoutMs,
      'pcscd did not become ready',
    );
  } catch (error) {
    await child.stop(stopGraceMs);
    cleanup();
    log({ eventId: 'nfc-pcscd-start-complete', disposition: 'failure', message: String(error) });
    throw new Error(`${String(error)}\n${child.output()}`, { cause: error });
  }
  log({ eventId: 'nfc-pcscd-start-complete', disposition: 'success', message: 'private pcscd ready', vpcdPort });
  let stopped: Promise<void> | undefined;
  return {
    vpcdPort,
    readerName: vpcdReaderName,
    socketPath,
    runDir,
    output: () => child.output(),
    stop() {
      stopped ??= child.stop(stopGraceMs).then(() => {
        cleanup();
        log({ eventId: 'nfc-pcscd-stop', disposition: 'success', message: 'private pcscd stopped', vpcdPort });
      });
      return stopped;
    },
  };
}

function shimEnvironment(options: StartPcscdOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...(options.cardPollMs === undefined ? {} : { VPCD_CARD_POLL_US: String(Math.round(options.cardPollMs * 1000)) }),
    ...(options.cardEvents ? { VPCD_CARD_EVENTS: '1' } : {}),
  };
}

function ensureDir(path: string): boolean {
  try {
    mkdirSync(path, { recursive: true });
    return true;
  } catch {
    return existsSync(path);
  }
}

/** True when something listens on the unix socket (a connect that opens and closes, nothing else). */
export function acceptsConnections(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A port p such that p and p+1 are both free (vpcd listens on both). */
async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await listenOnce(0);
    if (port !== undefined && port < 65535 && (await listenOnce(port + 1)) !== undefined) return port;
  }
  throw new Error('no free TCP port pair for vpcd');
}

function listenOnce(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => {
      const address = server.address();
      const chosen = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(chosen));
    });
  });
}
