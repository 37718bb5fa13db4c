import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess, waitFor, type ManagedProcess } from '../hardware/host/child-processes';
import type { PtyCable } from '../hardware/serial/pty-cable';

/**
 * A USB-serial cable that carries DTR, for a simulated Arduino: a pty pair like socat's
 * (`../hardware/serial/pty-pair.ts`), made by a small Python relay (python3 is part of
 * scripts/setup.sh) that also tells the device end when the host opens the port. An Uno's
 * USB-serial chip pulls DTR when the port is opened, and DTR is wired to RESET through a
 * capacitor: every open resets the board. A pty has no modem lines, so the relay watches the host's
 * pty node with inotify (IN_OPEN): Node cannot. Bytes the host writes after its open are held back
 * until the device end has been told (`onHostOpen` listeners have run), so they reach a board that
 * is already in its bootloader, as on the real thing. Bytes sent to an end nobody has open are
 * lost, as on a closed port.
 */
export interface DtrCable extends PtyCable {
  /**
   * Called on every open of the host's port by a host that did not have it open (DTR rises).
   * Until every listener has returned (and its promise settled), nothing passes either way: what
   * the host sends waits for the reset board; a listener that says the device reset (true) has
   * what the device wrote before cut off.
   */
  onHostOpen(listener: () => boolean | Promise<boolean>): void;
}

/**
 * The relay: argv host-link device-link. Prints `ready`, then `open` each time the host end goes
 * from closed to open, and waits for a line on stdin (`go`, or `reset`: drop what the device wrote
 * before) before it passes on what the host sent after that open (what the device sends meanwhile
 * is dropped). SIGTERM removes the links.
 */
const relayScript = String.raw`
import ctypes, os, pty, select, signal, struct, sys, termios, time, tty
host_link, device_link = sys.argv[1], sys.argv[2]
libc = ctypes.CDLL(None, use_errno=True)
inotify = libc.inotify_init1(os.O_NONBLOCK)
IN_OPEN, IN_CLOSE = 0x20, 0x18

def end(link):
    master, slave = pty.openpty()
    tty.setraw(slave)
    # Our end of the slave is only read to drop what nobody listens to: the host may read it first.
    os.set_blocking(slave, False)
    name = os.ttyname(slave)
    # Watched before anyone can find it: an open before the watch would go unseen.
    watch = libc.inotify_add_watch(inotify, name.encode(), IN_OPEN | IN_CLOSE)
    if os.path.lexists(link): os.unlink(link)
    os.symlink(name, link)
    return {'master': master, 'slave': slave, 'link': link, 'opens': 0, 'watch': watch}

ends = [end(host_link), end(device_link)]
host, device = ends
held = False
held_since = 0.0

def stop(*_):
    for e in ends:
        if os.path.lexists(e['link']): os.unlink(e['link'])
    os._exit(0)
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)

def events():
    global held, held_since
    try: buf = os.read(inotify, 4096)
    except BlockingIOError: return
    i = 0
    while i < len(buf):
        wd, mask, _, size = struct.unpack_from('iIII', buf, i)
        i += 16 + size
        for e in ends:
            if e['watch'] != wd: continue
            if mask & IN_OPEN:
                e['opens'] += 1
                if e is host and e['opens'] == 1:
                    termios.tcflush(host['slave'], termios.TCIFLUSH)
                    held, held_since = True, time.monotonic()
                    sys.stdout.write('open\n'); sys.stdout.flush()
            if mask & IN_CLOSE: e['opens'] = max(0, e['opens'] - 1)

sys.stdout.write('ready\n'); sys.stdout.flush()
while True:
    # Our own ends of closed ports are read (and dropped) so that nothing piles up for a later open.
    watch = [inotify, device['master'], 0] + [e['slave'] for e in ends if e['opens'] == 0]
    if not held: watch.append(host['master'])
    readable, _, _ = select.select(watch, [], [], 0.2 if held else None)
    # A device end that never answers must not wedge the cable.
    if held and time.monotonic() - held_since > 3: held = False
    # Open events first: an open is known before any byte the host wrote after it.
    events()
    for e in ends:
        if e['opens'] == 0 and e['slave'] in readable:
            try: os.read(e['slave'], 4096)
            except OSError: pass  # BlockingIOError: the host had it
    if 0 in readable:
        # 'reset': the board has reset, what it had written before is cut off with it.
        answer = os.read(0, 4096)
        if not answer: stop()
        if b'reset' in answer:
            while select.select([device['master']], [], [], 0)[0]:
                try: os.read(device['master'], 4096)
                except OSError: break
            readable = [fd for fd in readable if fd != device['master']]
        held = False
    for source, target in ((host, device), (device, host)):
        if source['master'] in readable and not (source is host and held):
            try: data = os.read(source['master'], 4096)
            except OSError: continue
            # While the board resets, what it had on its way to the host is cut off.
            if held: continue
            while data: data = data[os.write(target['master'], data):]
`;

export async function openDtrCable(name: string, dir?: string): Promise<DtrCable> {
  const folder = dir ?? mkdtempSync(join(tmpdir(), `pty-${name}-`));
  const hostPath = join(folder, `${name}-host`);
  const devicePath = join(folder, `${name}-device`);
  const listeners: Array<() => boolean | Promise<boolean>> = [];
  let relay: ManagedProcess | undefined;

  const start = async (): Promise<void> => {
    const child = startProcess('python3', ['-c', relayScript, hostPath, devicePath], { stdio: ['pipe', 'pipe', 'pipe'] });
    let lines = '';
    child.child.stdout?.on('data', (chunk: Buffer) => {
      lines += chunk.toString('utf8');
      for (let at = lines.indexOf('\n'); at >= 0; at = lines.indexOf('\n')) {
        const line = lines.slice(0, at);
        lines = lines.slice(at + 1);
        if (line !== 'open') continue;
        // Once the board has reset, what the host sent since its open may pass.
        void Promise.allSettled(listeners.map((listener) => listener())).then((results) =>
          child.child.stdin?.write(results.some((result) => result.status === 'fulfilled' && result.value) ? 'reset\n' : 'go\n'),
        );
      }
    });
    child.child.stdin?.on('error', () => {});
    relay = child;
    await waitFor(
      () => child.output().includes('ready') && existsSync(hostPath) && existsSync(devicePath),
      // python3 starts in well under a second; a loaded machine may take longer.
      15_000,
      `the DTR cable relay did not create ${hostPath} and ${devicePath}: ${child.output() || 'is python3 installed? run scripts/setup.sh'}`,
    );
  };
  const stop = async (): Promise<void> => {
    await relay?.stop();
    relay = undefined;
  };

  await start();
  return {
    hostPath,
    devicePath,
    get plugged() {
      return relay !== undefined;
    },
    onHostOpen(listener) {
      listeners.push(listener);
    },
    pull: stop,
    async plug() {
      if (!relay) await start();
    },
    async close() {
      await stop();
      if (!dir) rmSync(folder, { recursive: true, force: true });
    },
  };
}
