import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fixedClock } from '../../../../shared/clock';
import { createLogger } from '../../../../kiosk/controller/logging/logger';
import type { RecordIssuanceInput } from '../../../../kiosk/controller/store/issuances';
import { openStore, type OpenStoreOptions, type Store } from '../../../../kiosk/controller/store/store';

/** A store in a fresh temp directory, a controllable clock and the JSON lines it logged. */
export interface TempStore {
  readonly dir: string;
  readonly path: string;
  readonly keyFile: string;
  readonly clock: ReturnType<typeof fixedClock>;
  readonly store: Store;
  logText(): string;
  reopen(overrides?: Partial<OpenStoreOptions>): Promise<Store>;
  cleanup(): Promise<void>;
}

export const kioskId = 'TY-K01';

export async function openTempStore(): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-store-'));
  const path = join(dir, 'kiosk.db');
  const keyFile = join(dir, 'kiosk.key');
  const clock = fixedClock(new Date('2026-03-01T09:00:00Z'));
  const chunks: string[] = [];
  const stream = collectingStream(chunks);
  const log = createLogger({ destination: stream, level: 'debug' });
  const open = async (overrides: Partial<OpenStoreOptions> = {}): Promise<Store> => {
    const opened = await openStore({ path, keyFile, kioskId, clock, log, ...overrides });
    if (!opened.ok) throw new Error(`openStore failed: ${JSON.stringify(opened.error)}`);
    return opened.value;
  };
  let current = await open();
  return {
    dir, path, keyFile, clock,
    get store() {
      return current;
    },
    logText: () => chunks.join(''),
    async reopen(overrides) {
      await current.close();
      current = await open(overrides);
      return current;
    },
    async cleanup() {
      await current.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A made-up person (valid checksum) and card; override what the test is about. */
export const person = {
  idNumber: 'A123456789',
  idKind: 'national',
  name: 'CHEN MEI-LING',
  nameZh: '陳美玲',
  birthDate: '1956-04-17',
  sex: 'F',
  address: '桃園市桃園區縣府路1號',
  phone: '0912345678',
} as const;

export function issuance(overrides: Partial<RecordIssuanceInput> & { cardNumber?: string } = {}): RecordIssuanceInput {
  const { cardNumber, ...rest } = overrides;
  return {
    applicant: person,
    card: { cardNumber: cardNumber ?? 'TY-K01-S-0000001', cardType: 'senior', scheme: 'easycard', uid: '04A1B2C3D4E5F6' },
    cause: 'new',
    fee: 0,
    operatorId: null,
    ...rest,
  };
}

/** A stream that stores what is written synchronously, so a test reads every line already logged. */
export function collectingStream(into: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      into.push(chunk.toString('utf8'));
      done();
    },
  });
}
