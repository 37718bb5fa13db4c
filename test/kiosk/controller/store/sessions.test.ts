import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconciles } from '../../../../shared/domain/service-session';
import { NoOpenSession } from '../../../../kiosk/controller/store/jobs';
import { issuance, openTempStore, type TempStore } from './temp-store';

const noRibbon = { ribbonPrintsLeft: null } as const;

describe('store: service sessions and the stock ledger', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const open = async (blanks = { easycard: 10, ipass: 5 }) => {
    const opened = await t.store.sessions.open({ site: '中壢轉運站', mode: 'transit-station', blanks, operatorId: 'sup-1', ribbonPrintsLeft: 400 });
    if (!opened.ok) throw new Error(opened.error.kind);
    return opened.value;
  };

  it('opens one session at a time, with the blanks loaded from the box, and audits it without the site', async () => {
    const session = await open();
    expect(await t.store.sessions.current()).toMatchObject({ id: session.id, site: '中壢轉運站', mode: 'transit-station', openedBy: 'sup-1', ribbonPrintsAtOpen: 400, closedAt: null });
    expect(await t.store.sessions.movements(session.id)).toEqual([
      { kind: 'loaded', scheme: 'easycard', quantity: 10, reason: 'box' },
      { kind: 'loaded', scheme: 'ipass', quantity: 5, reason: 'box' },
    ]);
    const again = await t.store.sessions.open({ site: 'market', mode: 'market', blanks: { easycard: 1, ipass: 1 }, operatorId: 'sup-1', ...noRibbon });
    expect(again).toEqual({ ok: false, error: { kind: 'session_open', sessionId: session.id } });
    const audit = await t.store.readAudit();
    const opened = audit.filter((row) => row.eventId === 'session-opened');
    expect(opened).toHaveLength(1);
    expect(opened[0]?.details).toMatchObject({ sessionId: session.id, easycard: 10, ipass: 5 });
    expect(JSON.stringify(opened[0]?.details)).not.toContain('中壢');
  });

  it('loads and returns blanks while open; returns no more than the ledger has in hand', async () => {
    const session = await open();
    expect(await t.store.sessions.loadBlanks({ sessionId: session.id, scheme: 'ipass', count: 3, operatorId: 'sup-1' })).toMatchObject({ ok: true });
    const returned = await t.store.sessions.returnBlanks({ sessionId: session.id, scheme: 'ipass', count: 2, operatorId: 'sup-1' });
    expect(returned.ok && returned.value.ipass.inHand).toBe(6);
    expect(await t.store.sessions.returnBlanks({ sessionId: session.id, scheme: 'ipass', count: 7, operatorId: 'sup-1' })).toEqual({ ok: false, error: { kind: 'not_in_hand', scheme: 'ipass', inHand: 6 } });
    const events = (await t.store.readAudit()).map((row) => row.eventId);
    expect(events.filter((id) => id === 'stock-loaded' || id === 'stock-returned')).toEqual(['stock-loaded', 'stock-returned']);
  });

  it('refuses to begin a card job in a session that is not open (none, or closed)', async () => {
    await expect(t.store.beginIssuanceJob({ sessionId: 'nope', scheme: 'easycard', cardType: 'senior', operatorId: null })).rejects.toBeInstanceOf(NoOpenSession);
    const session = await open();
    await t.store.sessions.close({ sessionId: session.id, counted: { easycard: 10, ipass: 5 }, note: null, operatorId: 'sup-1', ...noRibbon });
    await expect(t.store.beginIssuanceJob({ sessionId: session.id, scheme: 'easycard', cardType: 'senior', operatorId: null })).rejects.toBeInstanceOf(NoOpenSession);
  });

  it('closes with a matching count: no adjustment, counts kept, the ledger reconciles', async () => {
    const session = await open();
    const closed = await t.store.sessions.close({ sessionId: session.id, counted: { easycard: 10, ipass: 5 }, note: null, operatorId: 'sup-2', ribbonPrintsLeft: 390 });
    expect(closed.ok && closed.value.book.balanced).toBe(true);
    expect(await t.store.sessions.current()).toBeNull();
    expect(await t.store.sessions.byId(session.id)).toMatchObject({ closedBy: 'sup-2', closeNote: null });
    expect(await t.store.sessions.counts(session.id)).toEqual({ easycard: 10, ipass: 5 });
    expect(reconciles(await t.store.sessions.movements(session.id), { easycard: 10, ipass: 5 })).toBe(true);
  });

  it('a count that differs needs a note; with it, the discrepancy is booked and the session still reconciles', async () => {
    const session = await open();
    const counted = { easycard: 8, ipass: 6 };
    const refused = await t.store.sessions.close({ sessionId: session.id, counted, note: '  ', operatorId: 'sup-1', ...noRibbon });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.kind).toBe('note_required');
    expect(await t.store.sessions.current()).not.toBeNull();
    const closed = await t.store.sessions.close({ sessionId: session.id, counted, note: 'two blanks bent in the box', operatorId: 'sup-1', ...noRibbon });
    expect(closed.ok && closed.value.book.schemes).toEqual({ easycard: { expected: 10, counted: 8, discrepancy: -2 }, ipass: { expected: 5, counted: 6, discrepancy: 1 } });
    const movements = await t.store.sessions.movements(session.id);
    expect(movements.slice(2)).toEqual([
      { kind: 'spoiled', scheme: 'easycard', quantity: 2, reason: 'count-discrepancy' },
      { kind: 'loaded', scheme: 'ipass', quantity: 1, reason: 'count-discrepancy' },
    ]);
    expect(reconciles(movements, counted)).toBe(true);
    expect(await t.store.sessions.byId(session.id)).toMatchObject({ closeNote: 'two blanks bent in the box' });
    const audit = (await t.store.readAudit()).find((row) => row.eventId === 'session-closed');
    expect(audit).toMatchObject({ disposition: 'failure', details: { discrepancy: true, withNote: true } });
  });

  it('refuses to close while a job of the session has not decided its blank', async () => {
    const session = await open();
    const jobId = await t.store.beginIssuanceJob({ sessionId: session.id, scheme: 'easycard', cardType: 'senior', operatorId: null });
    const refused = await t.store.sessions.close({ sessionId: session.id, counted: { easycard: 10, ipass: 5 }, note: null, operatorId: 'sup-1', ...noRibbon });
    expect(refused).toEqual({ ok: false, error: { kind: 'jobs_open', jobs: 1 } });
    await t.store.markJobStep(jobId, 'abandoned');
    expect((await t.store.sessions.close({ sessionId: session.id, counted: { easycard: 10, ipass: 5 }, note: null, operatorId: 'sup-1', ...noRibbon })).ok).toBe(true);
  });

  describe('every blank ends in exactly one ledger line, in the transaction of the step that decides it', () => {
    const begin = async (sessionId: string, scheme: 'easycard' | 'ipass' = 'easycard') => t.store.beginIssuanceJob({ sessionId, scheme, cardType: 'senior', operatorId: 'op-1' });

    it('a card printed and recorded: one issued line with its card number', async () => {
      const session = await open();
      const jobId = await begin(session.id, 'ipass');
      await t.store.markJobStep(jobId, 'printing');
      await t.store.markJobStep(jobId, 'printed', { blank: 'in-printer' });
      const recorded = await t.store.recordIssuance(issuance({ jobId, cardNumber: '3300011000000014', card: { cardNumber: '3300011000000014', cardType: 'senior', scheme: 'ipass', uid: '04AA' } }));
      expect(recorded.ok).toBe(true);
      expect(await t.store.sessions.movements(session.id)).toContainEqual({ kind: 'issued', scheme: 'ipass', quantity: 1 });
      const stock = await t.store.sessions.stock(session.id);
      expect(stock.ipass).toMatchObject({ issued: 1, inHand: 4 });
      expect(stock.easycard.inHand).toBe(10);
    });

    it('a print that failed before picking a card consumed none; a jam spoils the blank once, and the retry takes a new one', async () => {
      const session = await open();
      const jobId = await begin(session.id);
      // Feeder empty: nothing picked, nothing booked.
      await t.store.markJobStep(jobId, 'printing', { disposition: 'failure', reason: 'feeder_empty' });
      // A jam: the card is inside; the retry finds it pulled out — spoiled for the jam, once.
      await t.store.markJobStep(jobId, 'printing', { disposition: 'failure', reason: 'jam', blank: 'in-printer' });
      await t.store.markJobStep(jobId, 'printing', { disposition: 'failure', reason: 'jam', blank: 'in-printer' });
      await t.store.markJobStep(jobId, 'printing', { blank: 'not-in-printer' });
      await t.store.markJobStep(jobId, 'printing', { blank: 'not-in-printer' });
      await t.store.markJobStep(jobId, 'printed', { blank: 'in-printer' });
      await t.store.recordIssuance(issuance({ jobId }));
      const stock = await t.store.sessions.stock(session.id);
      expect(stock.easycard).toMatchObject({ issued: 1, spoiled: 1, inHand: 8 });
      expect(stock.easycard.spoiledBy.jam).toBe(1);
    });

    it('a ribbon fault keeps the blank; the retry prints on it, so it is issued, not spoiled too', async () => {
      const session = await open();
      const jobId = await begin(session.id);
      await t.store.markJobStep(jobId, 'printing', { disposition: 'failure', reason: 'ribbon_out', blank: 'in-printer' });
      await t.store.markJobStep(jobId, 'printing');
      await t.store.markJobStep(jobId, 'printed', { blank: 'in-printer' });
      await t.store.recordIssuance(issuance({ jobId }));
      expect((await t.store.sessions.stock(session.id)).easycard).toMatchObject({ issued: 1, spoiled: 0, inHand: 9 });
    });

    it.each([
      ['nfc_write_verify_failed', 'chip-verify-failed'],
      ['nfc_auth_failed', 'chip-verify-failed'],
      ['printer_jam', 'jam'],
      ['printer_head_error', 'misprint'],
      ['interrupted-at-encoding', 'crash-recovery'],
    ] as const)('a job spoiled after %s spoils its blank for %s', async (failure, reason) => {
      const session = await open();
      const jobId = await begin(session.id);
      await t.store.markJobStep(jobId, 'printed', { blank: 'in-printer' });
      await t.store.markJobStep(jobId, 'spoiled', { reason: failure, disposition: 'failure' });
      const stock = await t.store.sessions.stock(session.id);
      expect(stock.easycard.spoiled).toBe(1);
      expect(stock.easycard.spoiledBy[reason]).toBe(1);
    });

    it('crash recovery of a card found in the printer before the journal saw it picked: spoiled once', async () => {
      const session = await open();
      const jobId = await begin(session.id);
      await t.store.markJobStep(jobId, 'printing');
      await t.store.markJobStep(jobId, 'spoiled', { reason: 'interrupted-at-printing', disposition: 'failure', blank: 'in-printer' });
      expect((await t.store.sessions.stock(session.id)).easycard.spoiledBy['crash-recovery']).toBe(1);
    });

    it('a card voided at the counter moves from issued to spoiled in the session that issued it, even once closed', async () => {
      const session = await open();
      const jobId = await begin(session.id);
      await t.store.markJobStep(jobId, 'printed', { blank: 'in-printer' });
      await t.store.recordIssuance(issuance({ jobId }));
      await t.store.markJobStep(jobId, 'ejected');
      await t.store.markCardsTaken();
      await t.store.sessions.close({ sessionId: session.id, counted: { easycard: 9, ipass: 5 }, note: null, operatorId: 'sup-1', ...noRibbon });
      await open();
      expect((await t.store.setCardStatus({ cardNumber: 'TY-K01-S-0000001', status: 'void', reason: 'misprint', operatorId: 'sup-1' })).ok).toBe(true);
      const movements = await t.store.sessions.movements(session.id);
      expect(movements.at(-1)).toEqual({ kind: 'voided', scheme: 'easycard', quantity: 1, reason: 'void-at-counter' });
      expect((await t.store.sessions.stock(session.id)).easycard).toMatchObject({ issued: 0, spoiled: 1 });
      expect(reconciles(movements, { easycard: 9, ipass: 5 })).toBe(true);
    });

    it('a committed card never handed over is voided for crash recovery', async () => {
      const session = await open();
      const jobId = await begin(session.id);
      await t.store.markJobStep(jobId, 'printed', { blank: 'in-printer' });
      await t.store.recordIssuance(issuance({ jobId }));
      expect((await t.store.voidUndeliveredCard(jobId, 'crash-recovery')).ok).toBe(true);
      expect((await t.store.sessions.stock(session.id)).easycard).toMatchObject({ issued: 0, spoiled: 1, inHand: 9 });
      expect((await t.store.sessions.stock(session.id)).easycard.spoiledBy['crash-recovery']).toBe(1);
    });
  });
});
