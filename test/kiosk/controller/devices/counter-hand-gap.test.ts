import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { loadConfig } from '../../../../kiosk/controller/config';
import { createSimulatedWorld, type SimulatedWorld } from '../../../../kiosk/controller/devices/simulated-world';
import { silentLog } from '../../../../shared/log';

/**
 * A hand laying a card on the counter reader right after lifting one leaves the field empty for a
 * moment (pcscd must see it, or the new card goes unread). That gap runs on the world's injected clock:
 * here XState's SimulatedClock, so the card lands only when the clock is moved on.
 */
describe('simulated world: the hand between two cards on the counter reader', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-hand-gap-'));
  const clock = new SimulatedClock();
  let world: SimulatedWorld;

  beforeAll(async () => {
    const config = loadConfig({
      KIOSK_DATA_DIR: dataDir, KIOSK_SIMULATE: 'nfc', KIOSK_NUMBER: '2',
      KIOSK_PRINTER: '/dev/null', KIOSK_SCANNER: '/dev/null', KIOSK_BOARD: '/dev/null',
    });
    world = await createSimulatedWorld(config, silentLog, { timers: clock });
  }, 30_000);
  afterAll(async () => {
    await world?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lays the next card only after the gap, measured from the moment the last one was lifted', async () => {
    // Nothing was on the reader: no gap to wait for.
    expect(await world.dev({ type: 'place-card', kind: 'phone' })).toEqual({ accepted: true });
    expect(world.state().counterReader).toBe('card');
    expect(await world.dev({ type: 'remove-card' })).toEqual({ accepted: true });
    expect(world.state().counterReader).toBe('empty');

    let placed = false;
    const placing = world.dev({ type: 'place-card', kind: 'phone' }).then((reply) => {
      placed = true;
      return reply;
    });
    // Real time passes, the simulated clock does not: the hand has not come down yet.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(placed).toBe(false);
    expect(world.state().counterReader).toBe('empty');

    clock.increment(150);
    expect(await placing).toEqual({ accepted: true });
    expect(world.state().counterReader).toBe('card');
  });
});
