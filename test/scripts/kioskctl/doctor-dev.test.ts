import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../hardware/host/child-processes';
import { loadConfig } from '../../../kiosk/controller/config';
import { startKiosk, type RunningKiosk } from '../../../kiosk/controller/main';

const run = promisify(execFile);

/** `kioskctl doctor` and `kioskctl dev` as a technician runs them, against a running kiosk. */
describe('kioskctl doctor and dev', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-cli-'));
  let kiosk: RunningKiosk;
  const kioskctl = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await run('node', ['scripts/kioskctl.mjs', ...args], { env: { ...process.env, KIOSK_DATA_DIR: dataDir } });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  beforeAll(async () => {
    kiosk = await startKiosk(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0', KIOSK_SIMULATE: '1' }));
  }, 60_000);
  afterAll(async () => {
    await kiosk.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('doctor lists every device of the running kiosk, and exits 1 when one is gone', async () => {
    await waitFor(() => Object.values(kiosk.controller.snapshot().devices).every((device) => device.state === 'connected'), 15_000, 'devices did not connect');
    const healthy = await kioskctl('doctor');
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toMatch(/ok\s+card printer\s+connected, simulated/);
    expect(healthy.stdout).toMatch(/ok\s+NFC reader\s+connected, simulated \(Virtual PCD 00 00\)/);
    expect(healthy.stdout).toMatch(/ok\s+counter reader\s+connected, simulated/);
    expect(healthy.stdout).toMatch(/ok\s+bill validator\s+simulated \(cash device: cctalk\)/);

    await kiosk.world!.board!.unplug();
    await waitFor(() => kiosk.controller.snapshot().devices.board.state === 'disconnected', 15_000, 'the unplugged board was not noticed');
    const broken = await kioskctl('doctor');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/MISSING\s+I\/O board\s+disconnected/);
    await kiosk.world!.board!.replug();
    await waitFor(() => kiosk.controller.snapshot().devices.board.state === 'connected', 15_000, 'the board did not come back');
  });

  it('dev acts on the simulated devices and refuses what is not one', async () => {
    expect((await kioskctl('dev', 'printer-fault', 'feeder-empty')).code).toBe(0);
    const state = JSON.parse((await kioskctl('dev', 'state')).stdout) as { printer: { cardsInFeeder: number } };
    expect(state.printer.cardsInFeeder).toBe(0);
    expect((await kioskctl('dev', 'printer-fault', 'load-cards')).code).toBe(0);

    expect((await kioskctl('dev', 'place-card', 'staff')).code).toBe(0);
    await waitFor(() => kiosk.controller.snapshot().session.state === 'pin', 10_000, 'the staff card was not read');

    // Pulling the printer's cable: the kiosk notices, and plugging it back brings it back by itself.
    expect((await kioskctl('dev', 'cable', 'printer', 'unplug')).code).toBe(0);
    await waitFor(() => kiosk.controller.snapshot().devices.printer.state === 'disconnected', 10_000, 'the unplugged printer was not noticed');
    const unplugged = JSON.parse((await kioskctl('dev', 'state')).stdout) as { cables: Record<string, boolean> };
    expect(unplugged.cables).toEqual({ printer: false, scanner: true, board: true });
    expect((await kioskctl('dev', 'cable', 'printer', 'plug')).code).toBe(0);
    await waitFor(() => kiosk.controller.snapshot().devices.printer.state === 'connected', 10_000, 'the printer did not come back');
    const badCable = await kioskctl('dev', 'cable', 'printer', 'wiggle');
    expect(badCable.code).toBe(2);
    expect(badCable.stderr).toContain('unplug or plug');
    expect((await kioskctl('dev', 'cable', 'nfc', 'unplug')).code).toBe(2);

    // A jam timed to a step, and the old form still works; a step that is not one is a usage error.
    expect((await kioskctl('dev', 'printer-fault', 'jam', 'park')).code).toBe(0);
    expect((await kioskctl('dev', 'printer-fault', 'clear-jam')).code).toBe(0);
    const badStep = await kioskctl('dev', 'printer-fault', 'jam', 'lunch');
    expect(badStep.code).toBe(2);
    expect(badStep.stderr).toMatch(/atStep/);

    const unknownFault = await kioskctl('dev', 'printer-fault', 'melt');
    expect(unknownFault.code).toBe(1);
    expect(unknownFault.stderr).toContain("no printer fault 'melt'");
    // A note goes to the ccTalk validator, the simulated kiosk's cash device: nobody enabled it, so it is refused.
    const validator = kiosk.world!.validator!;
    expect((await kioskctl('dev', 'note', '500')).code).toBe(0);
    await waitFor(() => validator.state().counter === 1, 10_000, 'the validator did not see the note');
    expect(validator.state().events[0]).toMatchObject({ kind: 'status', status: 'master-inhibit' });
    expect(validator.state().escrow).toBeNull();
    expect((await kioskctl('dev', 'validator-fault', 'stacker-removed')).code).toBe(0);
    expect(validator.state().stacker).toBe('removed');
    expect(JSON.parse((await kioskctl('dev', 'state')).stdout)).toMatchObject({ validator: { stacker: 'removed', counter: 2, escrow: null } });
    expect((await kioskctl('dev', 'validator-fault', 'stacker-inserted')).code).toBe(0);
    expect((await kioskctl('dev', 'validator-fault', 'melt')).code).toBe(2);
    expect((await kioskctl('dev', 'note', '500', 'forged')).code).toBe(2);
    // NT$200 is a Taiwan note (the validator refuses it by default); NT$300 is none.
    const badNote = await kioskctl('dev', 'insert-note', '300');
    expect(badNote.code).toBe(2);
    expect(badNote.stderr).toMatch(/amount/);
  });
});
