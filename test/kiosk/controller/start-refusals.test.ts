import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../kiosk/controller/config';
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
    await expect(startKiosk(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_ID: 'TY-MOBILE-01' }))).rejects.toThrow(
      /this data belongs to kiosk TY-NURSING-07: set KIOSK_ID=TY-NURSING-07 or use another data directory/,
    );
  });

  it('refuses a store key file other users can read, naming the file and the fix', async () => {
    const keyFile = join(dataDir, 'keys', 'store.key');
    chmodSync(keyFile, 0o644);
    try {
      await expect(startKiosk(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_ID: 'TY-NURSING-07' }))).rejects.toThrow(
        `the store key file ${keyFile} is open to other users (mode 0644)`,
      );
      await expect(startKiosk(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_ID: 'TY-NURSING-07' }))).rejects.toThrow(`chmod 600 ${keyFile}`);
    } finally {
      chmodSync(keyFile, 0o600);
    }
  });
});
