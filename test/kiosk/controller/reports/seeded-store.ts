import { randomUUID } from 'node:crypto';
import type { RecordIssuanceInput } from '../../../../kiosk/controller/store/issuances';
import type { JobStep } from '../../../../kiosk/controller/store/jobs';
import type { Store } from '../../../../kiosk/controller/store/store';
import type { CardType, TransitScheme } from '../../../../shared/domain/card-types';
import { issuance, openTempStore, person, type TempStore } from '../store/temp-store';

/**
 * One session at 中壢轉運站 on 2026-03-01 (09:00–11:00 Taipei), seeded with known times so the figures
 * are exact. The session, its loaded and returned blanks and its closing count are written with plain SQL
 * into the 005 tables (at the seed's own times); jobs, the journal, cards and voids go through the store,
 * which books every blank a job takes as issued, spoiled or voided as the kiosk does.
 *
 *   J1 senior   easycard new          counter 300 s (from the application's start), queue 30 s, print 60 s, encode 20 s
 *   J2 general  ipass    replacement  counter 240 s, queue 60 s, print 60 s, encode 30 s  (cause lost)
 *   J3 student  easycard new          counter 180 s, queue 10 s, chip failure, reprint: print 90 s, encode 40 s
 *   J4 general  easycard new          counter 120 s, queue 20 s, print 60 s, encode 20 s, voided at the counter
 *   J5 senior   ipass                 counter 60 s,  queue 5 s,  jam: spoiled
 * The counter runs from the application's start where the confirm says it (J1), else from the job's begin.
 *   loaded 10 EasyCard, 5 iPASS; 1 iPASS returned; counted 5 EasyCard (1 short) and 2 iPASS.
 * Outside the session: the card J2 replaces (07:00 local), a card at 23:59:59 local on 03-01, one at
 * 23:59:59 on 02-28 and one at 00:00 on 03-02 (the period's edges).
 */
export const sessionId = '01950000-0000-7000-8000-000000000001';
export const site = '中壢轉運站';
export const closeNote = '一張卡片掉進機箱 / one blank fell inside the cabinet';

const at = (iso: string, seed: TempStore): void => seed.clock.set(new Date(iso));

export async function seededStore(): Promise<TempStore> {
  const seed = await openTempStore();
  const { store } = seed;
  const sql = (text: string, params: (string | number | null)[] = []) => store.audited((tx) => tx.run(text, params));
  const movement = (scheme: TransitScheme, kind: string, quantity: number, reason: string | null, when: string) =>
    sql(`INSERT INTO stock_movements (id, session_id, scheme, kind, quantity, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)`, [randomUUID(), sessionId, scheme, kind, quantity, reason, when]);

  // Cards outside the session: the old card J2 replaces, and the period's edges.
  at('2026-02-28T23:00:00Z', seed);
  await mustRecord(store, issuance({ applicant: { ...person, idNumber: 'B120000001' }, cardNumber: 'TY-K01-G-0000001', card: card('TY-K01-G-0000001', 'general', 'easycard') }));
  at('2026-02-28T15:59:59Z', seed);
  await mustRecord(store, issuance({ applicant: { ...person, idNumber: 'C120000002' }, card: card('TY-K01-G-0000090', 'general', 'ipass') }));
  at('2026-03-01T15:59:59Z', seed);
  await mustRecord(store, issuance({ applicant: { ...person, idNumber: 'D120000003' }, card: card('TY-K01-D-0000091', 'disability', 'ipass') }));
  at('2026-03-01T16:00:00Z', seed);
  await mustRecord(store, issuance({ applicant: { ...person, idNumber: 'E120000004' }, card: card('TY-K01-G-0000092', 'general', 'ipass') }));

  await sql(`INSERT INTO service_sessions (id, kiosk_id, site, mode, opened_at, opened_by, ribbon_prints_at_open) VALUES (?, ?, ?, 'transit-station', ?, NULL, 400)`, [
    sessionId, store.kioskId, site, '2026-03-01T01:00:00Z',
  ]);
  await movement('easycard', 'loaded', 10, 'box', '2026-03-01T01:00:00Z');
  await movement('ipass', 'loaded', 5, 'box', '2026-03-01T01:00:00Z');

  const job = new JobSeed(seed, sql);
  const j1 = await job.begin('senior', 'easycard', '2026-03-01T01:05:00Z');
  await job.marks(j1, [['queued', '01:07:00', '2026-03-01T01:02:00.000Z'], ['printing', '01:07:30'], ['printed', '01:08:30'], ['encoding', '01:08:40'], ['encoded', '01:08:50'], ['verified', '01:09:00']]);
  await job.issue(j1, '2026-03-01T01:09:05Z', { ...person, idNumber: 'A120000005' }, card('TY-K01-S-0000001', 'senior', 'easycard'));

  const j2 = await job.begin('general', 'ipass', '2026-03-01T01:20:00Z');
  await job.marks(j2, [['queued', '01:24:00'], ['printing', '01:25:00'], ['printed', '01:26:00'], ['encoding', '01:26:10'], ['encoded', '01:26:30'], ['verified', '01:26:40']]);
  await job.issue(j2, '2026-03-01T01:26:45Z', { ...person, idNumber: 'B120000001' }, card('TY-K01-G-0000002', 'general', 'ipass'), 'lost');

  const j3 = await job.begin('student', 'easycard', '2026-03-01T02:00:00Z');
  await job.marks(j3, [['queued', '02:03:00'], ['printing', '02:03:10'], ['printed', '02:04:10'], ['encoding', '02:04:20']]);
  await job.fail(j3, 'encoding', '02:04:50', 'write_verify_failed');
  await job.gone(j3, 'encoding', '02:04:55');
  await job.marks(j3, [['printing', '02:05:00'], ['printed', '02:06:30'], ['encoding', '02:06:40'], ['encoded', '02:07:00'], ['verified', '02:07:20']]);
  await job.issue(j3, '2026-03-01T02:07:25Z', { ...person, idNumber: 'F120000006' }, card('TY-K01-T-0000001', 'student', 'easycard'));

  const j4 = await job.begin('general', 'easycard', '2026-03-01T02:30:00Z');
  await job.marks(j4, [['queued', '02:32:00'], ['printing', '02:32:20'], ['printed', '02:33:20'], ['encoding', '02:33:30'], ['encoded', '02:33:40'], ['verified', '02:33:50']]);
  await job.issue(j4, '2026-03-01T02:33:55Z', { ...person, idNumber: 'G120000007' }, card('TY-K01-G-0000003', 'general', 'easycard'));

  const j5 = await job.begin('senior', 'ipass', '2026-03-01T02:40:00Z');
  await job.marks(j5, [['queued', '02:41:00'], ['printing', '02:41:05']]);
  await job.fail(j5, 'printing', '02:41:30', 'jam');
  await job.marks(j5, [['spoiled', '02:41:40']]);

  at('2026-03-01T02:50:00Z', seed);
  const voided = await store.setCardStatus({ cardNumber: 'TY-K01-G-0000003', status: 'void', reason: 'misprint', operatorId: null });
  if (!voided.ok) throw new Error(`void: ${voided.error.kind}`);
  await movement('ipass', 'returned', 1, null, '2026-03-01T02:55:00Z');

  // The close: EasyCard expected 6, counted 5 (booked spoiled for count-discrepancy); iPASS 2 as expected.
  await sql(`INSERT INTO session_counts (session_id, scheme, expected, counted) VALUES (?, 'easycard', 6, 5), (?, 'ipass', 2, 2)`, [sessionId, sessionId]);
  await movement('easycard', 'spoiled', 1, 'count-discrepancy', '2026-03-01T03:00:00Z');
  await sql(`UPDATE service_sessions SET closed_at = ?, close_note = ?, ribbon_prints_at_close = 390 WHERE id = ?`, ['2026-03-01T03:00:00Z', closeNote, sessionId]);
  return seed;
}

function card(cardNumber: string, cardType: CardType, scheme: TransitScheme) {
  return { cardNumber, cardType, scheme, uid: randomUUID().replaceAll('-', '').slice(0, 14).toUpperCase() };
}

async function mustRecord(store: Store, input: Parameters<Store['recordIssuance']>[0]): Promise<void> {
  const recorded = await store.recordIssuance(input);
  if (!recorded.ok) throw new Error(`recordIssuance: ${recorded.error.kind}`);
}

/** Card jobs of the session, journaled through the store at the seed's times. */
class JobSeed {
  constructor(
    private readonly seed: TempStore,
    private readonly sql: (text: string, params?: (string | number | null)[]) => Promise<unknown>,
  ) {}

  async begin(cardType: CardType, scheme: TransitScheme, when: string): Promise<string> {
    at(when, this.seed);
    return this.seed.store.beginIssuanceJob({ sessionId, scheme, cardType, operatorId: null, context: { scheme } });
  }

  /**
   * `[step, 'HH:MM:SS' UTC on 2026-03-01]`; `queued` (the confirm) is journaled as the card job does it
   * (issuance-services.ts `journalQueued`), with when the application started when given.
   */
  async marks(jobId: string, marks: readonly (readonly [JobStep | 'queued', string, string?])[]): Promise<void> {
    for (const [step, time, applicationStartedAt] of marks) {
      at(`2026-03-01T${time}Z`, this.seed);
      if (step === 'queued') {
        await this.seed.store.appendAudit({
          eventId: 'issuance-job-step', operatorId: null, disposition: 'na', details: { jobId, step: 'queued', reason: null, applicationStartedAt: applicationStartedAt ?? null },
        });
        continue;
      }
      // The printer takes a blank from the feeder as the card is printed.
      const marked = await this.seed.store.markJobStep(jobId, step, step === 'printing' ? { blank: 'in-printer' } : {});
      if (!marked.ok) throw new Error(`markJobStep ${step}: ${marked.error.kind}`);
    }
  }

  async fail(jobId: string, step: JobStep, time: string, reason: string): Promise<void> {
    at(`2026-03-01T${time}Z`, this.seed);
    const marked = await this.seed.store.markJobStep(jobId, step, { disposition: 'failure', reason, blank: 'in-printer' });
    if (!marked.ok) throw new Error(`markJobStep ${step}: ${marked.error.kind}`);
  }

  /** The failed card went to the reject box: its blank is spoiled for the failure. */
  async gone(jobId: string, step: JobStep, time: string): Promise<void> {
    at(`2026-03-01T${time}Z`, this.seed);
    const marked = await this.seed.store.markJobStep(jobId, step, { blank: 'not-in-printer' });
    if (!marked.ok) throw new Error(`markJobStep ${step}: ${marked.error.kind}`);
  }

  async issue(jobId: string, when: string, applicant: RecordIssuanceInput['applicant'], issued: ReturnType<typeof card>, replacementCause?: string): Promise<void> {
    at(when, this.seed);
    await mustRecord(
      this.seed.store,
      issuance({ jobId, applicant, card: issued, ...(replacementCause ? { cause: 'replacement', replacementCause } : {}) }),
    );
    for (const step of ['ejected', 'taken'] as const) {
      const marked = await this.seed.store.markJobStep(jobId, step);
      if (!marked.ok) throw new Error(`markJobStep ${step}: ${marked.error.kind}`);
    }
  }
}
