import { afterEach, describe, expect, it } from 'vitest';
import { openBillValidator, type BillValidatorOptions, type SerialBillValidator } from '../../../hardware/bill-validator/driver';
import {
  startBillValidatorSimulatorOnPty,
  type BillValidatorSimulatorOptions,
  type PluggableBillValidatorSimulator,
} from '../../../hardware/bill-validator/simulator';
import type { BillBufferBreak, BillEvent, BillValidatorConnection } from '../../../hardware/bill-validator/types';

/** The driver on the host end of a real socat pty, the simulated validator on the device end. */
interface Rig {
  readonly simulator: PluggableBillValidatorSimulator;
  readonly validator: SerialBillValidator;
  readonly events: BillEvent[];
  readonly breaks: BillBufferBreak[];
  readonly connections: BillValidatorConnection[];
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const fastValidator: Omit<BillValidatorSimulatorOptions, 'devicePath'> = {
  validationMs: 20,
  stackingMs: 150,
  returnMs: 50,
  escrowTimeoutMs: 1500,
  powerOffMs: 600,
};

async function rig(
  simulatorOptions: Omit<BillValidatorSimulatorOptions, 'devicePath'> = {},
  driverOptions: Partial<BillValidatorOptions> = {},
  connect = true,
): Promise<Rig> {
  const simulator = await startBillValidatorSimulatorOnPty({ ...fastValidator, ...simulatorOptions });
  cleanup.push(() => simulator.close());
  const validator = openBillValidator({ path: simulator.hostPath, pollMs: 30, replyTimeoutMs: 200, reopenIntervalMs: 50, ...driverOptions });
  cleanup.push(() => validator.close());
  const r: Rig = { simulator, validator, events: [], breaks: [], connections: [] };
  validator.on('event', (event) => r.events.push(event));
  validator.on('break', (what) => r.breaks.push(what));
  validator.on('connection', (state) => r.connections.push(state));
  if (connect) expect(await validator.whenConnected()).toBe(true);
  return r;
}

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

/** Enables 100, 500 and 1000 and lifts the master inhibit, as the top-up flow does when a visit opens. */
async function enable(validator: SerialBillValidator, values: readonly number[] = [100, 500, 1000]): Promise<void> {
  expect(await validator.accept(values)).toEqual({ ok: true, value: undefined });
  expect(await validator.inhibitAll(false)).toEqual({ ok: true, value: undefined });
}

describe('ccTalk bill validator driver against the simulator on a pty', () => {
  it('identifies the validator and its bill types with their values', async () => {
    const { validator } = await rig();
    const identity = await validator.identify();
    expect(identity).toEqual({
      ok: true,
      value: {
        category: 'Bill Validator',
        manufacturer: 'CCK',
        product: 'BV-SIM',
        serialNumber: 0x0a1b2c,
        billTypes: [
          { billType: 1, id: 'TW0100A', value: 100 },
          { billType: 2, id: 'TW0200A', value: 200 },
          { billType: 3, id: 'TW0500A', value: 500 },
          { billType: 4, id: 'TW1000A', value: 1000 },
          { billType: 5, id: 'TW2000A', value: 2000 },
        ],
      },
    });
    expect(await validator.selfCheck()).toEqual({ ok: true, value: 0 });
  });

  it('turns escrow on when it connects and sets exactly the accepted notes', async () => {
    const { validator, simulator } = await rig();
    expect(simulator.state().operatingMode).toBe(0b11);
    expect(simulator.state().masterInhibit).toBe(true);
    await enable(validator, [100, 1000]);
    expect(simulator.state().enabledTypes).toEqual([1, 4]);
    expect(simulator.state().masterInhibit).toBe(false);
    expect(await validator.accept([300])).toMatchObject({ ok: false, error: { kind: 'bad_reply' } });
  });

  it('refuses notes under the master inhibit until the host enables them', async () => {
    const { validator, simulator, events } = await rig();
    expect(await simulator.insertNote(500)).toEqual({ kind: 'refused', status: 'master-inhibit' });
    await until(() => events.length === 1, 'the refusal');
    expect(events[0]).toMatchObject({ kind: 'status', status: 'master-inhibit', code: 0 });
    expect(simulator.state().escrow).toBeNull();
    expect(validator.lastCounter()).toBe(1);
  });

  it('escrow → stack → stacked: the note is taken only after the route command', async () => {
    const { validator, simulator, events } = await rig();
    await enable(validator);
    expect(await simulator.insertNote(500)).toEqual({ kind: 'escrow', billType: 3 });
    await until(() => events.length === 1, 'the escrow event');
    expect(events[0]).toEqual({ kind: 'escrow', counter: 1, billType: 3, value: 500 });
    expect(simulator.state().stackedTotal).toEqual({});
    expect(await validator.route('stack')).toEqual({ ok: true, value: undefined });
    await until(() => events.length === 2, 'the stacked event');
    expect(events[1]).toEqual({ kind: 'stacked', counter: 2, billType: 3, value: 500 });
    expect(simulator.state().stackerNotes).toEqual({ 500: 1 });
    expect(await validator.route('stack')).toMatchObject({ ok: false, error: { kind: 'escrow_empty' } });
  });

  it('returns a note from escrow on request', async () => {
    const { validator, simulator, events } = await rig();
    await enable(validator);
    await simulator.insertNote(1000);
    await until(() => events.length === 1, 'the escrow event');
    expect(await validator.route('return')).toEqual({ ok: true, value: undefined });
    await until(() => events.length === 2, 'the returned event');
    expect(events[1]).toMatchObject({ kind: 'status', status: 'returned', counter: 2 });
    expect(simulator.state()).toMatchObject({ escrow: null, returnedNotes: 1, stackedTotal: {} });
  });

  it('the validator returns a note left in escrow past its timeout by itself; extend restarts the wait', async () => {
    const { validator, simulator, events } = await rig({ escrowTimeoutMs: 600 });
    await enable(validator);
    await simulator.insertNote(100);
    await until(() => events.length === 1, 'the escrow event');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await validator.route('extend-escrow')).toEqual({ ok: true, value: undefined });
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(simulator.state().escrow).not.toBeNull(); // 750 ms after escrow: still there thanks to the extension
    await until(() => events.length === 2, 'the return by timeout');
    expect(events[1]).toMatchObject({ kind: 'status', status: 'returned' });
    expect(simulator.state().returnedNotes).toBe(1);
  });

  it('refuses a NT$2000 note by default (inhibited by mask) and a counterfeit', async () => {
    const { validator, simulator, events } = await rig();
    await validator.inhibitAll(false);
    expect(await simulator.insertNote(2000)).toEqual({ kind: 'refused', status: 'inhibited-serial' });
    expect(await simulator.insertNote(500, { counterfeit: true })).toEqual({ kind: 'refused', status: 'invalid-validation' });
    await until(() => events.length === 2, 'both refusals');
    expect(events.map((event) => event.kind === 'status' && event.code)).toEqual([4, 2]);
  });

  it('a full stacker cannot take the note in escrow: route fails', async () => {
    const { validator, simulator, events } = await rig();
    await enable(validator);
    await simulator.insertNote(500);
    await until(() => events.length === 1, 'the escrow event');
    simulator.injectFault({ kind: 'stacker-full' });
    await until(() => events.length === 2, 'the stacker full event');
    expect(events[1]).toMatchObject({ kind: 'status', status: 'stacker-full', code: 14 });
    expect(await validator.route('stack')).toMatchObject({ ok: false, error: { kind: 'route_failed' } });
    expect(await validator.route('return')).toEqual({ ok: true, value: undefined });
  });

  it('reports jams, the stacker and fraud as status events', async () => {
    const { simulator, events } = await rig();
    for (const kind of ['jam-safe', 'clear-jam', 'jam-stacker', 'clear-jam', 'jam-unsafe', 'stacker-removed', 'stacker-inserted', 'fraud-opto', 'fraud-string'] as const) {
      simulator.injectFault({ kind });
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    await until(() => events.length === 7, 'seven status events');
    expect(events.map((event) => event.kind === 'status' && event.code)).toEqual([16, 7, 6, 11, 12, 17, 18]);
    expect(events.map((event) => event.counter)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('a jam or a power cut while a note is being read settles that note (held by the jam, pushed back out)', async () => {
    const { simulator } = await rig({ validationMs: 300 });
    const jammed = simulator.insertNote(500);
    simulator.injectFault({ kind: 'jam-unsafe' });
    expect(await jammed).toEqual({ kind: 'not-taken', reason: 'jammed' });
    expect(simulator.state()).toMatchObject({ jam: 'unsafe', escrow: null });
    simulator.injectFault({ kind: 'clear-jam' });
    const cut = simulator.insertNote(100);
    simulator.injectFault({ kind: 'power-loss', offMs: 100 });
    expect(await cut).toEqual({ kind: 'not-taken', reason: 'no-power' });
  });

  it('power loss: polls time out (disconnected), then the counter is back at 0 (break: restarted), escrow on again', async () => {
    const { validator, simulator, events, breaks, connections } = await rig();
    await enable(validator);
    await simulator.insertNote(500);
    await until(() => events.length === 1, 'the escrow event');
    simulator.injectFault({ kind: 'power-loss', offMs: 1000 });
    await until(() => connections.includes('disconnected'), 'the disconnection');
    await until(() => breaks.length === 1, 'the break');
    expect(breaks[0]).toEqual({ kind: 'restarted', lastCounter: 1 });
    expect(connections).toEqual(['connected', 'disconnected', 'connected']);
    expect(validator.lastCounter()).toBe(0);
    expect(simulator.state()).toMatchObject({ escrow: null, returnedNotes: 1, masterInhibit: true, operatingMode: 0b11 });
  });

  it('more than five events between polls: break events-lost, none of them announced', async () => {
    const { validator, simulator, events, breaks } = await rig({}, { pollMs: 2000 });
    // Let the first poll set the baseline, then make six events before the next.
    await until(() => validator.lastCounter() === 0, 'the baseline');
    for (let i = 0; i < 6; i++) simulator.injectFault({ kind: i % 2 ? 'stacker-inserted' : 'stacker-removed' });
    await until(() => breaks.length === 1, 'the break', 6000);
    expect(breaks[0]).toEqual({ kind: 'events-lost', lastCounter: 0, counter: 6 });
    expect(events).toEqual([]);
  });

  it('readBuffer reads without announcing, and polling goes on from its counter', async () => {
    const { validator, simulator, events } = await rig({}, { pollMs: 3000 });
    await until(() => validator.lastCounter() === 0, 'the baseline');
    simulator.injectFault({ kind: 'stacker-removed' });
    const read = await validator.readBuffer();
    expect(read.ok && read.value.counter).toBe(1);
    expect(read.ok && read.value.events).toEqual([{ kind: 'status', counter: 1, status: 'stacker-removed', code: 11 }]);
    expect(validator.lastCounter()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 3200));
    expect(events).toEqual([]);
  });

  it('skips the one-wire echo; a missing echo is a broken bus (no_echo), and the validator is disconnected', async () => {
    const { validator, simulator, connections } = await rig();
    expect(await validator.ping()).toEqual({ ok: true, value: undefined });
    simulator.setEcho(false);
    expect(await validator.ping()).toMatchObject({ ok: false, error: { kind: 'no_echo' } });
    await until(() => connections.includes('disconnected'), 'the disconnection');
    simulator.setEcho(true);
    await until(() => connections.at(-1) === 'connected', 'the reconnection');
  });

  it('works with a two-wire adapter (echo off on both sides)', async () => {
    const { validator } = await rig({ echo: false }, { echo: false });
    expect(await validator.ping()).toEqual({ ok: true, value: undefined });
  });

  it('survives garbage on the line', async () => {
    const { validator, simulator, events } = await rig();
    await enable(validator);
    for (let i = 0; i < 5; i++) {
      simulator.injectFault({ kind: 'garbage', bytes: 40 });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await validator.ping()).toEqual({ ok: true, value: undefined });
    await simulator.insertNote(100);
    await until(() => events.length === 1, 'the escrow event after the noise');
    expect(events[0]).toMatchObject({ kind: 'escrow', value: 100 });
  });

  it('an unplugged cable disconnects it; plugged back, it connects and polls again', async () => {
    const { simulator, connections, events } = await rig();
    await simulator.unplug();
    await until(() => connections.includes('disconnected'), 'the disconnection');
    await simulator.replug();
    await until(() => connections.at(-1) === 'connected', 'the reconnection');
    simulator.injectFault({ kind: 'stacker-removed' });
    await until(() => events.length === 1, 'an event after the replug');
  });
});
