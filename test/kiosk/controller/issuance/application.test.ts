import { describe, expect, it } from 'vitest';
import { emptyApplicationForm, type ApplicationForm } from '../../../../shared/contract/kiosk-api';
import { message } from '../../../../shared/contract/messages';
import { defaultCityRules } from '../../../../shared/domain/rules';
import { buildMrz, parseMrz } from '../../../../shared/identity/mrz';
import { checkTaiwanId } from '../../../../shared/identity/taiwan-id';
import { assessApplication, type HeldCard } from '../../../../kiosk/controller/issuance/assess-application';
import { documentToApplication } from '../../../../kiosk/controller/issuance/document-to-application';

const today = '2026-11-29';
const deps = (held: HeldCard[] = []) => ({ rules: defaultCityRules, today: () => today, heldCards: async () => held });
const form = (fields: Partial<ApplicationForm>): ApplicationForm => ({ ...emptyApplicationForm, ...fields });

describe('documentToApplication', () => {
  it('fills a new-immigrant spouse application from a resident permit (TD1) with the ARC number', () => {
    const lines = buildMrz(
      {
        documentCode: 'ID', issuingState: 'TWN', documentNumber: 'RP1234567', birthDate: '1990-04-12', sex: 'F',
        expiryDate: '2029-04-11', nationality: 'VNM', surname: 'NGUYEN', givenNames: 'THI LAN', optionalData: 'A800000014',
      },
      'TD1',
    );
    if (!lines.ok) throw new Error(JSON.stringify(lines.error));
    expect(checkTaiwanId('A800000014').valid).toBe(true);
    const fill = documentToApplication({ kind: 'mrz', mrz: parseMrz(lines.value.join('\n')) }, today);
    expect(fill.problems).toEqual([]);
    expect(fill.fields).toMatchObject({
      name: 'NGUYEN THI LAN', birthDate: '1990-04-12', sex: 'F', nationality: 'VNM', idNumber: 'A800000014', residencePermit: true,
    });
  });

  it('reports a failed check digit and an expired document instead of correcting them', () => {
    const lines = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
    const damaged = [lines[0], lines[1]!.replace('7408122', '7408123')].join('\n');
    const fill = documentToApplication({ kind: 'mrz', mrz: parseMrz(damaged) }, today);
    expect(fill.fields.name).toBe('ERIKSSON ANNA MARIA');
    expect(fill.problems).toContainEqual({
      code: 'document.mrz-check-failed',
      params: { field: 'birthDate', detail: expect.stringMatching(/birth date check digit/) },
    });
    expect(fill.problems).toContainEqual(message('document.expired', { date: '2012-04-15' }));
  });

  it('takes a Taiwan ID barcode as the ID number and its sex digit', () => {
    expect(documentToApplication({ kind: 'taiwan-id', id: checkTaiwanId('A123456789') }, today)).toEqual({
      fields: { idNumber: 'A123456789', sex: 'M', nationality: 'TWN' },
      problems: [],
    });
    expect(documentToApplication({ kind: 'taiwan-id', id: checkTaiwanId('A123456788') }, today).problems).toEqual([
      message('document.id-invalid', { detail: expect.stringMatching(/check digit/) }),
    ]);
  });
});

describe('assessApplication', () => {
  it('lists what is missing before anything is decided', async () => {
    const assessment = await assessApplication(form({}), deps());
    expect(assessment.eligibility).toBeNull();
    expect(assessment.problems).toEqual([
      message('application.enter-id'),
      message('application.enter-name'),
      message('application.enter-birth-date'),
    ]);
  });

  it('offers a senior card to a 70-year-old in Taoyuan, free when new', async () => {
    const assessment = await assessApplication(
      form({ idNumber: 'A123456789', name: 'LIN', birthDate: '1956-03-02', district: '中壢區', cardType: 'senior' }),
      deps(),
    );
    expect(assessment.problems).toEqual([]);
    expect(assessment.action).toBe('new');
    expect(assessment.fee).toBe(0);
    expect(assessment.eligibility?.cards.find((c) => c.type === 'senior')?.monthlyPoints).toBe(800);
  });

  it('makes it a paid replacement when the person holds an active card of that type', async () => {
    const assessment = await assessApplication(
      form({ idNumber: 'A123456789', name: 'LIN', birthDate: '1956-03-02', district: '中壢區', cardType: 'senior', replacementCause: 'lost' }),
      deps([{ type: 'senior', status: 'active' }]),
    );
    expect(assessment.action).toBe('replacement');
    expect(assessment.fee).toBe(defaultCityRules.fees.replacement.lost);
    expect(assessment.fee).toBeGreaterThan(0);
  });

  it('refuses a card type the person is not eligible for, and asks for guardian consent under 18', async () => {
    const assessment = await assessApplication(
      form({ idNumber: 'A123456789', name: 'WU', birthDate: '2012-05-05', district: '桃園區', school: 'junior-high', cardType: 'senior' }),
      deps(),
    );
    expect(assessment.problems).toContainEqual(message('application.card-type-not-available'));
    expect(assessment.problems).toContainEqual(message('application.guardian-consent'));
  });
});
