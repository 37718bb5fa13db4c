import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodFiguresSchema, sessionFiguresSchema } from '../../../shared/contract/report-figures';
import { seededStore, sessionId } from '../../kiosk/controller/reports/seeded-store';
import { kioskId, type TempStore } from '../../kiosk/controller/store/temp-store';
import { runKioskctl } from './run-kioskctl';

let seed: TempStore;
let flags: string[];

beforeAll(async () => {
  seed = await seededStore();
  flags = ['--db', seed.path, '--key', seed.keyFile, '--kiosk', kioskId];
});
afterAll(() => seed.cleanup());

describe('kioskctl stats', () => {
  it('--json --session: the session’s figures as one JSON object', async () => {
    const run = await runKioskctl(['stats', '--json', '--session', sessionId, ...flags]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const figures = sessionFiguresSchema.parse(JSON.parse(run.stdout));
    expect(figures.cards.issued).toBe(3);
    expect(figures.ledger.easycard).toEqual({ loaded: 10, issued: 2, spoiled: 3, returned: 0, left: 5, counted: 5, discrepancy: -1 });
    expect(figures.stages.find((stage) => stage.stage === 'encode')?.medianSeconds).toBe(25);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('--json with no scope: the newest session', async () => {
    const run = await runKioskctl(['stats', '--json', ...flags]);
    expect(run.code).toBe(0);
    expect(sessionFiguresSchema.parse(JSON.parse(run.stdout)).session.id).toBe(sessionId);
  });

  it('--json --from --to: the period’s shape (issued by type, replacements, spoiled)', async () => {
    const run = await runKioskctl(['stats', '--json', '--from', '2026-02-28', '--to', '2026-03-01', ...flags]);
    expect(run.code).toBe(0);
    const figures = periodFiguresSchema.parse(JSON.parse(run.stdout));
    expect(figures.cards.issued).toBe(6);
    expect(figures.cards.byCardType).toMatchObject({ general: 3, senior: 1, student: 1, disability: 1 });
    expect(figures.cards.replacements).toBe(1);
    expect(figures.spoilage.total).toBe(4);
    expect(figures.perDay.map((day) => day.issued)).toEqual([1, 5]);
  });

  it('a summary without --json', async () => {
    const run = await runKioskctl(['stats', '--session', sessionId, ...flags]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('cards issued 3 (replacements 1, voided 1)');
    expect(run.stdout).toContain('ledger easycard: loaded 10, issued 2, spoiled 3, returned 0, left 5, counted 5');
  });

  it('usage errors exit 2, an unknown session 1', async () => {
    expect((await runKioskctl(['stats', '--json', '--from', '2026-03-01', ...flags])).code).toBe(2);
    expect((await runKioskctl(['stats', '--json', '--session', sessionId, '--from', '2026-03-01', '--to', '2026-03-01', ...flags])).code).toBe(2);
    const badDate = await runKioskctl(['stats', '--json', '--from', '2026-02-30', '--to', '2026-03-01', ...flags]);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('not a date: 2026-02-30');
    const unknown = await runKioskctl(['stats', '--json', '--session', '01950000-0000-7000-8000-00000000dead', ...flags]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no session');
  });
});
