import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { describe, expect, it } from 'vitest';
import { defaultStoreFile } from '../../kiosk/controller/store/cli-options';
import type { SessionStock } from '../../shared/domain/service-session';
import { readCounterFacts, readTopUpFacts } from '../../scripts/chaos/facts';
import { checkCounter, checkTopUp, ViolationTally, type CounterFacts, type TopUpFacts, type ViolationKind } from '../../scripts/chaos/invariants';
import { parseChaosOptions } from '../../scripts/chaos/options';
import { resultLine, runChaos, type ChaosSites } from '../../scripts/chaos/session';
import { CounterWork } from '../../scripts/chaos/counter-kiosk';
import { seededRandom } from '../../shared/seeded-random';
import { walletsNearCap } from '../../scripts/chaos/top-up-work';
import type { TopUpCard } from '../../scripts/chaos/facts';
import { counterFlows, describeFlows, noFlows, readOnly } from '../../scripts/chaos/store-queries';

/**
 * `npm run chaos` in small: a few runs of random work killed at random moments on both kiosks, every
 * invariant holding after each restart — and the checker shown able to fail, on facts doctored by
 * hand and on a real store doctored behind the kiosk's back.
 */
const line = { loaded: 10, issued: 3, spoiled: 2, spoiledBy: { misprint: 0, 'chip-verify-failed': 0, jam: 0, 'crash-recovery': 1, 'void-at-counter': 1, 'count-discrepancy': 0 }, returned: 0, inHand: 5 };
const empty = { ...line, loaded: 0, issued: 0, spoiled: 0, spoiledBy: { ...line.spoiledBy, 'crash-recovery': 0, 'void-at-counter': 0 }, inHand: 0 };
const stock: SessionStock = { easycard: line, ipass: empty };
/** Five blanks taken: three issued and handed out, one handed out then voided at the counter, one rejected (voided after a crash). */
const cleanCounter: CounterFacts = {
  issuances: [
    { cardNumber: '0001110000000001', cardholderId: 'a', cardType: 'general', status: 'hot-listed' },
    { cardNumber: '0001110000000002', cardholderId: 'a', cardType: 'general', status: 'active' },
    { cardNumber: '0001110000000003', cardholderId: 'b', cardType: 'general', status: 'active' },
    { cardNumber: '0001110000000004', cardholderId: 'c', cardType: 'general', status: 'void' },
    { cardNumber: '0001110000000005', cardholderId: 'd', cardType: 'general', status: 'void' },
  ],
  issuedLines: ['0001110000000001', '0001110000000002', '0001110000000003', '0001110000000004', '0001110000000005'],
  voidedLines: [{ cardNumber: '0001110000000004', reason: 'void-at-counter' }, { cardNumber: '0001110000000005', reason: 'crash-recovery' }],
  stock,
  printer: { cardsInserted: 5, cardsEjected: 4, cardsRejected: 1, cardInside: false },
  ejectedChips: ['0001110000000001', '0001110000000002', '0001110000000003', '0001110000000004'],
  audit: { ok: true },
};
const cleanTopUp: TopUpFacts = {
  stackedMoney: 700,
  creditedMoney: 700,
  cards: [{ cardNumber: '0001199100000001', ledger: { balance: 700, counter: 3 }, chip: { balance: 700, counter: 3 } }],
  audit: { ok: true },
};
const kinds = (violations: ReadonlyArray<{ kind: ViolationKind }>): ViolationKind[] => [...new Set(violations.map((v) => v.kind))].sort();

describe('the chaos checker', () => {
  it('finds nothing wrong with facts that agree', () => {
    expect(checkCounter(cleanCounter)).toEqual([]);
    expect(checkTopUp(cleanTopUp)).toEqual([]);
  });

  it('reports each broken promise of the counter kiosk', () => {
    const [first, second] = cleanCounter.issuances;
    // A replaced card still active beside its replacement.
    expect(kinds(checkCounter({ ...cleanCounter, issuances: [{ ...first!, status: 'active' }, ...cleanCounter.issuances.slice(1)] }))).toEqual(['doubleIssued']);
    // One number on two cards out of the printer.
    expect(kinds(checkCounter({ ...cleanCounter, ejectedChips: [...cleanCounter.ejectedChips.slice(0, 3), second!.cardNumber] }))).toContain('reusedNumbers');
    // A blank the printer took that the store never booked; a card voided after a crash that was handed out anyway.
    expect(kinds(checkCounter({ ...cleanCounter, printer: { ...cleanCounter.printer, cardsInserted: 6, cardsRejected: 2 } }))).toEqual(['stockMismatches']);
    expect(kinds(checkCounter({ ...cleanCounter, printer: { ...cleanCounter.printer, cardsEjected: 5, cardsRejected: 0 }, ejectedChips: [...cleanCounter.ejectedChips, '0001110000000005'] }))).toEqual(['stockMismatches']);
    // An issued card that never came out, a chip that does not read, a ledger that does not add up.
    expect(kinds(checkCounter({ ...cleanCounter, ejectedChips: [...cleanCounter.ejectedChips.slice(0, 3), null] }))).toEqual(['stockMismatches']);
    expect(kinds(checkCounter({ ...cleanCounter, stock: { ...stock, ipass: { ...empty, loaded: 4, inHand: 3 } } }))).toEqual(['stockMismatches']);
    expect(kinds(checkCounter({ ...cleanCounter, audit: { ok: false, detail: 'seq 7' } }))).toEqual(['auditBreaks']);
  });

  it('reports each broken promise of the top-up kiosk', () => {
    const [card] = cleanTopUp.cards;
    expect(kinds(checkTopUp({ ...cleanTopUp, stackedMoney: 800 }))).toEqual(['lostCredits']);
    expect(kinds(checkTopUp({ ...cleanTopUp, creditedMoney: 800 }))).toEqual(['doubleCredits']);
    expect(kinds(checkTopUp({ ...cleanTopUp, cards: [{ ...card!, chip: { balance: 600, counter: 2 } }] }))).toEqual(['lostCredits']);
    expect(kinds(checkTopUp({ ...cleanTopUp, cards: [{ ...card!, chip: { balance: 800, counter: 4 } }] }))).toEqual(['doubleCredits']);
    expect(kinds(checkTopUp({ ...cleanTopUp, cards: [{ ...card!, chip: null }] }))).toEqual(['lostCredits']);
    expect(kinds(checkTopUp({ ...cleanTopUp, audit: { ok: false } }))).toEqual(['auditBreaks']);
  });

  it('says what a run did, flow by flow, and nothing done when it did nothing', () => {
    expect(describeFlows(noFlows)).toBe('nothing done');
    expect(describeFlows({ ...noFlows, issued: 2, replaced: 1, feesWaived: 1, topUps: 2, topUpMoney: 600 })).toBe('2 issued, 1 replaced (fees: 1 waived), 2 top-ups credited (NT$600)');
    expect(describeFlows(noFlows, { all: true })).toContain('0 replaced');
  });

  it('takes a fresh top-up kiosk only once every wallet is near the NT$10,000 cap', () => {
    const card = (balance: number): TopUpCard => ({ cardNumber: '0001199100000001', chip: { balance, counter: 1 } });
    expect(walletsNearCap([card(9_000), card(9_500), card(10_000)])).toBe(true);
    expect(walletsNearCap([card(9_000), card(8_999), card(10_000)])).toBe(false);
    expect(walletsNearCap([card(10_000), { cardNumber: '0001199100000002', chip: null }])).toBe(false);
  });

  it('counts a broken fact once, in the run that broke it', () => {
    const tally = new ViolationTally();
    const broken = checkTopUp({ ...cleanTopUp, stackedMoney: 800 });
    expect(tally.add(broken)).toHaveLength(1);
    expect(tally.add(broken)).toHaveLength(0);
    // The same NT$100 still missing after more notes were stacked and credited: the same broken fact.
    expect(tally.add(checkTopUp({ ...cleanTopUp, stackedMoney: 1_300, creditedMoney: 1_200 }))).toHaveLength(0);
    expect(tally.add(checkTopUp({ ...cleanTopUp, stackedMoney: 900 }))).toHaveLength(1);
    expect(tally.counts.lostCredits).toBe(2);
  });
});

describe('npm run chaos, a few runs', () => {
  it('kills both kiosks at random moments and every invariant holds; the same checks catch a store doctored afterwards', { timeout: 150_000 }, async () => {
    const lines: string[] = [];
    const doctored: Record<string, ViolationKind[]> = {};
    const result = await runChaos(parseChaosOptions(['--runs', '2', '--seed', '3', '--max-kill-ms', '3000']), (text) => void lines.push(text), async (sites) => {
      Object.assign(doctored, await doctor(sites));
    });
    expect(lines.filter((text) => /STUCK|VIOLATION/.test(text)), lines.join('\n')).toEqual([]);
    expect(lines.filter((text) => text.startsWith('run ')).map((text) => text.split(' ')[2])).toEqual(expect.arrayContaining(['counter', 'top-up']));
    expect(result).toMatchObject({ runs: 2, firstBadRun: null, stuck: 0 });
    // Each run says what it did; the session sums it (the top-up run credited its notes, or died before).
    expect(lines.filter((text) => text.startsWith('run ')).every((text) => text.includes('; did: '))).toBe(true);
    expect(lines.some((text) => text.startsWith('done over the session: '))).toBe(true);
    expect(resultLine(result)).toBe('{"runs":2,"doubleIssued":0,"reusedNumbers":0,"stockMismatches":0,"lostCredits":0,"doubleCredits":0,"auditBreaks":0}');
    expect(doctored).toEqual({
      clean: [],
      'a second active card': expect.arrayContaining(['doubleIssued']),
      'a number booked twice': expect.arrayContaining(['reusedNumbers', 'stockMismatches']),
      'an audit row altered': ['auditBreaks'],
      'a credit with no note': expect.arrayContaining(['doubleCredits']),
    });
  });
});

/** Reads the real facts, then alters the stores behind the kiosks' backs, one way at a time, and checks again. */
async function doctor({ counter, topUp }: ChaosSites): Promise<Record<string, ViolationKind[]>> {
  const counterFile = join(counter.config.dataDir, defaultStoreFile);
  const topUpFile = join(topUp.config.dataDir, defaultStoreFile);
  const counterKinds = async (): Promise<ViolationKind[]> => kinds(checkCounter(await readCounterFacts(counter.config, counter.world)));
  // At least one card issued and handed out (the runs may have killed every one before it was) — by a
  // controller that dies right after its eject, before the journal says so, while the applicant waits:
  // recovery leaves the card in the exit slot to them, and the checker agrees it was handed out.
  const ejectedBefore = counter.world.printer!.state().cardsEjected;
  const crashVoidedBefore = (await counterFlows(counterFile)).crashVoided;
  await counter.kill();
  await counter.start('issuance:ejected');
  counter.holdCards();
  const work = new CounterWork(counter, seededRandom(1), () => {});
  await work.signIn();
  await work.issue(1).catch(() => {});
  await waitUntil(() => counter.dead, 60_000, 'the controller did not die at issuance:ejected');
  expect(counter.world.printer!.state()).toMatchObject({ cardsEjected: ejectedBefore + 1, cardsInOutput: 1 });
  await counter.start();
  await counter.settled(60_000);
  const flows = await counterFlows(counterFile);
  const found: Record<string, ViolationKind[]> = { clean: await counterKinds() };
  expect(await lastCardStatus(counterFile)).toBe('active');
  expect(flows.crashVoided).toBe(crashVoidedBefore);
  // Someone's card is active twice: a copy of an active card under another number.
  await write(counterFile, `INSERT INTO issuances (id, cardholder_id, kiosk_id, card_number, card_type, scheme, uid, cause, fee, status, issued_at)
    SELECT id || 'x', cardholder_id, kiosk_id, '9999' || substr(card_number, 5), card_type, scheme, uid, cause, fee, 'active', issued_at FROM issuances WHERE status = 'active' AND card_number NOT LIKE '%991000%' LIMIT 1`);
  found['a second active card'] = await counterKinds();
  await write(counterFile, `DELETE FROM issuances WHERE card_number LIKE '9999%'`);
  // One card number booked as issued on two blanks.
  await write(counterFile, `INSERT INTO stock_movements (id, session_id, scheme, kind, quantity, reason, job_id, blank, card_number, operator_id, at)
    SELECT id || 'x', session_id, scheme, kind, quantity, reason, job_id, 'doctored', card_number, operator_id, at FROM stock_movements WHERE kind = 'issued' LIMIT 1`);
  found['a number booked twice'] = await counterKinds();
  await write(counterFile, `DELETE FROM stock_movements WHERE blank = 'doctored'`);
  // An audit row's details rewritten (its append-only trigger dropped first, as an attacker would).
  await write(counterFile, `DROP TRIGGER audit_no_update; UPDATE audit SET details = '{}' WHERE seq = 2`);
  found['an audit row altered'] = await counterKinds();
  // NT$100 credited to a wallet for a note the validator never stacked.
  const chips = await topUp.settleAndRead(60_000, { tapCards: true });
  expect(kinds(checkTopUp(chips))).toEqual([]);
  const card = topUp.kiosk.cardNumber('demo-senior');
  await write(topUpFile, `INSERT INTO ledger_transfers (id, kiosk_id, kind, from_account, to_account, amount, card_number, journal_id, at)
    VALUES ('doctored', '${topUp.config.kioskId}', 'cash-top-up', 'cash-box', 'wallet:${card}', 100, '${card}', NULL, '2026-01-01T00:00:00.000Z')`);
  found['a credit with no note'] = kinds(checkTopUp(await readTopUpFacts(topUp.config, topUp.kiosk.world, chips.cards.map((card) => ({ cardNumber: card.cardNumber, chip: card.chip })))));
  return found;
}

async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(what);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function lastCardStatus(file: string): Promise<string | undefined> {
  return readOnly(file, async (all) => (await all<{ status: string }>(`SELECT status FROM issuances WHERE card_number NOT LIKE '%991000%' ORDER BY issued_at DESC, rowid DESC LIMIT 1`))[0]?.status);
}

function write(file: string, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, (error) => {
      if (error) return reject(error);
      db.configure('busyTimeout', 5_000);
      db.exec(sql, (execError) => db.close(() => (execError ? reject(execError) : resolve())));
    });
  });
}
