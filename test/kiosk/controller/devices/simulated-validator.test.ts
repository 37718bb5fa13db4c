import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBillValidator, type SerialBillValidator } from '../../../../hardware/bill-validator/driver';
import type { BillEvent } from '../../../../hardware/bill-validator/types';
import { waitFor } from '../../../../hardware/host/child-processes';
import { loadConfig } from '../../../../kiosk/controller/config';
import { createSimulatedWorld, type SimulatedWorld } from '../../../../kiosk/controller/devices/simulated-world';
import { silentLog } from '../../../../shared/log';

/** The simulated world's cash device: the ccTalk validator on its pty, driven by the dev commands. */
describe('simulated world: the bill validator', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  const worldWith = async (env: Record<string, string>): Promise<SimulatedWorld> => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-validator-world-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const config = loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_NUMBER: '2', KIOSK_NFC: 'Real Reader 00 00', KIOSK_COUNTER_READER: 'Real Reader 01 00', ...env });
    const world = await createSimulatedWorld(config, silentLog, { validator: { validationMs: 20, stackingMs: 50 } });
    cleanup.push(() => world.stop());
    return world;
  };

  it('starts the validator on a pty; a note and the faults from the dev panel reach it, the driver sees them', async () => {
    const world = await worldWith({ KIOSK_SIMULATE: 'printer,scanner,board,billValidator' });
    expect(world.paths.billValidator).toBeDefined();
    const validator: SerialBillValidator = openBillValidator({ path: world.paths.billValidator!, pollMs: 30 });
    cleanup.push(() => validator.close());
    const events: BillEvent[] = [];
    validator.on('event', (event) => events.push(event));
    expect(await validator.whenConnected()).toBe(true);
    expect(await validator.inhibitAll(false)).toMatchObject({ ok: true });

    expect(await world.dev({ type: 'insert-note', amount: 1000 })).toEqual({ accepted: true });
    await waitFor(() => events.length === 1, 5000, 'the escrow event');
    expect(events[0]).toMatchObject({ kind: 'escrow', value: 1000 });
    expect(world.state().validator).toMatchObject({ escrow: 1000, masterInhibit: false, stacker: 'in' });
    expect(await validator.route('stack')).toMatchObject({ ok: true });
    await waitFor(() => events.length === 2, 5000, 'the stacked event');
    expect(world.state().validator?.stackerNotes).toEqual({ '1000': 1 });

    expect(await world.dev({ type: 'insert-note', amount: 500, counterfeit: true })).toEqual({ accepted: true });
    await waitFor(() => events.length === 3, 5000, 'the refusal');
    expect(await world.dev({ type: 'validator-fault', fault: 'jam-unsafe' })).toEqual({ accepted: true });
    await waitFor(() => events.length === 4, 5000, 'the refusal and the jam');
    expect(events.slice(2).map((event) => event.kind === 'status' && event.status)).toEqual(['invalid-validation', 'jam-transport-unsafe']);
    expect(world.state().validator?.jam).toBe('unsafe');
  });

  it('sends notes to the I/O board when the pulse acceptor is the cash device, and has no validator then', async () => {
    const world = await worldWith({ KIOSK_SIMULATE: 'printer,scanner,board', KIOSK_CASH_DEVICE: 'pulse' });
    expect(world.validator).toBeNull();
    expect(world.state().validator).toBeNull();
    expect(await world.dev({ type: 'insert-note', amount: 500 })).toEqual({ accepted: true });
    expect(await world.dev({ type: 'insert-note', amount: 2000 })).toMatchObject({ accepted: false, reason: expect.stringMatching(/pulse acceptor takes NT\$100, 500, 1000/) as unknown as string });
    expect(await world.dev({ type: 'validator-fault', fault: 'jam-safe' })).toMatchObject({ accepted: false, reason: 'the bill validator is not simulated' });
  });
});
