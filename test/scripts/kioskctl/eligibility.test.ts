import { describe, expect, it } from 'vitest';
import { applicant } from '../../shared/domain/applicant';
import { runKioskctl } from './run-kioskctl';

const senior = applicant({
  applicationDate: '2026-11-01',
  birthDate: '1961-11-30',
  household: { city: '桃園市', district: '復興區' },
  heldCards: [{ type: 'senior', status: 'active' }],
});

describe('kioskctl eligibility', () => {
  it('decides every card type with reasons and exits 0', async () => {
    const run = await runKioskctl(['eligibility'], JSON.stringify(senior));
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as { cards: Array<{ type: string; reasons: unknown[] }>; guardianConsentRequired: boolean };
    expect(output.cards.map((c) => c.type)).toEqual(['general', 'senior', 'indigenous-senior', 'disability', 'companion', 'student', 'employee']);
    expect(output.cards[1]).toMatchObject({ type: 'senior', eligible: true, action: 'replacement', monthlyPoints: 1000, design: null, exclusiveWith: [] });
    expect(output.cards[1]?.reasons).toContainEqual(expect.objectContaining({ zh: expect.any(String), en: expect.stringContaining('2026-11-01') }));
    expect(output.guardianConsentRequired).toBe(false);
  });

  it('exits 1 when no card type is open', async () => {
    const run = await runKioskctl(['eligibility'], JSON.stringify({ ...senior, household: null }));
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as { cards: Array<{ eligible: boolean }> }).cards.every((c) => !c.eligible)).toBe(true);
  });

  it('exits 2 naming a missing or malformed field, and for input that is not JSON', async () => {
    const { documents, ...rest } = senior;
    const run = await runKioskctl(['eligibility'], JSON.stringify({ ...rest, documents: { ...documents, school: 'college' }, birthDate: undefined }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('birthDate');
    expect(run.stderr).toContain('documents.school');
    expect(run.stdout).toBe('');
    expect((await runKioskctl(['eligibility'], '{"applicationDate":')).code).toBe(2);
  });
});
