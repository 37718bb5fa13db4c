import { describe, expect, it } from 'vitest';
import {
  afterCloseReply, blanksOf, closeCommand, closedSession, closingOf, comparison, emptyCount, openCommand, sessionReportPath, startCount, stockCommand,
} from '../../../../kiosk/ui/src/session/session-commands';
import { kioskCommandSchema, refused, type ServiceSessionView } from '../../../../shared/contract/kiosk-api';
import { goodSnapshot } from '../reading/snapshot-fixture';

const open = goodSnapshot.serviceSession as ServiceSessionView;
/** Every command a form sends passes the contract's schema (the controller parses it with that). */
const valid = (command: unknown): void => {
  expect(kioskCommandSchema.safeParse(command).success).toBe(true);
};

describe('the session forms\' commands', () => {
  it('reads a number of blanks only as a whole number from 0 to 2000', () => {
    expect(['0', '10', ' 240 ', '2000'].map(blanksOf)).toEqual([0, 10, 240, 2000]);
    expect(['', ' ', '-1', '1.5', '1e3', '2001', '12a', '+3'].map(blanksOf)).toEqual([null, null, null, null, null, null, null, null]);
  });

  it('opens a session only with a site, a kind of site and both schemes\' blanks', () => {
    const fields = { site: '  中壢轉運站 ', mode: 'transit-station' as const, blanks: { easycard: '10', ipass: '5' } };
    const command = openCommand(fields);
    expect(command).toEqual({ type: 'open-session', site: '中壢轉運站', mode: 'transit-station', blanks: { easycard: 10, ipass: 5 } });
    valid(command);
    // None loaded of a scheme is a number too: a team may carry one scheme only.
    expect(openCommand({ ...fields, blanks: { easycard: '10', ipass: '0' } })).not.toBeNull();
    expect(openCommand({ ...fields, site: ' 中 ' })).toBeNull();
    expect(openCommand({ ...fields, site: 'x'.repeat(61) })).toBeNull();
    expect(openCommand({ ...fields, mode: '' })).toBeNull();
    expect(openCommand({ ...fields, blanks: { ...emptyCount, easycard: '10' } })).toBeNull();
  });

  it('loads or returns at least one blank of one scheme', () => {
    valid(stockCommand('load-blanks', 'ipass', '20'));
    expect(stockCommand('load-blanks', 'ipass', '20')).toEqual({ type: 'load-blanks', scheme: 'ipass', count: 20 });
    expect(stockCommand('return-blanks', 'easycard', '3')).toEqual({ type: 'return-blanks', scheme: 'easycard', count: 3 });
    expect(stockCommand('load-blanks', 'ipass', '0')).toBeNull();
    expect(stockCommand('return-blanks', 'ipass', '')).toBeNull();
  });

  it('sends the blind count without a note, and asks for the note only once the controller says the count differs', () => {
    const counted = { ...startCount, counted: { easycard: '6', ipass: '2' } };
    expect(closeCommand({ ...startCount, counted: { easycard: '6', ipass: '' } })).toBeNull();
    const blind = closeCommand(counted);
    expect(blind).toEqual({ type: 'close-session', counted: { easycard: 6, ipass: 2 } });
    valid(blind);
    // The controller: the count differs from the ledger.
    const differs = afterCloseReply(counted, refused('count-note-required', 'ipass: counted 2, the ledger says 3'));
    expect(differs.mismatch).toBe(true);
    const ledger = { easycard: 6, ipass: 3 };
    expect(closeCommand(differs, ledger)).toBeNull();
    expect(closeCommand({ ...differs, note: '   ' }, ledger)).toBeNull();
    const noted = closeCommand({ ...differs, note: ' one blank bent in the box ' }, ledger);
    expect(noted).toEqual({ type: 'close-session', counted: { easycard: 6, ipass: 2 }, note: 'one blank bent in the box' });
    valid(noted);
    // A recount that now agrees needs no note.
    expect(closeCommand({ ...differs, counted: { easycard: '6', ipass: '3' } }, ledger)).toEqual({ type: 'close-session', counted: { easycard: 6, ipass: 3 } });
    expect(closeCommand({ ...differs, note: 'x'.repeat(501) }, ledger)).toBeNull();
  });

  it('leaves the form as it was on any other answer', () => {
    const counted = { ...startCount, counted: { easycard: '6', ipass: '3' } };
    expect(afterCloseReply(counted, refused('cards-in-queue', 'a card is queued'))).toBe(counted);
    expect(afterCloseReply(counted, { accepted: true })).toBe(counted);
  });

  it('sets the count beside the ledger\'s blanks in hand', () => {
    expect(comparison(open, { easycard: '6', ipass: '' })).toEqual([
      { scheme: 'easycard', ledger: 6, counted: 6 },
      { scheme: 'ipass', ledger: 3, counted: null },
    ]);
  });

  it('knows the close went through only when the session is gone from the snapshot', () => {
    const closing = closingOf(open, { type: 'close-session', counted: { easycard: 6, ipass: 2 }, note: 'bent' });
    expect(closing).toEqual({ sessionId: 'session-1', site: '中壢轉運站', counted: { easycard: 6, ipass: 2 }, ledger: { easycard: 6, ipass: 3 } });
    // Sent (an operator's close waits for the supervisor): still open.
    expect(closedSession(closing, open)).toBeNull();
    expect(closedSession(closing, null)).toBe(closing);
    expect(closedSession(closing, { ...open, id: 'session-2' })).toBe(closing);
    expect(closedSession(null, null)).toBeNull();
  });

  it('points at the session\'s report', () => {
    expect(sessionReportPath('session-1', 'pdf')).toBe('api/reports/session-1/report.pdf');
    expect(sessionReportPath('session-1', 'csv')).toBe('api/reports/session-1/report.csv');
    expect(sessionReportPath('a/b', 'pdf')).toBe('api/reports/a%2Fb/report.pdf');
  });
});
