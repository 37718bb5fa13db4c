import { parseArgs } from 'node:util';
import { openCardPrinter } from '../../../hardware/printer/driver';
import type { CardPrinter, PrinterError, PrinterStatus } from '../../../hardware/printer/types';
import { isoDay, systemClock } from '../../../shared/clock';
import { renderCardFace } from '../../../kiosk/controller/card-face/render-card-face';
import type { KioskctlCommand } from '../main';

/**
 * `kioskctl printer <status|eject|reject|test-card> --port <path> [--json]`: talks to the card
 * printer directly (stop the kiosk first: one program owns the port).
 *   status     ribbon type and prints left, card position, cover and feeder; exit 1 when the printer
 *              cannot print now (unreachable, cover open, feeder empty, ribbon at its end)
 *   eject      eject the card inside to the exit slot
 *   reject     send the card inside to the reject box
 *   test-card  print a sample card (no personal data), park it at the contactless station, eject it
 */
const usage = 'usage: kioskctl printer <status|eject|reject|test-card> --port <path> [--json]\n';
const actions = ['status', 'eject', 'reject', 'test-card'] as const;
type Action = (typeof actions)[number];

export const command: KioskctlCommand = {
  summary: 'card printer: status (ribbon, cards, cover, feeder), eject, reject, test-card',
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { port: { type: 'string' }, json: { type: 'boolean', default: false } } });
    } catch {
      process.stderr.write(usage);
      return 2;
    }
    const [action] = parsed.positionals;
    const port = parsed.values.port;
    if (!port || !(actions as readonly string[]).includes(action ?? '') || parsed.positionals.length > 1) {
      process.stderr.write(usage);
      return 2;
    }
    const printer = await openCardPrinter({ path: port, pollIntervalMs: 0, reopenIntervalMs: 60_000 });
    try {
      return await perform(action as Action, printer, parsed.values.json);
    } finally {
      await printer.close();
    }
  },
};

async function perform(action: Action, printer: CardPrinter, json: boolean): Promise<number> {
  switch (action) {
    case 'status': {
      const status = await printer.status();
      if (!status.ok) return fail(status.error, json);
      const problems = readinessProblems(status.value);
      if (json) process.stdout.write(`${JSON.stringify({ ...status.value, ready: problems.length === 0, problems })}\n`);
      else process.stdout.write(describe(status.value, problems));
      return problems.length === 0 ? 0 : 1;
    }
    case 'eject':
    case 'reject': {
      const result = action === 'eject' ? await printer.ejectCard() : await printer.rejectCard();
      if (!result.ok) return fail(result.error, json);
      process.stdout.write(json ? `${JSON.stringify({ ok: true })}\n` : `card ${action === 'eject' ? 'ejected' : 'sent to the reject box'}\n`);
      return 0;
    }
    case 'test-card': {
      const face = await renderCardFace({
        cardType: 'general',
        scheme: 'easycard',
        holderName: '測試卡 TEST CARD',
        cardNumber: '0000000000000000',
        issueDate: isoDay(systemClock), // the kiosk's day, not UTC's (before 08:00 in Taipei, UTC is still yesterday)
        printBack: false, // one ribbon print
      });
      if (!face.ok) throw new Error(`the sample card did not render: ${face.error.kind}`);
      const printed = await printer.printCard(face.value.job);
      if (!printed.ok) return fail(printed.error, json);
      const ejected = await printer.ejectCard();
      if (!ejected.ok) return fail(ejected.error, json);
      process.stdout.write(json ? `${JSON.stringify({ ok: true, ...printed.value })}\n` : `test card printed (${printed.value.panels} panels, ${printed.value.bytesSent} bytes) and ejected\n`);
      return 0;
    }
  }
}

function readinessProblems(status: PrinterStatus): string[] {
  const problems: string[] = [];
  if (status.cover !== 'closed') problems.push('cover open');
  if (status.feeder !== 'loaded') problems.push('feeder empty');
  if (status.ribbonAtEnd || status.printsLeft === 0) problems.push('ribbon at its end');
  if (status.card !== 'none') problems.push('a card is inside (eject or reject it)');
  return problems;
}

function describe(status: PrinterStatus, problems: string[]): string {
  return [
    `printer      ${problems.length === 0 ? 'ready' : `not ready: ${problems.join(', ')}`}`,
    `ribbon       ${status.ribbon}, ${status.printsLeft ?? 'unknown'} prints (cards) left${status.ribbonAtEnd ? ' (at its end mark)' : ''}`,
    `feeder       ${status.feeder === 'loaded' ? 'cards loaded' : status.feeder}`,
    `cover        ${status.cover}`,
    `card         ${status.card === 'none' ? 'none inside' : status.card}`,
    `exit slot    ${status.output === 'card' ? 'a card waits to be taken' : status.output}`,
    '',
  ].join('\n');
}

const advice: Record<PrinterError['kind'], string> = {
  feeder_empty: 'load blank cards into the feeder',
  ribbon_out: 'replace the ribbon',
  cover_open: 'close the cover',
  jam: 'open the cover and remove the jammed card',
  hopper_full: 'empty the output hopper',
  need_cleaning: 'run a cleaning card',
  head_error: 'call service: print head fault',
  unknown_command: 'this printer model does not support the command',
  rejected: 'the printer refused the command',
  timeout: 'no reply: is the printer switched on?',
  bad_reply: 'unreadable reply: check the cable and the port',
  disconnected: 'the port cannot be opened: check the cable and --port',
  closed: 'closed',
};

function fail(error: PrinterError, json: boolean): number {
  if (json) process.stdout.write(`${JSON.stringify({ ok: false, error })}\n`);
  else process.stderr.write(`kioskctl printer: ${error.kind}${'command' in error && error.command ? ` (${error.command})` : ''}: ${advice[error.kind]}\n`);
  return 1;
}
