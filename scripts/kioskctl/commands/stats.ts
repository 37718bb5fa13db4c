import type { ReportFigures } from '../../../shared/contract/report-figures';
import { figuresOfPeriod, figuresOfSession } from '../../../kiosk/controller/reports/from-store';
import { storeLocationHelp } from '../../../kiosk/controller/store/cli-options';
import { openStoreForCli } from '../../../kiosk/controller/store/open-for-cli';
import type { KioskctlCommand } from '../main';

const usage = `usage: kioskctl stats [--json] [--session ID | --from YYYY-MM-DD --to YYYY-MM-DD]
  the figures of a service session (default: the newest), or of the local days from..to (both included):
  cards by card type and scheme, replacements, fees by how they were settled, spoilage by reason; a session adds cards per hour, time per
  applicant by stage and its stock ledger. Counts and card numbers only, never personal data.
  --json   one JSON object (shared/contract/report-figures.ts) instead of a summary
${storeLocationHelp}
`;

/** The value after `flag`, removed from `args` with it; undefined when absent, null when the value is missing. */
function take(args: string[], flag: string): string | null | undefined {
  const index = args.indexOf(flag);
  if (index < 0) return undefined;
  const value = args[index + 1];
  args.splice(index, 2);
  return value === undefined || value.startsWith('--') ? null : value;
}

export const command: KioskctlCommand = {
  summary: 'figures of a service session or a period (cards, stages, spoilage, stock), --json for scripts',
  async run(argv) {
    const args = [...argv];
    const jsonIndex = args.indexOf('--json');
    const json = jsonIndex >= 0;
    if (json) args.splice(jsonIndex, 1);
    const session = take(args, '--session');
    const from = take(args, '--from');
    const to = take(args, '--to');
    const period = from !== undefined || to !== undefined;
    if (session === null || from === null || to === null || (period && (from === undefined || to === undefined)) || (period && session !== undefined)) {
      process.stderr.write(usage);
      return 2;
    }
    const opened = await openStoreForCli('stats', args);
    if (!opened) return 1;
    const { store, rest } = opened;
    try {
      if (rest.length > 0) {
        process.stderr.write(usage);
        return 2;
      }
      let figures: ReportFigures;
      if (period) {
        const found = await figuresOfPeriod(store, from ?? '', to ?? '');
        if (!found.ok) {
          process.stderr.write(`kioskctl stats: ${found.error.kind === 'invalid_date' ? `not a date: ${found.error.text} (YYYY-MM-DD)` : '--from is after --to'}\n`);
          return 2;
        }
        figures = found.value;
      } else {
        const id = session ?? (await store.reportRows.sessions(1))[0]?.id;
        const found = id ? await figuresOfSession(store, id) : null;
        if (!found) {
          process.stderr.write(`kioskctl stats: ${id ? `no session ${id}` : 'no service session yet'}\n`);
          return 1;
        }
        figures = found;
      }
      process.stdout.write(json ? `${JSON.stringify(figures)}\n` : summary(figures));
      return 0;
    } finally {
      await store.close();
    }
  },
};

function summary(figures: ReportFigures): string {
  const { cards } = figures;
  const counts = (record: Readonly<Record<string, number>>): string =>
    Object.entries(record)
      .filter(([, n]) => n > 0)
      .map(([key, n]) => `${key} ${n}`)
      .join(', ') || 'none';
  const lines = [
    figures.kind === 'session'
      ? `session ${figures.session.id} at ${figures.session.site} (${figures.session.mode}), ${figures.session.openedAt} – ${figures.session.closedAt ?? 'open'}`
      : `${figures.from} to ${figures.to}: ${figures.sessions} session(s)`,
    `cards issued ${cards.issued} (replacements ${cards.replacements}, voided ${cards.voided})`,
    `  by card type: ${counts(cards.byCardType)}`,
    `  by scheme: ${counts(cards.byScheme)}`,
    `fees: paid cash ${cards.fees.cash.count} (NT$${cards.fees.cash.amount}), paid e-wallet ${cards.fees.wallet.count} (NT$${cards.fees.wallet.amount}), ` +
      `waived ${cards.fees.waived.count} (NT$${cards.fees.waived.amount})${cards.fees.unrecorded.count > 0 ? `, not recorded ${cards.fees.unrecorded.count} (NT$${cards.fees.unrecorded.amount})` : ''}`,
    `spoiled ${figures.spoilage.total}: ${counts(figures.spoilage.byReason)}`,
  ];
  if (figures.kind === 'session') {
    for (const stage of figures.stages) lines.push(`stage ${stage.stage}: median ${stage.medianSeconds ?? '–'} s over ${stage.jobs}`);
    for (const [scheme, line] of Object.entries(figures.ledger)) {
      lines.push(`ledger ${scheme}: loaded ${line.loaded}, issued ${line.issued}, spoiled ${line.spoiled}, returned ${line.returned}, left ${line.left}, counted ${line.counted ?? '–'}`);
    }
    lines.push(figures.reconciles ? 'the ledger reconciles' : 'the ledger does NOT reconcile (or the session is open)');
  }
  return `${lines.join('\n')}\n`;
}
