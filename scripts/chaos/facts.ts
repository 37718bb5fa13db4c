import { join } from 'node:path';
import { deriveChipKeys } from '../../hardware/card-record/keys';
import { decodeCardRecord } from '../../hardware/card-record/layout';
import { loadOrCreateChipMasterKey } from '../../kiosk/controller/chip-master-key';
import type { KioskConfig } from '../../kiosk/controller/config';
import { demoCitizens } from '../../kiosk/controller/devices/demo-citizens';
import type { SimulatedWorld } from '../../kiosk/controller/devices/simulated-world';
import { formatCardNumber } from '../../kiosk/controller/store/card-number';
import { defaultStoreFile } from '../../kiosk/controller/store/cli-options';
import { openStore } from '../../kiosk/controller/store/store';
import type { AuditFact, CounterFacts, TopUpFacts } from './invariants';
import { readOnly } from './store-queries';

/**
 * The facts the invariants are checked on, read while the restarted controller runs: the store's
 * tables straight from the SQLite file (read-only), its audit chain and stock through the store's own
 * code, and the simulators' counts from the world this process owns.
 */
export async function readCounterFacts(config: KioskConfig, world: SimulatedWorld): Promise<CounterFacts> {
  const file = join(config.dataDir, defaultStoreFile);
  const demo = new Set(demoCitizens.map((c) => formatCardNumber(config.kioskNumber, c.cardType, c.sequence)));
  const [issuances, movements] = await readOnly(file, async (all) => [
    await all<{ card_number: string; cardholder_id: string; card_type: string; status: string }>('SELECT card_number, cardholder_id, card_type, status FROM issuances'),
    await all<{ kind: string; card_number: string | null; reason: string | null }>(`SELECT kind, card_number, reason FROM stock_movements WHERE kind IN ('issued', 'voided')`),
  ] as const);
  const { audit, stock } = await throughStore(config, async (store) => {
    const session = await store.sessions.current();
    if (!session) throw new Error('chaos: the counter kiosk has no open service session');
    return { audit: auditFact(await store.verifyAudit()), stock: await store.sessions.stock(session.id) };
  });
  const printer = world.printer!.state();
  const masterKey = loadOrCreateChipMasterKey(join(config.dataDir, 'keys', 'chip-master.key'));
  return {
    issuances: issuances.filter((row) => !demo.has(row.card_number)).map((row) => ({ cardNumber: row.card_number, cardholderId: row.cardholder_id, cardType: row.card_type, status: row.status })),
    issuedLines: movements.filter((m) => m.kind === 'issued').map((m) => m.card_number ?? '(none)'),
    voidedLines: movements.filter((m) => m.kind === 'voided').map((m) => ({ cardNumber: m.card_number ?? '(none)', reason: m.reason ?? '' })),
    stock,
    printer: { cardsInserted: printer.cardsInserted, cardsEjected: printer.cardsEjected, cardsRejected: printer.cardsRejected, cardInside: printer.card !== 'none' },
    ejectedChips: world.issuedCards().map((blocks) => chipCardNumber(blocks, masterKey)),
    audit,
  };
}

/** The card number a chip's record carries, read under the keys derived from its UID; null when it does not read. */
export function chipCardNumber(blocks: readonly Uint8Array[], masterKey: Uint8Array): string | null {
  if (blocks.length === 0) return null;
  const keys = deriveChipKeys(masterKey, blocks[0]!.slice(0, 4));
  const record = decodeCardRecord(new Map(blocks.map((block, index) => [index, block] as const)), keys);
  return record.ok ? record.value.cardNumber : null;
}

export interface TopUpCard {
  readonly cardNumber: string;
  readonly chip: { readonly balance: number; readonly counter: number } | null;
}

/** The ledger against the validator's stacked notes and each card's chip (read by the caller, after a tap). */
export async function readTopUpFacts(config: KioskConfig, world: SimulatedWorld, cards: readonly TopUpCard[]): Promise<TopUpFacts> {
  const file = join(config.dataDir, defaultStoreFile);
  const transfers = await readOnly(file, (all) =>
    all<{ kind: string; from_account: string; to_account: string; amount: number }>(`SELECT kind, from_account, to_account, amount FROM ledger_transfers WHERE from_account LIKE 'wallet:%' OR to_account LIKE 'wallet:%'`),
  );
  const audit = await throughStore(config, async (store) => auditFact(await store.verifyAudit()));
  const stacked = world.validator!.state().stackedTotal;
  return {
    stackedMoney: Object.entries(stacked).reduce((sum, [note, count]) => sum + Number(note) * count, 0),
    creditedMoney: transfers.filter((t) => (t.kind === 'cash-top-up' || t.kind === 'adjustment') && t.to_account.startsWith('wallet:')).reduce((sum, t) => sum + t.amount, 0),
    cards: cards.map((card) => {
      const account = `wallet:${card.cardNumber}`;
      const own = transfers.filter((t) => t.from_account === account || t.to_account === account);
      const balance = own.reduce((sum, t) => sum + (t.to_account === account ? t.amount : 0) - (t.from_account === account ? t.amount : 0), 0);
      return { cardNumber: card.cardNumber, ledger: { balance, counter: own.length }, chip: card.chip };
    }),
    audit,
  };
}

function auditFact(result: { ok: true } | { ok: false; error: unknown }): AuditFact {
  return result.ok ? { ok: true } : { ok: false, detail: JSON.stringify(result.error) };
}

async function throughStore<T>(config: KioskConfig, body: (store: import('../../kiosk/controller/store/store').Store) => Promise<T>): Promise<T> {
  const opened = await openStore({ path: join(config.dataDir, defaultStoreFile), keyFile: config.keyFile, kioskId: config.kioskId, kioskNumber: config.kioskNumber, auditOpen: false });
  if (!opened.ok) throw new Error(`chaos: the store did not open (${opened.error.kind})`);
  try {
    return await body(opened.value);
  } finally {
    await opened.value.close();
  }
}
