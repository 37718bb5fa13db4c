import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../../kiosk/controller/store/store';
import { issuance, kioskId, openTempStore, person, type TempStore } from './temp-store';
import { testSession } from './session-fixture';

describe('store: issuances', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('creates the key file with mode 0600 (and its folder, 0700), and the database 0600', async () => {
    expect(statSync(t.keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(t.path).mode & 0o777).toBe(0o600);
    const nested = join(t.dir, 'keys', 'store.key');
    const opened = await openStore({ path: join(t.dir, 'second.sqlite'), keyFile: nested, kioskId });
    if (!opened.ok) throw new Error(opened.error.kind);
    await opened.value.close();
    expect(statSync(nested).mode & 0o777).toBe(0o600);
    expect(statSync(join(t.dir, 'keys')).mode & 0o777).toBe(0o700);
  });

  it('records an issuance and finds the cards by ID number, whatever its case', async () => {
    const recorded = await t.store.recordIssuance(issuance({ photoJpeg: Buffer.from('JPEG') }));
    expect(recorded.ok).toBe(true);
    expect(await t.store.heldCards('a123456789')).toEqual([
      { type: 'senior', status: 'active', cardNumber: 'TY-K01-S-0000001', issuedAt: '2026-03-01T09:00:00.000Z' },
    ]);
    expect(await t.store.heldCards('A123456780')).toEqual([]);
    const view = await t.store.findCardholder('A123456789');
    expect(view?.applicant).toMatchObject({ name: person.name, nameZh: person.nameZh, birthDate: person.birthDate });
    if (recorded.ok) expect(await t.store.issuancePhoto(recorded.value.issuanceId)).toEqual(Buffer.from('JPEG'));
  });

  it('a replacement hot-lists the active card of that type in the same transaction, and keeps one cardholder', async () => {
    const first = await t.store.recordIssuance(issuance());
    const second = await t.store.recordIssuance(issuance({ cardNumber: 'TY-K01-S-0000002', cause: 'replacement', replacementCause: 'lost', fee: 94 }));
    expect(second.ok && first.ok && second.value.cardholderId === first.value.cardholderId).toBe(true);
    expect(second.ok && second.value.hotListedCardNumber).toBe('TY-K01-S-0000001');
    expect((await t.store.heldCards(person.idNumber)).map((c) => [c.cardNumber, c.status])).toEqual([
      ['TY-K01-S-0000001', 'hot-listed'],
      ['TY-K01-S-0000002', 'active'],
    ]);
    const events = (await t.store.readAudit()).map((e) => e.eventId);
    expect(events).toContain('issuance-replacement');
    const outbox = await t.store.outbox.pending(100);
    expect(outbox.filter((c) => c.entity === 'issuance').map((c) => c.op)).toEqual(['insert', 'status', 'insert']);
  });

  it('refuses a second active card of a type, a reused card number and a fractional fee, writing nothing', async () => {
    await t.store.recordIssuance(issuance());
    const auditBefore = (await t.store.readAudit({ limit: 1000 })).length;
    expect(await t.store.recordIssuance(issuance({ cardNumber: 'TY-K01-S-0000009' }))).toEqual({ ok: false, error: { kind: 'active_card_exists', cardType: 'senior' } });
    expect(await t.store.recordIssuance(issuance({ applicant: { ...person, idNumber: 'B123456780' } }))).toEqual({
      ok: false,
      error: { kind: 'card_number_taken', cardNumber: 'TY-K01-S-0000001' },
    });
    expect((await t.store.recordIssuance(issuance({ cardNumber: 'X', fee: 9.5 }))).ok).toBe(false);
    expect((await t.store.readAudit({ limit: 1000 })).length).toBe(auditBefore);
    expect(await t.store.heldCards('B123456780')).toEqual([]);
  });

  it('allocates unique 16-digit card numbers per type (kiosk number, type, sequence, Luhn), surviving a restart', async () => {
    const a = await t.store.nextCardNumber('senior');
    const b = await t.store.nextCardNumber('senior');
    const c = await t.store.nextCardNumber('student');
    await t.reopen();
    const d = await t.store.nextCardNumber('senior');
    expect([a, b, c, d]).toEqual(['3300012000000014', '3300012000000022', '3300016000000015', '3300012000000030']);
  });

  it('journals an issuance job so that a restart finds it, and keeps it open from the commit until the card is taken', async () => {
    const jobId = await t.store.beginIssuanceJob({ ...(await testSession(t.store)), cardType: 'senior', operatorId: null, context: { cardNumber: 'TY-K01-S-0000001' } });
    expect((await t.store.markJobStep(jobId, 'printed')).ok).toBe(true);
    await t.reopen();
    const pending = await t.store.pendingJobs();
    expect(pending).toMatchObject([{ jobId, step: 'printed', cardType: 'senior', context: { cardNumber: 'TY-K01-S-0000001' } }]);
    expect((await t.store.recordIssuance(issuance({ jobId }))).ok).toBe(true);
    // Recorded but still in the printer: a crash now must find this card at the restart.
    await t.reopen();
    expect(await t.store.pendingJobs()).toMatchObject([{ jobId, step: 'committed' }]);
    expect((await t.store.markJobStep(jobId, 'ejected')).ok).toBe(true);
    expect(await t.store.pendingJobs()).toMatchObject([{ jobId, step: 'ejected' }]);
    expect(await t.store.markCardsTaken()).toEqual([jobId]);
    expect(await t.store.pendingJobs()).toEqual([]);
    expect(await t.store.markCardsTaken()).toEqual([]);
    expect(await t.store.markJobStep(jobId, 'encoded')).toEqual({ ok: false, error: { kind: 'job_closed', jobId, step: 'taken' } });
    const audit = await t.store.readAudit();
    expect(audit.map((e) => e.eventId)).toEqual(expect.arrayContaining(['issuance-application', 'issuance-job-begin', 'issuance-print', 'issuance-recorded']));
    expect(audit.filter((e) => e.eventId === 'issuance-job-step').map((e) => e.details['step'])).toEqual(['ejected', 'taken']);
    expect((await t.store.verifyAudit()).ok).toBe(true);
  });

  it('tells which of a person\'s cards never left the printer or wait in the exit slot', async () => {
    const jobId = await t.store.beginIssuanceJob({ ...(await testSession(t.store)), cardType: 'senior', operatorId: null });
    expect((await t.store.recordIssuance(issuance({ jobId }))).ok).toBe(true);
    const since = '2026-03-01T08:55:00.000Z';
    expect(await t.store.cardsBeingHandedOver('a123456789', since)).toEqual([
      { cardNumber: 'TY-K01-S-0000001', cardType: 'senior', issuedAt: '2026-03-01T09:00:00.000Z', handOver: 'not-ejected', at: '2026-03-01T09:00:00.000Z' },
    ]);
    t.clock.advance(60_000);
    await t.store.markJobStep(jobId, 'ejected');
    expect(await t.store.cardsBeingHandedOver(person.idNumber, since)).toMatchObject([{ handOver: 'in-output', at: '2026-03-01T09:01:00.000Z' }]);
    // Ejected before the window (a printer without an exit sensor never sees it taken): an ordinary card.
    expect(await t.store.cardsBeingHandedOver(person.idNumber, '2026-03-01T09:01:00.001Z')).toEqual([]);
    await t.store.markCardsTaken();
    expect(await t.store.cardsBeingHandedOver(person.idNumber, since)).toEqual([]);
    // Never ejected: theirs however long ago.
    const later = await t.store.beginIssuanceJob({ ...(await testSession(t.store)), cardType: 'student', operatorId: null });
    await t.store.recordIssuance(issuance({ jobId: later, cardNumber: 'TY-K01-T-0000001', card: { cardNumber: 'TY-K01-T-0000001', cardType: 'student', scheme: 'easycard', uid: '04AA' } }));
    expect(await t.store.cardsBeingHandedOver(person.idNumber, '2027-01-01T00:00:00.000Z')).toMatchObject([{ cardNumber: 'TY-K01-T-0000001', handOver: 'not-ejected' }]);
    // A card issued without a journaled job (or by another path) is not in hand-over.
    expect(await t.store.cardsBeingHandedOver('B123456780', since)).toEqual([]);
  });

  it('never hot-lists, as replaced, a card that is still in the printer', async () => {
    const jobId = await t.store.beginIssuanceJob({ ...(await testSession(t.store)), cardType: 'senior', operatorId: null });
    expect((await t.store.recordIssuance(issuance({ jobId }))).ok).toBe(true);
    const replacement = issuance({ cardNumber: 'TY-K01-S-0000002', cause: 'replacement', replacementCause: 'damaged', fee: 94 });
    expect(await t.store.recordIssuance(replacement)).toEqual({ ok: false, error: { kind: 'card_not_handed_over', cardNumber: 'TY-K01-S-0000001' } });
    expect((await t.store.heldCards(person.idNumber)).map((c) => c.status)).toEqual(['active']);
    // Once it has left the printer it is the holder's card, and a replacement may hot-list it.
    await t.store.markJobStep(jobId, 'ejected');
    expect((await t.store.recordIssuance(replacement)).ok).toBe(true);
    expect((await t.store.heldCards(person.idNumber)).map((c) => c.status)).toEqual(['hot-listed', 'active']);
  });

  it('voids a committed card that was never handed over and spoils its job, with both audit rows in one go', async () => {
    const jobId = await t.store.beginIssuanceJob({ ...(await testSession(t.store)), cardType: 'senior', operatorId: 'op-1' });
    expect((await t.store.recordIssuance(issuance({ jobId }))).ok).toBe(true);
    expect(await t.store.voidUndeliveredCard(jobId, 'crash-recovery')).toEqual({ ok: true, value: { cardNumber: 'TY-K01-S-0000001' } });
    expect(await t.store.heldCards(person.idNumber)).toMatchObject([{ cardNumber: 'TY-K01-S-0000001', status: 'void' }]);
    expect(await t.store.pendingJobs()).toEqual([]);
    const audit = await t.store.readAudit();
    expect(audit.filter((e) => e.eventId === 'issuance-void')).toMatchObject([{ details: { cardNumber: 'TY-K01-S-0000001', reason: 'crash-recovery', jobId } }]);
    expect(audit.filter((e) => e.eventId === 'issuance-spoil')).toMatchObject([{ operatorId: 'op-1', details: { jobId, reason: 'crash-recovery' } }]);
    expect((await t.store.outbox.pending(100)).filter((c) => c.entity === 'issuance').map((c) => c.op)).toEqual(['insert', 'status']);
    // Only a committed card still in the printer: not twice, and never a card already handed out.
    expect(await t.store.voidUndeliveredCard('no-such-job', 'crash-recovery')).toMatchObject({ ok: false, error: { kind: 'job_not_found' } });
    expect(await t.store.voidUndeliveredCard(jobId, 'crash-recovery')).toMatchObject({ ok: false, error: { kind: 'not_undelivered' } });
    const other = await t.store.beginIssuanceJob({ ...(await testSession(t.store)), cardType: 'senior', operatorId: null });
    await t.store.recordIssuance(issuance({ jobId: other, cardNumber: 'TY-K01-S-0000002', applicant: { ...person, idNumber: 'B123456780' } }));
    await t.store.markJobStep(other, 'ejected');
    expect(await t.store.voidUndeliveredCard(other, 'crash-recovery')).toMatchObject({ ok: false, error: { kind: 'not_undelivered', step: 'ejected' } });
    expect((await t.store.verifyAudit()).ok).toBe(true);
  });

  it('keeps a parked job\'s data encrypted until it is taken back, and none of it once the job closes', async () => {
    const contextBytes = (): Promise<number> =>
      new Promise((resolve, reject) => {
        const db = new sqlite3.Database(t.path, sqlite3.OPEN_READONLY, (error) => {
          if (error) return reject(error);
          db.get<{ bytes: number }>('SELECT length(context) AS bytes FROM issuance_jobs', (queryError, row) => {
            db.close();
            return queryError || !row ? reject(queryError ?? new Error('no job')) : resolve(row.bytes);
          });
        });
      });
    const parked = { form: { name: 'NGUYEN THI LAN' }, photo: 'x'.repeat(20_000) };
    const jobId = await t.store.beginIssuanceJob({ ...(await testSession(t.store)), cardType: 'general', operatorId: 'op-1', context: { cardNumber: '3300011000000014' } });
    expect(await t.store.parkJob(jobId, parked, 'op-1')).toEqual({ ok: true, value: undefined });
    expect(await contextBytes()).toBeGreaterThan(20_000);
    // Taken back once: the store no longer holds it.
    expect(await t.store.unparkJob(jobId, { operatorId: 'op-1', takenOverFrom: null })).toEqual({ ok: true, value: { parked, context: { cardNumber: '3300011000000014' } } });
    expect(await t.store.unparkJob(jobId, { operatorId: 'op-1', takenOverFrom: null })).toEqual({ ok: false, error: { kind: 'job_not_parked', jobId } });
    expect(await contextBytes()).toBeLessThan(1_000);
    // Parked again, then the job is spoiled: a closed job is never printed again, so its data goes.
    await t.store.parkJob(jobId, parked, 'op-1');
    expect((await t.store.markJobStep(jobId, 'spoiled', { reason: 'cancelled' })).ok).toBe(true);
    expect(await contextBytes()).toBeLessThan(1_000);
  });

  it('voids a card with its approval recorded in the audit row', async () => {
    await t.store.recordIssuance(issuance());
    expect(await t.store.setCardStatus({ cardNumber: 'TY-K01-S-0000001', status: 'void', reason: 'misprint', operatorId: 'op-1', approvedBy: 'sup-1' })).toEqual({ ok: true, value: undefined });
    expect(await t.store.setCardStatus({ cardNumber: 'TY-K01-S-0000001', status: 'void', reason: 'misprint', operatorId: 'op-1' })).toEqual({ ok: false, error: { kind: 'card_not_active', status: 'void' } });
    const last = (await t.store.readAudit()).filter((e) => e.eventId === 'issuance-void');
    expect(last).toMatchObject([{ operatorId: 'op-1', details: { approvedBy: 'sup-1', reason: 'misprint' } }]);
  });

  it('marks outbox changes synced', async () => {
    await t.store.recordIssuance(issuance());
    const pending = await t.store.outbox.pending(10);
    expect(pending.length).toBe(2);
    expect(pending[0]?.payload).toMatchObject({ applicant: { idNumber: person.idNumber } });
    expect(await t.store.outbox.markSynced(pending.map((c) => c.id))).toBe(2);
    expect(await t.store.outbox.pending(10)).toEqual([]);
  });

  it('refuses a wrong key, another kiosk id and a key file others can read', async () => {
    await t.store.close();
    const otherKey = join(t.dir, 'other.key');
    expect(await openStore({ path: t.path, keyFile: otherKey, kioskId })).toMatchObject({ ok: false, error: { kind: 'wrong_key' } });
    expect(await openStore({ path: t.path, keyFile: t.keyFile, kioskId: 'TY-K99' })).toMatchObject({ ok: false, error: { kind: 'kiosk_mismatch', storedKioskId: kioskId } });
    const loose = join(t.dir, 'loose.key');
    writeFileSync(loose, `${'ab'.repeat(32)}\n`, { mode: 0o644 });
    expect(await openStore({ path: join(t.dir, 'other.db'), keyFile: loose, kioskId })).toMatchObject({ ok: false, error: { kind: 'key_file_insecure' } });
    await t.reopen();
  });
});
