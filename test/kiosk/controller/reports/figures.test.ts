import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figuresOfPeriod, figuresOfSession } from '../../../../kiosk/controller/reports/from-store';
import { periodFiguresSchema, sessionFiguresSchema, type SessionFigures } from '../../../../shared/contract/report-figures';
import type { TempStore } from '../store/temp-store';
import { closeNote, seededStore, sessionId, site } from './seeded-store';

let seed: TempStore;
let figures: SessionFigures;

beforeAll(async () => {
  seed = await seededStore();
  const found = await figuresOfSession(seed.store, sessionId);
  if (!found) throw new Error('the seeded session was not found');
  figures = found;
});
afterAll(() => seed.cleanup());

describe('a session’s figures from the store', () => {
  it('fit the contract the UI reads them with', () => {
    expect(sessionFiguresSchema.parse(figures)).toEqual(figures);
  });

  it('name the session by place and mode, with the closing note', () => {
    expect(figures.session).toEqual({ id: sessionId, site, mode: 'transit-station', openedAt: '2026-03-01T01:00:00Z', closedAt: '2026-03-01T03:00:00Z', note: closeNote });
  });

  it('count the cards by type and by scheme, the replacement and the void', () => {
    expect(figures.cards).toEqual({
      issued: 3,
      byCardType: { general: 1, senior: 1, 'indigenous-senior': 0, disability: 0, companion: 0, student: 1, employee: 0 },
      byScheme: { easycard: 2, ipass: 1 },
      replacements: 1,
      replacementCauses: { lost: 1 },
      voided: 1,
      // No fee in the seed (its replacement is free): fees are counted in test/kiosk/controller/fee.
      fees: { cash: { count: 0, amount: 0 }, wallet: { count: 0, amount: 0 }, waived: { count: 0, amount: 0 }, unrecorded: { count: 0, amount: 0 } },
    });
    expect(figures.cardNumbers).toEqual(['TY-K01-S-0000001', 'TY-K01-G-0000002', 'TY-K01-T-0000001']);
  });

  it('spread the cards over the local hours of the session, 09:00 to 11:00 in Taipei', () => {
    expect(figures.perHour).toEqual([
      { hour: '2026-03-01T09:00', byScheme: { easycard: 1, ipass: 1 }, total: 2 },
      { hour: '2026-03-01T10:00', byScheme: { easycard: 1, ipass: 0 }, total: 1 },
      { hour: '2026-03-01T11:00', byScheme: { easycard: 0, ipass: 0 }, total: 0 },
    ]);
  });

  it('time each stage per applicant from the job journal (the counter from the application’s start when known; a reprint on its last attempt)', () => {
    expect(figures.stages).toEqual([
      { stage: 'counter', jobs: 5, medianSeconds: 180, meanSeconds: 180, maxSeconds: 300 },
      { stage: 'queue', jobs: 5, medianSeconds: 20, meanSeconds: 25, maxSeconds: 60 },
      { stage: 'print', jobs: 4, medianSeconds: 60, meanSeconds: 67.5, maxSeconds: 90 },
      { stage: 'encode', jobs: 4, medianSeconds: 25, meanSeconds: 27.5, maxSeconds: 40 },
    ]);
  });

  it('count spoilage by reason, the void and the count’s shortfall included', () => {
    expect(figures.spoilage).toEqual({
      total: 4,
      byReason: { misprint: 0, 'chip-verify-failed': 1, jam: 1, 'crash-recovery': 0, 'void-at-counter': 1, 'count-discrepancy': 1 },
    });
  });

  it('give the stock ledger per scheme with the count, and that it reconciles', () => {
    expect(figures.ledger).toEqual({
      easycard: { loaded: 10, issued: 2, spoiled: 3, returned: 0, left: 5, counted: 5, discrepancy: -1 },
      ipass: { loaded: 5, issued: 1, spoiled: 1, returned: 1, left: 2, counted: 2, discrepancy: 0 },
    });
    expect(figures.reconciles).toBe(true);
  });

  it('hold no personal data: no ID number, name or birth date of the seed', () => {
    const text = JSON.stringify(figures);
    for (const idNumber of ['A120000005', 'B120000001', 'F120000006', 'G120000007']) expect(text).not.toContain(idNumber);
    expect(text).not.toMatch(/CHEN|陳美玲|1956-04-17|0912345678/);
  });

  it('is null for a session that does not exist', async () => {
    expect(await figuresOfSession(seed.store, '01950000-0000-7000-8000-00000000dead')).toBeNull();
  });
});

describe('a period’s figures (the city-wide shape: issued by type, replacements, spoiled)', () => {
  it('count the local days from and to, both included, and nothing on either side', async () => {
    const period = await figuresOfPeriod(seed.store, '2026-03-01', '2026-03-01');
    if (!period.ok) throw new Error(period.error.kind);
    expect(periodFiguresSchema.parse(period.value)).toEqual(period.value);
    expect(period.value).toEqual({
      kind: 'period',
      from: '2026-03-01',
      to: '2026-03-01',
      sessions: 1,
      cards: {
        issued: 5,
        byCardType: { general: 2, senior: 1, 'indigenous-senior': 0, disability: 1, companion: 0, student: 1, employee: 0 },
        byScheme: { easycard: 3, ipass: 2 },
        replacements: 1,
        replacementCauses: { lost: 1 },
        voided: 1,
        fees: { cash: { count: 0, amount: 0 }, wallet: { count: 0, amount: 0 }, waived: { count: 0, amount: 0 }, unrecorded: { count: 0, amount: 0 } },
      },
      spoilage: { total: 4, byReason: { misprint: 0, 'chip-verify-failed': 1, jam: 1, 'crash-recovery': 0, 'void-at-counter': 1, 'count-discrepancy': 1 } },
      perDay: [{ day: '2026-03-01', issued: 5, replacements: 1, spoiled: 4 }],
    });
  });

  it('take the day before and after into a longer period, day by day', async () => {
    const period = await figuresOfPeriod(seed.store, '2026-02-28', '2026-03-02');
    if (!period.ok) throw new Error(period.error.kind);
    expect(period.value.cards.issued).toBe(7);
    expect(period.value.perDay).toEqual([
      { day: '2026-02-28', issued: 1, replacements: 0, spoiled: 0 },
      { day: '2026-03-01', issued: 5, replacements: 1, spoiled: 4 },
      { day: '2026-03-02', issued: 1, replacements: 0, spoiled: 0 },
    ]);
  });

  it('refuse a date that is not one, and a period that ends before it starts', async () => {
    expect(await figuresOfPeriod(seed.store, '2026-02-30', '2026-03-01')).toEqual({ ok: false, error: { kind: 'invalid_date', text: '2026-02-30' } });
    expect(await figuresOfPeriod(seed.store, '2026-03-02', '2026-03-01')).toEqual({ ok: false, error: { kind: 'reversed_period' } });
  });
});
