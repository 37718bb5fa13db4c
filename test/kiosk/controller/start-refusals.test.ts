import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../shared/clock';
import { createOperatorService } from '../../../kiosk/controller/auth/operator-service';
import { loadConfig } from '../../../kiosk/controller/config';
import { demoStaff, demoStaffProblem, seedDemoStaff } from '../../../kiosk/controller/devices/demo-staff';
import { startKiosk } from '../../../kiosk/controller/main';
import { openStore } from '../../../kiosk/controller/store/store';

/** A kiosk that cannot start says why and what to do, before touching any device. */
describe('startKiosk refusals', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-refusal-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("names the kiosk a data directory belongs to and how to start it", async () => {
    const opened = await openStore({ path: join(dataDir, 'kiosk.sqlite'), keyFile: join(dataDir, 'keys', 'store.key'), kioskId: 'TY-NURSING-07' });
    if (!opened.ok) throw new Error(JSON.stringify(opened.error));
    await opened.value.close();
    await expect(startKiosk(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_ID: 'TY-MOBILE-01', KIOSK_SIMULATE: '1' }))).rejects.toThrow(
      /this data belongs to kiosk TY-NURSING-07: set KIOSK_ID=TY-NURSING-07 or use another data directory/,
    );
  });

  it('refuses a store key file other users can read, naming the file and the fix', async () => {
    const keyFile = join(dataDir, 'keys', 'store.key');
    chmodSync(keyFile, 0o644);
    try {
      await expect(startKiosk(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_ID: 'TY-NURSING-07', KIOSK_SIMULATE: '1' }))).rejects.toThrow(
        `the store key file ${keyFile} is open to other users (mode 0644)`,
      );
      await expect(startKiosk(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_ID: 'TY-NURSING-07', KIOSK_SIMULATE: '1' }))).rejects.toThrow(`chmod 600 ${keyFile}`);
    } finally {
      chmodSync(keyFile, 0o600);
    }
  });

  it('a kiosk on real devices refuses a store holding the demo staff, naming them and how to remove them', async () => {
    const demoDir = mkdtempSync(join(tmpdir(), 'kiosk-demo-staff-'));
    try {
      const keyFile = join(demoDir, 'keys', 'store.key');
      const opened = await openStore({ path: join(demoDir, 'kiosk.sqlite'), keyFile, kioskId: 'TY-NURSING-07', kioskNumber: 17 });
      if (!opened.ok) throw new Error(JSON.stringify(opened.error));
      const operators = createOperatorService(opened.value, { clock: systemClock });
      // As a fully simulated kiosk left them, plus one real operator.
      await seedDemoStaff(operators, 1, 'TY-NURSING-07', new Uint8Array(16).fill(7), '2026-01-05');
      expect((await operators.addOperator({ staffCardNumber: '3300177000000017', name: '王小明', role: 'operator', pin: '842913', actorId: null })).ok).toBe(true);
      const demoIds = (await operators.listOperators()).filter((operator) => operator.name !== '王小明').map((operator) => operator.operatorId);
      expect(demoIds).toHaveLength(demoStaff.length);
      await opened.value.close();

      const real = {
        KIOSK_DATA_DIR: demoDir, KIOSK_ID: 'TY-NURSING-07', KIOSK_NUMBER: '17', KIOSK_PORT: '0',
        KIOSK_PRINTER: join(demoDir, 'no-printer'), KIOSK_SCANNER: join(demoDir, 'no-scanner'), KIOSK_BOARD: join(demoDir, 'no-board'),
        KIOSK_NFC: 'No Such Reader 00 00', KIOSK_COUNTER_READER: 'No Such Reader 01 00',
      };
      const attempt = startKiosk(loadConfig(real));
      await expect(attempt).rejects.toThrow(`the store holds the demo staff accounts (${demoIds.join(', ')})`);
      await expect(startKiosk(loadConfig(real))).rejects.toThrow('remove each with `npx kioskctl operator disable <id>`');
      // Partly simulated is not a demo kiosk either.
      await expect(startKiosk(loadConfig({ ...real, KIOSK_BOARD: '', KIOSK_SIMULATE: 'board' }))).rejects.toThrow(/the store holds the demo staff accounts/);

      // Once disabled, the store is fine for real devices.
      const reopened = await openStore({ path: join(demoDir, 'kiosk.sqlite'), keyFile, kioskId: 'TY-NURSING-07', kioskNumber: 17 });
      if (!reopened.ok) throw new Error(JSON.stringify(reopened.error));
      const service = createOperatorService(reopened.value, { clock: systemClock });
      for (const id of demoIds) expect((await service.disableOperator(id, null)).ok).toBe(true);
      expect(await demoStaffProblem(service)).toBeNull();
      await reopened.value.close();
    } finally {
      rmSync(demoDir, { recursive: true, force: true });
    }
  });
});
