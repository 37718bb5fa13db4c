import type { PeriodFigures, SessionFigures } from '../../../shared/contract/report-figures';
import { compareDates, parseIsoDate } from '../../../shared/domain/calendar-date';
import { err, ok, type Result } from '../../../shared/result';
import type { Store } from '../store/store';
import { periodFigures, sessionFigures } from './figures';
import { localDaysToInstants } from './local-time';

/** A session's figures from the store; null when there is no such session. */
export async function figuresOfSession(store: Pick<Store, 'reportRows'>, sessionId: string): Promise<SessionFigures | null> {
  const rows = await store.reportRows.session(sessionId);
  return rows ? sessionFigures(rows) : null;
}

export type PeriodError = { readonly kind: 'invalid_date'; readonly text: string } | { readonly kind: 'reversed_period' };

/** The figures of the local days `from` to `to` (`YYYY-MM-DD`, both included). */
export async function figuresOfPeriod(store: Pick<Store, 'reportRows'>, fromText: string, toText: string): Promise<Result<PeriodFigures, PeriodError>> {
  const from = parseIsoDate(fromText);
  if (!from) return err({ kind: 'invalid_date', text: fromText });
  const to = parseIsoDate(toText);
  if (!to) return err({ kind: 'invalid_date', text: toText });
  if (compareDates(from, to) > 0) return err({ kind: 'reversed_period' });
  const { fromIso, toIso } = localDaysToInstants(from, to);
  return ok(periodFigures(await store.reportRows.period(fromIso, toIso), from, to, fromText, toText));
}
