import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveChipKeys } from '../../../../hardware/card-record/keys';
import { personalisedBlocks } from '../../../../hardware/card-record/personalised-chip';
import { citizenCardStation } from '../../../../hardware/card-record/station';
import type { CitizenCardStation } from '../../../../hardware/card-record/types';
import { openNfcStation } from '../../../../hardware/nfc/driver';
import type { CardTap } from '../../../../hardware/nfc/types';
import { loadConfig } from '../../../../kiosk/controller/config';
import { createSimulatedWorld, type SimulatedWorld } from '../../../../kiosk/controller/devices/simulated-world';
import { devCommandSchema } from '../../../../shared/contract/kiosk-api';
import { silentLog } from '../../../../shared/log';
import { masterKey, sampleRecord, uid } from '../../../hardware/nfc/fixtures';

/**
 * The dev panel's `card-fault` on the simulated counter reader, seen through the real pcscd of the
 * world (this file's process binds to its socket): the card lifted before the wallet write, the write
 * torn. A card keeps its chip between placements, so the torn wallet is there on the next tap.
 */
describe('simulated world: citizen-card faults for the wallet mirror write', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-card-fault-'));
  const keys = deriveChipKeys(masterKey, uid);
  const record = sampleRecord({ wallet: { balance: 500, transactionCounter: 1 } });
  const request = { cardNumber: record.cardNumber, balance: 1_500, counter: 2 };
  let world: SimulatedWorld;
  let station: CitizenCardStation;

  beforeAll(async () => {
    const config = loadConfig({
      KIOSK_DATA_DIR: dataDir, KIOSK_SIMULATE: 'nfc', KIOSK_NUMBER: '2',
      KIOSK_PRINTER: '/dev/null', KIOSK_SCANNER: '/dev/null', KIOSK_BOARD: '/dev/null',
    });
    world = await createSimulatedWorld(config, silentLog);
    // The test's citizen card, laid down through the staff-card slot (any chip memory will do).
    world.setStaffCard('staff', personalisedBlocks(uid, record, keys));
    station = citizenCardStation(await openNfcStation({ socketPath: world.pcscd!.socketPath, readerName: world.readers!.counter }));
  }, 30_000);
  afterAll(async () => {
    await station?.close();
    await world?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const next = (event: 'card' | 'removed'): Promise<CardTap> => new Promise((resolve) => {
    const listener = (tap: CardTap): void => {
      station.off(event, listener);
      resolve(tap);
    };
    station.on(event, listener);
  });
  async function layCard(): Promise<void> {
    const seen = next('card');
    expect(await world.dev({ type: 'place-card', kind: 'staff' })).toEqual({ accepted: true });
    await seen;
  }

  it('lift-before-wallet-write, armed before the card is laid: the card leaves as the write is sent, its chip unchanged', async () => {
    expect(await world.dev({ type: 'card-fault', fault: 'lift-before-wallet-write' })).toEqual({ accepted: true });
    await layCard();
    const removed = next('removed');
    const result = await station.writeWallet(keys, request);
    await removed;
    expect(result.ok ? 'ok' : result.error).toMatchObject({ kind: 'card_removed', inFlight: 56 });
    expect(world.state().counterReader).toBe('empty');
    await layCard();
    expect(await station.readRecord(keys)).toMatchObject({ ok: true, value: { record } });
  });

  it('tear-wallet-write on the card on the reader: the next tap reads wallet_invalid, and a write mends it', async () => {
    expect(world.state().counterReader).toBe('card');
    expect(await world.dev({ type: 'card-fault', fault: 'tear-wallet-write' })).toEqual({ accepted: true });
    const removed = next('removed');
    const result = await station.writeWallet(keys, request);
    await removed;
    expect(result.ok ? 'ok' : result.error).toMatchObject({ kind: 'card_removed', state: 'commit_uncertain' });
    await layCard();
    const read = await station.readRecord(keys);
    expect(read.ok ? 'ok' : read.error).toMatchObject({ kind: 'record_invalid', error: { kind: 'wallet_invalid', record: { cardNumber: record.cardNumber, wallet: { balance: 1_500, transactionCounter: 2 } } } });
    // The fault was once: this write lands.
    expect(await station.writeWallet(keys, request)).toMatchObject({ ok: true, value: { balance: 1_500, counter: 2 } });
    expect(await world.dev({ type: 'remove-card' })).toEqual({ accepted: true });
    await layCard();
    expect(await station.readRecord(keys)).toMatchObject({ ok: true, value: { record: { wallet: { balance: 1_500, transactionCounter: 2 } } } });
  });

  it('the contract knows only the two card faults', () => {
    expect(devCommandSchema.safeParse({ type: 'card-fault', fault: 'tear-wallet-write' }).success).toBe(true);
    expect(devCommandSchema.safeParse({ type: 'card-fault', fault: 'melt' }).success).toBe(false);
  });
});
