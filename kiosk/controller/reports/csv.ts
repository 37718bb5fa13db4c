import type { ReportFigures, SessionFigures } from '../../../shared/contract/report-figures';
import { transitSchemes } from '../../../shared/domain/card-types';

/**
 * The figures as CSV, one figure a line: `section,item,value` (English codes, so a spreadsheet or a
 * script reads them in any language). UTF-8 with a BOM: Excel opens the site's Chinese name right.
 */
export function figuresCsv(figures: ReportFigures): string {
  const lines: (readonly [string, string, string | number | boolean | null])[] = [];
  const add = (section: string, item: string, value: string | number | boolean | null): void => {
    lines.push([section, item, value]);
  };
  if (figures.kind === 'session') {
    add('session', 'id', figures.session.id);
    add('session', 'site', figures.session.site);
    add('session', 'mode', figures.session.mode);
    add('session', 'opened_at', figures.session.openedAt);
    add('session', 'closed_at', figures.session.closedAt);
  } else {
    add('period', 'from', figures.from);
    add('period', 'to', figures.to);
    add('period', 'sessions', figures.sessions);
  }
  const { cards } = figures;
  add('cards', 'issued', cards.issued);
  for (const [type, n] of Object.entries(cards.byCardType)) add('cards_by_type', type, n);
  for (const [scheme, n] of Object.entries(cards.byScheme)) add('cards_by_scheme', scheme, n);
  add('cards', 'replacements', cards.replacements);
  for (const [cause, n] of Object.entries(cards.replacementCauses).sort()) add('replacement_causes', cause, n);
  for (const method of ['cash', 'wallet', 'waived', 'unrecorded'] as const) {
    add('fees_count', method, cards.fees[method].count);
    add('fees_amount', method, cards.fees[method].amount);
  }
  add('cards', 'voided', cards.voided);
  add('spoilage', 'total', figures.spoilage.total);
  for (const [reason, n] of Object.entries(figures.spoilage.byReason)) add('spoilage_by_reason', reason, n);
  if (figures.kind === 'session') sessionLines(figures, add);
  else for (const day of figures.perDay) {
    add('per_day_issued', day.day, day.issued);
    add('per_day_replacements', day.day, day.replacements);
    add('per_day_spoiled', day.day, day.spoiled);
  }
  return `\uFEFFsection,item,value\r\n${lines.map((line) => line.map(cell).join(',')).join('\r\n')}\r\n`;
}

function sessionLines(figures: SessionFigures, add: (section: string, item: string, value: string | number | boolean | null) => void): void {
  for (const hour of figures.perHour) {
    for (const scheme of transitSchemes) add(`per_hour_${scheme}`, hour.hour, hour.byScheme[scheme]);
  }
  for (const stage of figures.stages) {
    add('stage_jobs', stage.stage, stage.jobs);
    add('stage_median_seconds', stage.stage, stage.medianSeconds);
    add('stage_mean_seconds', stage.stage, stage.meanSeconds);
    add('stage_max_seconds', stage.stage, stage.maxSeconds);
  }
  for (const scheme of transitSchemes) {
    for (const [item, value] of Object.entries(figures.ledger[scheme])) add(`ledger_${scheme}`, item, value);
  }
  add('ledger', 'reconciles', figures.reconciles);
  add('ledger', 'note', figures.session.note);
  figures.cardNumbers.forEach((cardNumber, index) => add('card_numbers', String(index + 1), cardNumber));
}

/** RFC 4180 quoting; a cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is quoted with a leading apostrophe. */
function cell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replaceAll('"', '""')}"` : safe;
}
