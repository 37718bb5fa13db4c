import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import type { KioskConfig } from '../../kiosk/controller/config';
import { demoCitizens } from '../../kiosk/controller/devices/demo-citizens';
import { formatCardNumber } from '../../kiosk/controller/store/card-number';
import { defaultStoreFile } from '../../kiosk/controller/store/cli-options';
import { openStore } from '../../kiosk/controller/store/store';

/**
 * The store after the market day (`npm run bench -- day`), read once the controller has stopped:
 * whether its audit chain verifies, the cards it recorded (the demo citizens' seeded cards apart),
 * and the cash top-ups its ledger holds.
 */
export interface DayStoreFacts {
  readonly auditOk: boolean;
  readonly issuedInStore: number;
  readonly distinctNumbers: number;
}

export async function verifyDayStore(config: KioskConfig): Promise<DayStoreFacts> {
  const file = join(config.dataDir, defaultStoreFile);
  const opened = await openStore({ path: file, keyFile: config.keyFile, kioskId: config.kioskId, kioskNumber: config.kioskNumber, auditOpen: false });
  if (!opened.ok) throw new Error(`bench day: the store could not be opened (${opened.error.kind})`);
  let auditOk: boolean;
  try {
    auditOk = (await opened.value.verifyAudit()).ok;
  } finally {
    await opened.value.close();
  }
  const demoNumbers = demoCitizens.map((citizen) => formatCardNumber(config.kioskNumber, citizen.cardType, citizen.sequence));
  const marks = demoNumbers.map(() => '?').join(', ');
  const [row] = await query<{ cards: number; numbers: number }>(
    file,
    `SELECT COUNT(*) AS cards, COUNT(DISTINCT card_number) AS numbers FROM issuances WHERE card_number NOT IN (${marks})`,
    demoNumbers,
  );
  return { auditOk, issuedInStore: row?.cards ?? 0, distinctNumbers: row?.numbers ?? 0 };
}

/** NT dollars credited to wallets from cash, in how many transfers, and the wallet exceptions still open. */
export async function readDayLedger(file: string): Promise<{ credited: number; topUps: number; openExceptions: number }> {
  const [credit] = await query<{ credited: number | null; topUps: number }>(file, "SELECT SUM(amount) AS credited, COUNT(*) AS topUps FROM ledger_transfers WHERE kind = 'cash-top-up'", []);
  const [open] = await query<{ open: number }>(file, 'SELECT COUNT(*) AS open FROM wallet_exceptions WHERE settled_at IS NULL', []);
  return { credited: credit?.credited ?? 0, topUps: credit?.topUps ?? 0, openExceptions: open?.open ?? 0 };
}

function query<T>(file: string, sql: string, params: unknown[]): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => {
      if (error) return reject(error);
      db.all<T>(sql, params, (queryError, rows) => {
        db.close();
        if (queryError) reject(queryError);
        else resolve(rows);
      });
    });
  });
}
