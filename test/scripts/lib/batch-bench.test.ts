import { describe, expect, it } from 'vitest';
import { checkBatchFile } from '../../../kiosk/controller/batch/check-batch';
import {
  batchFigures, benchIdNumber, defaultBatchBenchOptions, parseBatchBenchOptions, preRegisteredBatchCsv, printerIdle,
} from '../../../scripts/lib/batch-bench';
import { checkTaiwanId } from '../../../shared/identity/taiwan-id';
import { defaultCityRules } from '../../../shared/domain/rules';

describe('the batch benchmark options', () => {
  it('default to 50 applicants at scale 0.05, and read --applicants and --scale', () => {
    expect(parseBatchBenchOptions([])).toEqual(defaultBatchBenchOptions);
    expect(defaultBatchBenchOptions).toEqual({ applicants: 50, scale: 0.05 });
    expect(parseBatchBenchOptions(['--applicants', '10', '--scale=0.2'])).toEqual({ applicants: 10, scale: 0.2 });
  });

  it('refuse what they cannot use, saying which option', () => {
    expect(() => parseBatchBenchOptions(['--applicants', '0'])).toThrow(/--applicants '0'/);
    expect(() => parseBatchBenchOptions(['--scale', '0'])).toThrow(/--scale '0'/);
    expect(() => parseBatchBenchOptions(['--counter-seconds', '10'])).toThrow(/counter-seconds/);
  });
});

describe('the pre-registered applicants\' list', () => {
  it('gives each applicant a national ID number with a right check digit, no two alike', () => {
    const ids = Array.from({ length: 60 }, (_, i) => benchIdNumber(i + 1));
    expect(ids.every((id) => checkTaiwanId(id).valid)).toBe(true);
    expect(new Set(ids).size).toBe(60);
  });

  it('is a batch CSV whose every row passes the counter\'s own rules: seniors and adults, both schemes', async () => {
    const csv = preRegisteredBatchCsv(4, 50);
    const checked = await checkBatchFile(csv, 'csv', { rules: defaultCityRules, today: () => '2026-12-07', heldCards: async () => [] });
    expect(checked.problems).toEqual([]);
    expect(checked.clean).toHaveLength(50);
    const applications = checked.clean.map((row) => row.application);
    expect(new Set(applications.map((a) => a.cardType))).toEqual(new Set(['senior', 'general']));
    expect(new Set(applications.map((a) => a.scheme))).toEqual(new Set(['easycard', 'ipass']));
    // The rooms hold the online applications' numbers, so the list sorted by room keeps their order.
    const rooms = applications.map((a) => a.room);
    expect(rooms).toEqual([...rooms].sort());
    expect(applications[0]?.idNumber).toBe(benchIdNumber(4));
  });
});

describe('the batch figures', () => {
  it('count cards an hour in real time and the printer\'s utilisation from its occupancy alone', () => {
    // 10 cards in 20 s at scale 0.05 = 400 real seconds: 90 cards an hour; 38 s a card → 0.95.
    expect(batchFigures({ cards: 10, wallMs: 20_000, scale: 0.05, printerSecondsPerCard: 38 })).toEqual({
      cards: 10, cardsPerHour: 90, printerSecondsPerCard: 38, printerUtilisation: 0.95,
    });
  });

  it('find where the printer stood idle: before its first card and between cards', () => {
    const intervals = [{ start: 150, end: 300 }, { start: 100, end: 120 }, { start: 320, end: 400 }, { start: 310, end: 330 }];
    expect(printerIdle(intervals, 40)).toEqual({ beforeFirstMs: 60, betweenCardsMs: 30 + 10 });
    expect(printerIdle([], 0)).toEqual({ beforeFirstMs: 0, betweenCardsMs: 0 });
  });
});
