import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../kiosk/controller/store/database';
import { issuance, openTempStore, person, type TempStore } from './temp-store';
import { testSession } from './session-fixture';

/** The personal data of `person` as it could appear in a file: ASCII, UTF-8 and UTF-16 spellings. */
const secrets = [person.idNumber, person.name, person.nameZh, person.birthDate, person.address, person.phone, 'PHOTO-MARKER-7f3a'];
const spellings = (text: string): Buffer[] => [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le')];

function leaks(file: string): string[] {
  if (!existsSync(file)) return [];
  const bytes = readFileSync(file);
  return secrets.filter((secret) => spellings(secret).some((spelling) => bytes.includes(spelling)));
}

describe('store: personal data at rest', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('leaves no ID number, name, birth date, address, phone or photo in the database file or its WAL', async () => {
    const jobId = await t.store.beginIssuanceJob({ ...(await testSession(t.store)), cardType: 'senior', operatorId: null, context: { applicant: person } });
    await t.store.recordIssuance(issuance({ jobId, photoJpeg: Buffer.from('JPEG PHOTO-MARKER-7f3a') }));
    await t.store.operators.insert({ staffCardNumber: 'E0001', name: person.name, role: 'operator', pinHash: 'x', actorId: null });
    // Sanity: the check can fail — the WAL holds the pages right now.
    expect(existsSync(`${t.path}-wal`)).toBe(true);
    expect({ db: leaks(t.path), wal: leaks(`${t.path}-wal`) }).toEqual({ db: [], wal: [] });
    await t.store.close();
    expect(leaks(t.path)).toEqual([]);
    await t.reopen();
    expect((await t.store.findCardholder(person.idNumber))?.applicant?.nameZh).toBe(person.nameZh);
  });

  it('the grep would have found clear text (the test can fail)', async () => {
    await t.store.appendAudit({ eventId: 'device-fault', operatorId: null, disposition: 'na' });
    const raw = await openDatabase(t.path);
    await raw.run(`INSERT INTO meta (key, value) VALUES ('probe', ?)`, [person.nameZh]);
    await raw.close();
    expect(leaks(t.path).concat(leaks(`${t.path}-wal`))).toContain(person.nameZh);
  });

  it('a copied database without the key gives only ciphertext', async () => {
    await t.store.recordIssuance(issuance());
    const raw = await openDatabase(t.path);
    const row = await raw.get<{ pii: Buffer; id_hash: Buffer }>('SELECT pii, id_hash FROM cardholders');
    await raw.close();
    expect(row?.pii.toString('latin1')).not.toContain(person.idNumber);
    expect(row?.id_hash.length).toBe(32);
  });
});
