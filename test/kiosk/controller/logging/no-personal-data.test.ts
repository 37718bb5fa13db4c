import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOperatorService } from '../../../../kiosk/controller/auth/operator-service';
import { createLogger } from '../../../../kiosk/controller/logging/logger';
import { collectingStream, issuance, openTempStore, person, type TempStore } from '../store/temp-store';
import { testSession } from '../store/session-fixture';

const staffName = 'KUO SHU-FEN 郭淑芬';
const secrets = [person.idNumber, person.name, person.nameZh, person.birthDate, person.address, person.phone, 'B123456780', 'KUO SHU-FEN', '郭淑芬'];

describe('logs carry no personal data', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('through a whole day of store and sign-in activity, and careless callers', async () => {
    const auth = createOperatorService(t.store, { clock: t.clock, pinCost: { N: 1024, r: 8, p: 1 } });
    await auth.addOperator({ staffCardNumber: 'E1001', name: staffName, role: 'supervisor', pin: '482913', actorId: null });
    await auth.signIn({ staffCardNumber: 'E1001', pin: '000001' });
    await auth.signIn({ staffCardNumber: 'E1001', pin: '482913' });
    const jobId = await t.store.beginIssuanceJob({ ...(await testSession(t.store)), cardType: 'senior', operatorId: null, context: { applicant: person } });
    await t.store.markJobStep(jobId, 'printed');
    await t.store.recordIssuance(issuance({ jobId, photoJpeg: Buffer.from('JPEG') }));
    await t.store.recordIssuance(issuance({ cardNumber: 'TY-K01-S-0000002', cause: 'replacement', replacementCause: 'lost', fee: 94 }));
    await t.store.recordIssuance(issuance({ applicant: { ...person, idNumber: 'B123456780' }, cardNumber: 'TY-K01-S-0000003' }));
    await t.store.heldCards(person.idNumber);
    await t.store.purge({ retentionDays: 0, dryRun: false, operatorId: null });
    await auth.listOperators();
    await auth.signOut();

    // A careless caller: ID numbers, Han names, dates and phones in text; Latin names in known fields.
    const extra: string[] = [];
    const log = createLogger({ destination: collectingStream(extra) });
    log({ eventId: 'scanner-read-complete', disposition: 'success', message: `read ${person.idNumber} ${person.nameZh} born ${person.birthDate}`, name: person.name, birthDate: person.birthDate, holder: person.nameZh, phone: person.phone });
    log({ eventId: 'issuance-application', disposition: 'na', message: `applicant ${person.nameZh} ${person.address}`, applicantName: person.name, surname: 'KUO', note: `id b123456780, mobile ${person.phone}, dob 1956/04/17` });

    const text = t.logText() + extra.join('');
    expect(text.split('\n').filter(Boolean).length).toBeGreaterThan(10);
    expect(text).toContain('issuance-recorded'); // the test sees the store's lines
    expect(secrets.filter((secret) => text.toLowerCase().includes(secret.toLowerCase()))).toEqual([]);
  });

  it('the log names a card by its last 4 digits only; the audit row keeps the whole number', async () => {
    const card = '3300012991000015';
    await t.store.recordIssuance(issuance({ cardNumber: card }));
    await t.store.wallet.startTopUp(card);
    await t.store.wallet.loadMonthlyPoints({ cardNumber: card, month: '2026-12', points: 800 });

    const text = t.logText();
    expect(text).toContain('wallet-points-load');
    expect(text).not.toContain(card);
    expect(text).toContain('…0015');
    const audited = (await t.store.readAudit()).filter((entry) => entry.eventId === 'wallet-points-load');
    expect(audited.map((entry) => entry.details['cardNumber'])).toEqual([card]);
  });
});
