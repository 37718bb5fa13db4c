import type { CommandReply, KioskCommand, ServiceSessionView } from '../../../../shared/contract/kiosk-api';
import { transitSchemes, type TransitScheme } from '../../../../shared/domain/card-types';
import type { BlankCount, SessionMode } from '../../../../shared/domain/service-session';

/**
 * What the session forms send, from what was typed: pure, so that the forms' rules are tested without
 * a browser. The controller validates every command again (the contract's zod schemas); these only keep
 * the button off until a command could be accepted.
 */

/** A number of blanks as the contract takes it (a box holds a few hundred). */
export const maxBlanks = 2000;

/** Blanks per scheme as typed in the form's fields. */
export type TypedCount = Readonly<Record<TransitScheme, string>>;
export const emptyCount: TypedCount = { easycard: '', ipass: '' };

/** A whole number of blanks from 0 to `maxBlanks`, or null (empty, a fraction, a sign, too many). */
export function blanksOf(typed: string): number | null {
  const text = typed.trim();
  if (!/^\d{1,4}$/.test(text)) return null;
  const value = Number(text);
  return value <= maxBlanks ? value : null;
}

function countOf(typed: TypedCount): BlankCount | null {
  const easycard = blanksOf(typed.easycard);
  const ipass = blanksOf(typed.ipass);
  return easycard === null || ipass === null ? null : { easycard, ipass };
}

export interface OpenFields {
  readonly site: string;
  readonly mode: SessionMode | '';
  readonly blanks: TypedCount;
}

/** `open-session`, or null while the site, the kind of site or a number is missing. */
export function openCommand(fields: OpenFields): KioskCommand | null {
  const site = fields.site.trim();
  const blanks = countOf(fields.blanks);
  if (site.length < 2 || site.length > 60 || fields.mode === '' || blanks === null) return null;
  return { type: 'open-session', site, mode: fields.mode, blanks };
}

/** `load-blanks` or `return-blanks` of one scheme, or null while the number is not at least 1. */
export function stockCommand(direction: 'load-blanks' | 'return-blanks', scheme: TransitScheme, typed: string): KioskCommand | null {
  const count = blanksOf(typed);
  if (count === null || count < 1) return null;
  return { type: direction, scheme, count };
}

/**
 * The closing count, blind: the ledger's numbers stay off the screen until the controller has the count.
 * `mismatch`: the controller answered `count-note-required`, so the ledger is shown and a note is needed.
 */
export interface CloseCount {
  readonly counted: TypedCount;
  readonly note: string;
  readonly mismatch: boolean;
}
export const startCount: CloseCount = { counted: emptyCount, note: '', mismatch: false };

const maxNote = 500;

/**
 * `close-session`, or null while a count is missing or a differing count has no note yet. `ledger`: the
 * blanks in hand the ledger says, known to the form once the mismatch is shown (a recount that now agrees
 * needs no note).
 */
export function closeCommand(state: CloseCount, ledger?: BlankCount): Extract<KioskCommand, { type: 'close-session' }> | null {
  const counted = countOf(state.counted);
  const note = state.note.trim();
  if (counted === null || note.length > maxNote) return null;
  const differs = ledger === undefined || transitSchemes.some((scheme) => counted[scheme] !== ledger[scheme]);
  if (state.mismatch && differs && note === '') return null;
  return note === '' ? { type: 'close-session', counted } : { type: 'close-session', counted, note };
}

/** The form after the controller's answer: a differing count without a note shows the ledger and asks for one. */
export function afterCloseReply(state: CloseCount, reply: CommandReply): CloseCount {
  if (!reply.accepted && reply.code === 'count-note-required') return { ...state, mismatch: true };
  return state;
}

/** The count beside the ledger, per scheme: shown once the count is in (the mismatch, and the closed session). */
export interface SchemeComparison {
  readonly scheme: TransitScheme;
  readonly ledger: number;
  readonly counted: number | null;
}

export function comparison(session: ServiceSessionView, typed: TypedCount): SchemeComparison[] {
  return transitSchemes.map((scheme) => ({ scheme, ledger: session.stock[scheme].inHand, counted: blanksOf(typed[scheme]) }));
}

/** A close sent and accepted (done, or waiting for a supervisor's approval): remembered until the session is gone. */
export interface ClosingSession {
  readonly sessionId: string;
  readonly site: string;
  readonly counted: BlankCount;
  /** The ledger's blanks in hand when the count was sent (no card in the queue then, so they do not move). */
  readonly ledger: BlankCount;
}

export function closingOf(session: ServiceSessionView, command: Extract<KioskCommand, { type: 'close-session' }>): ClosingSession {
  return {
    sessionId: session.id,
    site: session.site,
    counted: command.counted,
    ledger: { easycard: session.stock.easycard.inHand, ipass: session.stock.ipass.inHand },
  };
}

/**
 * Whether the close went through: the snapshot no longer shows that session (an operator's close waits for
 * a supervisor's approval, so the reply alone does not say). Null while it is still open or none was sent.
 */
export function closedSession(pending: ClosingSession | null, current: ServiceSessionView | null): ClosingSession | null {
  if (pending === null) return null;
  return current === null || current.id !== pending.sessionId ? pending : null;
}

/** Where a session's report is downloaded: the reports route (kiosk/controller/api/report-routes.ts); the UI adds its token. */
export function sessionReportPath(sessionId: string, kind: 'pdf' | 'csv'): string {
  return `api/reports/${encodeURIComponent(sessionId)}/report.${kind}`;
}
