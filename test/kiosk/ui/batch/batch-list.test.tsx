import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BatchList } from '../../../../kiosk/ui/src/batch/batch-list';
import { ImportReport } from '../../../../kiosk/ui/src/batch/batch-report';
import { NursingHomeOverride } from '../../../../kiosk/ui/src/batch/nursing-home-override';
import { LocaleContext } from '../../../../kiosk/ui/src/i18n';
import { batchSnapshotSchema, nursingHomePhotoReasons, type BatchRowView, type BatchSnapshot } from '../../../../shared/contract/batch';
import { message } from '../../../../shared/contract/messages';
import { locales, type Locale } from '../../../../shared/i18n/messages';

const row = (room: string, fields: Partial<BatchRowView> = {}): BatchRowView => ({
  rowId: `row-${room}`, row: 2, room, nameZh: '陳阿金', cardType: 'senior', scheme: 'easycard', replacement: false, bedridden: false, status: 'waiting', secondVisitReason: null, ...fields,
});
const ageReason = { zh: '須至 2028-04-01 起方符合年齡資格', en: 'meets the age rule only from 2028-04-01', vi: 'chỉ đủ tuổi từ 2028-04-01', id: 'baru memenuhi syarat usia mulai 2028-04-01' };
const withProblems: BatchSnapshot = {
  import: {
    label: '康寧長照中心', rows: 20, cleanRows: 17, rejectedRows: [7, 13, 18], importedBatchId: null,
    problems: [
      { row: 7, column: 'id_number', message: message('application.id-wrong', { detail: 'checksum: the check digit should be 2, got 5' }), reasons: [] },
      { row: 13, column: 'card_type', message: message('application.card-type-not-available'), reasons: [ageReason] },
      { row: 18, column: 'replacement_cause', message: message('batch.replacement-cause-missing'), reasons: [] },
    ],
  },
  current: null,
  onScreenRowId: null,
  photoException: false,
  lists: [],
};
const working: BatchSnapshot = {
  import: null,
  current: {
    batchId: 'b-1', label: '康寧長照中心', source: 'nursing-home',
    rows: [row('201-1', { status: 'issued' }), row('201-2', { nameZh: '林秀英', bedridden: true, status: 'printing' }), row('203-1', { status: 'second-visit', secondVisitReason: 'in-hospital' }), row('305-1', { replacement: true })],
  },
  onScreenRowId: null,
  photoException: false,
  lists: [],
};

/** What the home screen's panel shows of the batch: the import's report, and the list being worked. */
const shown = (batch: BatchSnapshot, locale: Locale = 'en'): string =>
  renderToStaticMarkup(
    <LocaleContext.Provider value={locale}>
      {batch.import && <ImportReport report={batch.import} send={() => {}} />}
      {batch.current && <BatchList list={batch.current} send={() => {}} />}
    </LocaleContext.Provider>,
  ).replaceAll('&#x27;', "'");

describe('the batch panel', () => {
  it('lists every problem by row and column, with the rules own reasons, and offers the clean rows to import', () => {
    expect(batchSnapshotSchema.parse(withProblems)).toEqual(withProblems);
    const html = shown(withProblems);
    expect([...html.matchAll(/data-problem-row="(\d+)" data-problem-column="([a-z_]*)" data-problem-code="([a-z.-]+)"/g)].map((m) => [m[1], m[2], m[3]])).toEqual([
      ['7', 'id_number', 'application.id-wrong'],
      ['13', 'card_type', 'application.card-type-not-available'],
      ['18', 'replacement_cause', 'batch.replacement-cause-missing'],
    ]);
    expect(html).toContain('3 rows have problems: nothing was imported');
    expect(html).toContain('the check digit should be 2');
    expect(html).toContain('meets the age rule only from 2028-04-01');
    expect(html).toContain('data-action="import-batch-clean-rows"');
    expect(html).toContain('Import only the 17 clean rows');
    expect(shown(withProblems, 'zh-TW')).toContain('已持有這種卡，本次為補發：請填補發原因');
    // The column by the heading a clerk knows, in the screen's language, with the file's own name beside it.
    expect(html).toContain('<td class="batch-column">ID number (id_number)</td>');
    expect(shown(withProblems, 'zh-TW')).toContain('<td class="batch-column">補發原因 (replacement_cause)</td>');
    expect(shown(withProblems, 'vi')).toContain('<td class="batch-column">Loại thẻ (card_type)</td>');
  });

  it('works the list room by room with each status, names only when sent, and Serve only for who waits', () => {
    const html = shown(working);
    expect([...html.matchAll(/data-room="(\d+)"/g)].map((m) => m[1])).toEqual(['201', '203', '305']);
    expect([...html.matchAll(/data-row-status="([a-z-]+)"/g)].map((m) => m[1])).toEqual(['issued', 'printing', 'second-visit', 'waiting']);
    expect(html).toContain('林秀英');
    expect(html).toContain('Second visit (In hospital)');
    expect(html).toContain('Senior card · Bedridden');
    expect([...html.matchAll(/data-row-id="row-([\d-]+)"[^>]*>(?:(?!<\/li>).)*data-action="pick-batch-row"/g)].map((m) => m[1])).toEqual(['203-1', '305-1']);
    const anonymous = shown({ ...working, current: { ...working.current!, rows: working.current!.rows.map((r) => ({ ...r, nameZh: null })) } });
    expect(anonymous).not.toContain('林秀英');
  });

  it('words every status and the photo exception reasons in all four languages', () => {
    for (const locale of locales) {
      const html = renderToStaticMarkup(<LocaleContext.Provider value={locale}><NursingHomeOverride send={() => {}} /></LocaleContext.Provider>);
      expect([...html.matchAll(/data-photo-reason="([a-z-]+)"/g)].map((m) => m[1])).toEqual([...nursingHomePhotoReasons]);
      expect(html).not.toMatch(/>batchPhoto/);
      expect(shown(working, locale)).not.toMatch(/>batch(Status|Visit)/);
    }
  });
});
