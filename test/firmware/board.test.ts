import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import firmataIo from 'firmata-io';
import five from 'johnny-five';
import { waitFor } from '../../hardware/host/child-processes';
import { openPtyPair } from '../../hardware/serial/pty-pair';
import { connectKioskBoard, type KioskBoard, type NoteAccepted, type TamperEvent } from '../../firmware/board';
import { defaultPinMap, fillLightDuty } from '../../firmware/pin-map';
import { encodeFirmwareName, encodeVersion, firmata, pinModes } from '../../firmware/firmata-protocol';
import { defaultFirmwareName, startBoardSimulator, startBoardSimulatorOnPty, type BoardSimulator } from '../../firmware/simulator';
import type { LogEvent } from '../../shared/log';
import { expectAbsentFor } from '../helpers/absence';

const pins = defaultPinMap;
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function boardOnSimulator(
  options: { betweenNotesMs?: number; latchWhenUnwatched?: boolean } = {},
): Promise<{ sim: BoardSimulator & { hostPath: string }; board: KioskBoard; logs: LogEvent[] }> {
  const sim = await startBoardSimulatorOnPty({
    // The driver's open resets the board (DTR); a short bootloader keeps the tests quick.
    bootMs: 200,
    ...(options.betweenNotesMs === undefined ? {} : { betweenNotesMs: options.betweenNotesMs }),
  });
  cleanup.push(() => sim.close());
  const logs: LogEvent[] = [];
  const board = connectKioskBoard({
    path: sim.hostPath,
    log: (event) => logs.push(event),
    reopenIntervalMs: 100,
    ...(options.latchWhenUnwatched ? { latchWhenUnwatched: true } : {}),
  });
  cleanup.push(() => board.close());
  await board.waitUntilConnected();
  return { sim, board, logs };
}

const until = (check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> =>
  waitFor(check, timeoutMs, `timed out waiting for ${what}`);

describe('Firmata board simulator', () => {
  it('answers the handshake so that plain firmata-io reaches ready, with pin modes, writes and pin state queries', async () => {
    const pair = await openPtyPair('fw');
    cleanup.push(() => pair.close());
    const sim = await startBoardSimulator({ devicePath: pair.devicePath, name: 'KioskBoard.ino' });
    cleanup.push(() => sim.close());
    const port = new SerialPort({ path: pair.hostPath, baudRate: 57600 });
    cleanup.push(() => new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())));
    const io = new firmataIo.Firmata(port, { reportVersionTimeout: 200 });
    await new Promise<void>((resolve) => io.once('ready', () => resolve()));

    expect(io.firmware.name).toBe('KioskBoard.ino');
    expect(io.version).toEqual({ major: 2, minor: 5 });
    expect(io.pins).toHaveLength(20);
    expect(io.analogPins).toEqual([14, 15, 16, 17, 18, 19]);
    expect(io.pins[9]?.supportedModes).toContain(pinModes.pwm);
    expect(io.pins[7]?.supportedModes).not.toContain(pinModes.pwm);

    io.pinMode(7, io.MODES.OUTPUT);
    io.digitalWrite(7, 1);
    io.pinMode(9, io.MODES.PWM);
    io.pwmWrite(9, 77);
    await until(() => sim.pinValue(9) === 77, 'the PWM write');
    expect(sim.pinWrites().map((w) => [w.pin, w.value, w.kind])).toEqual([
      [7, 1, 'digital'],
      [9, 77, 'pwm'],
    ]);
    await new Promise<void>((resolve) => io.queryPinState(7, () => resolve()));
    expect(io.pins[7]).toMatchObject({ mode: pinModes.output, state: 1 });

    io.pinMode(3, io.MODES.PULLUP);
    const levels: number[] = [];
    io.digitalRead(3, (value) => levels.push(value));
    await until(() => levels.length > 0, 'the first report');
    sim.setDoor(true);
    await until(() => levels.at(-1) === 1, 'the door report');
    expect(levels[0]).toBe(0);
  });
});

/** Opens the host end as a host program does (serialport 13), closed again after the test. */
async function openHostPort(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 57600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  cleanup.push(() => new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())));
  return port;
}

/** johnny-five keeps every Board in a module-wide cache: drop one when its test is done. */
function forgetBoard(board: five.Board): void {
  const cache = (five.Board as unknown as { cache: five.Board[] }).cache;
  const index = cache.indexOf(board);
  if (index >= 0) cache.splice(index, 1);
}

describe('Firmata board simulator: reset on open, as an Uno (DTR)', () => {
  it('plain johnny-five is ready well before its 5 s version timeout: the open resets the board, which announces itself ≈2 s later', async () => {
    // johnny-five's own `port` option needs the bundled serialport 8, which is not built here; this
    // is the same thing: firmata-io on a serialport port with its defaults (it waits 5 s for the
    // board to announce itself before it asks), johnny-five with its defaults.
    const sim = await startBoardSimulatorOnPty({});
    cleanup.push(() => sim.close());
    // Powered up long before anyone listens: that announcement is lost, as on the real board.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    // Opened as johnny-five's own port option would: firmata-io says `connect` on its 'open'.
    const port = new SerialPort({ path: sim.hostPath, baudRate: 57600 });
    cleanup.push(() => new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())));
    const board = new five.Board({ io: new firmataIo.Firmata(port), repl: false, debug: false } as five.BoardOption);
    cleanup.push(async () => forgetBoard(board));
    await new Promise<void>((resolve, reject) => {
      board.on('ready', () => resolve());
      board.on('error', (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))));
    });
    const readyMs = Date.now() - started;
    expect(sim.resets).toBe(1);
    expect(readyMs).toBeGreaterThanOrEqual(1900); // the bootloader's wait
    expect(readyMs).toBeLessThan(4000);
    expect(sim.handshakes).toBe(1);
  });

  it('resets again on every open: state cleared, deaf while in the bootloader, announced again', async () => {
    const sim = await startBoardSimulatorOnPty({ bootMs: 400 });
    cleanup.push(() => sim.close());
    const first = await openHostPort(sim.hostPath);
    const io = new firmataIo.Firmata(first, { reportVersionTimeout: 5000 });
    await new Promise<void>((resolve) => io.once('ready', () => resolve()));
    io.pinMode(7, io.MODES.OUTPUT);
    io.digitalWrite(7, 1);
    io.pinMode(3, io.MODES.PULLUP);
    await until(() => sim.pinValue(7) === 1 && sim.pinMode(3) === pinModes.pullup, 'the pin set-up');
    await new Promise<void>((resolve) => first.close(() => resolve()));
    // Closing does not reset (DTR falling does nothing): the lamp stays lit.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sim.pinValue(7)).toBe(1);
    expect(sim.resets).toBe(1);

    const second = await openHostPort(sim.hostPath);
    const received: number[] = [];
    second.on('data', (chunk: Buffer) => received.push(...chunk));
    // Asked at once: a board in its bootloader does not answer.
    second.write(Buffer.from([firmata.reportVersion, firmata.startSysex, firmata.capabilityQuery, firmata.endSysex]));
    await until(() => sim.resets === 2, 'the reset');
    expect(sim.booting).toBe(true);
    expect(sim.pinValue(7)).toBe(0);
    expect(sim.pinMode(7)).toBe(pinModes.output);
    expect(sim.pinMode(3)).toBe(pinModes.output);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toEqual([]);

    await until(() => !sim.booting && received.length > 0, 'the announcement');
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Version and firmware name, once: the queries sent into the bootloader were never answered.
    expect(received).toEqual([...encodeVersion(), ...encodeFirmwareName(defaultFirmwareName)]);
    expect(sim.handshakes).toBe(1);
  });
});

/** The kiosk's board driver on a pty whose far end the test writes raw bytes to (no simulator answers). */
async function boardOnBareLine(name: string): Promise<{ logs: LogEvent[]; write: (bytes: Uint8Array) => Promise<void> }> {
  const pair = await openPtyPair(name);
  cleanup.push(() => pair.close());
  const device = new SerialPort({ path: pair.devicePath, baudRate: 57600 });
  cleanup.push(() => new Promise((resolve) => (device.isOpen ? device.close(() => resolve()) : resolve())));
  await new Promise<void>((resolve, reject) => device.once('open', resolve).once('error', reject));
  const logs: LogEvent[] = [];
  const board = connectKioskBoard({ path: pair.hostPath, log: (event) => logs.push(event), reopenIntervalMs: 100 });
  cleanup.push(() => board.close());
  await until(() => logs.some((event) => event.eventId === 'board-handshake-init'), 'the board port to open');
  const write = (bytes: Uint8Array): Promise<void> =>
    new Promise((resolve, reject) => device.write(Buffer.from(bytes), (error) => (error ? reject(error) : device.drain(() => resolve()))));
  return { logs, write };
}

describe('KioskBoard on a noisy line', { timeout: 60_000 }, () => {
  it('drops a sysex from the board that never ends (F0 + 8 MiB) and logs it once, not byte by byte', async () => {
    const { logs, write } = await boardOnBareLine('board-noise');
    await write(Uint8Array.of(0xf0, 0x71));
    const chunk = new Uint8Array(64 * 1024).fill(0x41);
    for (let sent = 0; sent < 8 * 1024 * 1024; sent += chunk.length) await write(chunk);
    await write(Uint8Array.of(0xf7));
    await until(() => logs.some((event) => event.eventId === 'board-bad-frame'), 'the sysex dropped as too long', 30_000);
    expect(logs.filter((event) => event.eventId === 'board-bad-frame')).toHaveLength(1);
  });

  it('drops a firmware report too short for its name (firmata-io throws on it) as a bad frame: nothing escapes', async () => {
    const { logs, write } = await boardOnBareLine('board-short-sysex');
    const escaped: unknown[] = [];
    const onUncaught = (error: unknown): void => void escaped.push(error);
    process.on('uncaughtException', onUncaught);
    cleanup.push(async () => void process.off('uncaughtException', onUncaught));

    // A version report (firmata-io reads nothing before one), then QUERY_FIRMWARE (F0 79 … F7) with no
    // version and no name: random line noise makes both now and then.
    await write(Uint8Array.of(0xf9, 0x02, 0x05, 0xf0, 0x79, 0xf7));
    await until(() => logs.some((event) => event.eventId === 'board-bad-frame'), 'the short report dropped as a bad frame');
    expect(logs.find((event) => event.eventId === 'board-bad-frame')?.message).toMatch(/malformed Firmata message/);
    expect(escaped).toEqual([]);
  });
});

describe('KioskBoard on johnny-five, over a pty, against the simulator', () => {
  it('reaches ready and sets every pin up as wired', async () => {
    const { sim, board, logs } = await boardOnSimulator();
    expect(board.isConnected).toBe(true);
    expect(sim.handshakes).toBe(1);
    expect(sim.resets).toBe(1);
    await until(() => sim.pinMode(pins.tamper) === pinModes.pullup, 'the pin set-up');
    expect(sim.pinMode(pins.billPulse)).toBe(pinModes.pullup);
    expect(sim.pinMode(pins.tamper)).toBe(pinModes.pullup);
    expect(sim.pinMode(pins.billInhibit)).toBe(pinModes.output);
    expect(sim.pinMode(pins.buzzer)).toBe(pinModes.output);
    expect(sim.pinMode(pins.fillLight)).toBe(pinModes.pwm);
    for (const lamp of Object.values(pins.statusLight)) expect(sim.pinMode(lamp)).toBe(pinModes.output);
    expect(logs.map((e) => e.eventId)).toContain('board-handshake-complete');
    // Until the kiosk says otherwise: out of service, no money.
    await until(() => sim.pinValue(pins.statusLight.red) === 1, 'the red lamp');
    expect(sim.pinValue(pins.billInhibit)).toBe(1);
  });

  it('shows statuses on the light tower and plays buzzer patterns as pin writes', async () => {
    const { sim, board } = await boardOnSimulator();
    expect(board.setStatus('ready').ok).toBe(true);
    await until(() => sim.pinValue(pins.statusLight.green) === 1 && sim.pinValue(pins.statusLight.red) === 0, 'steady green');

    board.setStatus('attention');
    const amber = (): number[] => sim.pinWrites().filter((w) => w.pin === pins.statusLight.amber).map((w) => w.value);
    await until(() => amber().length >= 4, 'amber blinking');
    expect(amber().slice(0, 4)).toEqual([1, 0, 1, 0]);
    expect(sim.pinValue(pins.statusLight.green)).toBe(0);

    const buzzes = (): number[] => sim.pinWrites().filter((w) => w.pin === pins.buzzer).map((w) => w.value);
    expect(board.buzz('error').ok).toBe(true);
    await until(() => buzzes().length >= 6, 'three beeps');
    expect(buzzes()).toEqual([1, 0, 1, 0, 1, 0]);

    board.setFillLight(true);
    await until(() => sim.pinValue(pins.fillLight) === fillLightDuty, 'the fill light');
    board.setFillLight(false);
    await until(() => sim.pinValue(pins.fillLight) === 0, 'the fill light off');
  });

  it('drives the inhibit line, latches out of service when the door opens, and only a technician clears it', async () => {
    const { sim, board, logs } = await boardOnSimulator();
    const tamper: TamperEvent[] = [];
    board.on('tamper', (event) => tamper.push(event));
    board.setStatus('ready');
    board.setCashInhibit(false);
    await until(() => sim.pinValue(pins.billInhibit) === 0, 'notes accepted');
    board.setCashInhibit(true);
    await until(() => sim.pinValue(pins.billInhibit) === 1, 'notes refused');
    expect(await sim.insertNote(100)).toMatchObject({ accepted: false, pulses: 0 });
    board.setCashInhibit(false);
    await until(() => sim.pinValue(pins.billInhibit) === 0, 'notes accepted again');

    sim.setDoor(true, { bounce: true });
    await until(() => tamper.length === 1, 'the tamper event');
    expect(tamper[0]).toEqual({ open: true, latched: true });
    expect(board.status).toBe('out-of-service');
    expect(logs.map((e) => e.eventId)).toContain('board-tamper-open');
    await until(() => sim.pinValue(pins.billInhibit) === 1 && sim.pinValue(pins.statusLight.red) === 1, 'inhibit and red');
    expect(board.clearTamper()).toEqual({ ok: false, error: { kind: 'door_open' } });

    sim.setDoor(false, { bounce: true });
    await until(() => tamper.length === 2, 'the door shut event');
    expect(tamper[1]).toEqual({ open: false, latched: true });
    board.setStatus('ready'); // the kiosk cannot talk its way out of the latch
    expect(board.status).toBe('out-of-service');
    expect(board.cashInhibited).toBe(true);

    expect(board.clearTamper().ok).toBe(true);
    expect(board.status).toBe('ready');
    await until(() => sim.pinValue(pins.billInhibit) === 0 && sim.pinValue(pins.statusLight.green) === 1, 'back in service');
    // A healthy line: nothing the board sent was taken for garbage.
    expect(logs.filter((e) => e.eventId === 'board-garbage' || e.eventId === 'board-line-noise')).toEqual([]);
    expect(board.lineNoisy).toBe(false);
  });

  it('reports an unplugged board, reattaches by itself when it comes back, and restores the outputs', async () => {
    const { sim, board } = await boardOnSimulator();
    const events: string[] = [];
    board.on('connected', () => events.push('connected'));
    board.on('disconnected', () => events.push('disconnected'));
    board.setStatus('busy');
    board.setCashInhibit(false);

    await sim.unplug();
    await until(() => events.includes('disconnected'), 'the disconnect');
    expect(board.isConnected).toBe(false);
    expect(board.setStatus('ready')).toEqual({ ok: false, error: { kind: 'board_disconnected' } });
    expect(board.buzz('success').ok).toBe(false);

    await sim.replug();
    await board.waitUntilConnected();
    expect(events).toEqual(['disconnected', 'connected']);
    expect(sim.handshakes).toBe(2);
    // The driver's reopen reset the board again: it handshook after the bootloader, not before.
    expect(sim.resets).toBe(2);
    await until(() => sim.pinValue(pins.statusLight.green) === 1 && sim.pinValue(pins.billInhibit) === 0, 'outputs restored');
  });

  it('on an unattended kiosk, latches out of service when the board is lost (the door was not watched meanwhile)', async () => {
    const { sim, board } = await boardOnSimulator({ latchWhenUnwatched: true });
    const tamper: TamperEvent[] = [];
    board.on('tamper', (event) => tamper.push(event));
    expect(board.tamperLatched).toBe(false);
    await sim.unplug();
    await until(() => tamper.length === 1, 'the unwatched latch');
    expect(tamper).toEqual([{ open: false, latched: true, unwatched: true }]);
    await sim.replug();
    await board.waitUntilConnected();
    expect(board.tamperLatched).toBe(true);
    expect(board.status).toBe('out-of-service');
    await until(() => board.doorOpen === false, 'the door reading');
    expect(board.clearTamper()).toEqual({ ok: true, value: undefined });
  });

  it('starts latched when the kiosk restarts with an uncleared alarm', async () => {
    const sim = await startBoardSimulatorOnPty({ bootMs: 200 });
    cleanup.push(() => sim.close());
    const board = connectKioskBoard({ path: sim.hostPath, tamperLatched: true, reopenIntervalMs: 100 });
    cleanup.push(() => board.close());
    await board.waitUntilConnected();
    expect(board.tamperLatched).toBe(true);
    await until(() => sim.pinValue(pins.billInhibit) === 1, 'the acceptor inhibited while out of service');
  });

  it('notices a board that goes silent on a port that stays, and reattaches when it answers again', async () => {
    const pair = await openPtyPair('silent');
    cleanup.push(() => pair.close());
    const sim = await startBoardSimulator({ devicePath: pair.devicePath });
    cleanup.push(() => sim.close());
    const board = connectKioskBoard({ path: pair.hostPath, probeIntervalMs: 100, silenceTimeoutMs: 400, handshakeRetryMs: 100 });
    cleanup.push(() => board.close());
    await board.waitUntilConnected();
    const reasons: string[] = [];
    board.on('disconnected', (reason) => reasons.push(reason));

    await sim.unplug(); // no cable: the board only loses power
    await until(() => reasons.length > 0, 'the silence to be noticed');
    expect(reasons).toEqual(['board silent']);
    await sim.replug();
    await board.waitUntilConnected();
    expect(board.isConnected).toBe(true);
  });

  it('does not take a stall of its own process for a silent board', async () => {
    const pair = await openPtyPair('stalled');
    cleanup.push(() => pair.close());
    const sim = await startBoardSimulator({ devicePath: pair.devicePath });
    cleanup.push(() => sim.close());
    const board = connectKioskBoard({ path: pair.hostPath, probeIntervalMs: 100, silenceTimeoutMs: 400, handshakeRetryMs: 100 });
    cleanup.push(() => board.close());
    await board.waitUntilConnected();
    const reasons: string[] = [];
    board.on('disconnected', (reason) => reasons.push(reason));
    await new Promise((resolve) => setTimeout(resolve, 300)); // a few punctual probes, answered

    // The event loop held for longer than the silence timeout (a busy CPU, a slow synchronous step).
    const until = Date.now() + 700;
    while (Date.now() < until) {
      // busy: no timer, no I/O
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(reasons).toEqual([]);
    expect(board.isConnected).toBe(true);
  });

  it('hands a note from the acceptor over the pty to a note event, once (the counting itself: bill-acceptor.test.ts, on virtual time)', async () => {
    // One pulse: no stall of this process can split or merge it. A stall over both its edges (a loaded
    // machine) makes it a pulse or a spike: then it comes refused and flagged, still once.
    // Counting many notes in real time is `npm run bench -- board` (a figure, not an assertion).
    const { sim, board, logs } = await boardOnSimulator();
    const notes: NoteAccepted[] = [];
    board.on('note', (note) => notes.push(note));
    board.setStatus('ready');
    board.setCashInhibit(false);
    await until(() => sim.pinValue(pins.billInhibit) === 0, 'notes accepted');
    const inserted = await sim.insertNote(100);
    expect(inserted).toMatchObject({ accepted: true, pulses: 1 });
    await until(() => notes.length > 0, 'the note event');
    const noteMs = Date.now() - inserted.lastPulseEndAt;
    await expectAbsentFor(() => notes.length > 1, noteMs, { what: 'the note counted twice' });
    const [note] = notes;
    if (note?.irregular) {
      expect(notes).toEqual([expect.objectContaining({ amount: 0, sequence: 1, maxAmount: 100, irregular: true })]);
      expect(logs.filter((e) => e.eventId === 'board-note-irregular')).toHaveLength(1);
    } else {
      expect(notes).toEqual([expect.objectContaining({ amount: 100, sequence: 1, pulses: 1, irregular: false })]);
      expect(logs.filter((e) => e.eventId === 'board-note-accepted')).toHaveLength(1);
    }
  });
});
