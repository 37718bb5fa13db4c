import { storeLocationHelp } from '../../../kiosk/controller/store/cli-options';
import { openStoreForCli } from '../../../kiosk/controller/store/open-for-cli';
import { recordsLostProblem } from '../../../kiosk/controller/store/store-problem';
import type { KioskctlCommand } from '../main';
import { signInFor, staffSignInHelp, takeCard } from '../staff-sign-in';

const usage = `usage: kioskctl lost-records show|accept [--card <staff card number>]
  when the kiosk refuses to start because committed records are missing from its database (a cut-off WAL):
    show    what is missing (exit 1 while records are missing, 0 when none are)
    accept  a supervisor acknowledges the loss, after counting the blanks and the cash box against the
            last report: audited with the missing record numbers; the kiosk then starts again
  accept's sign-in: ${staffSignInHelp}
${storeLocationHelp}
`;

export const command: KioskctlCommand = {
  summary: 'show committed records missing from the store (a cut-off WAL), or a supervisor accepts the loss',
  async run(argv) {
    const args = [...argv];
    const card = takeCard(args);
    const [action, ...location] = args;
    if ((action !== 'show' && action !== 'accept') || (action === 'accept' && !card)) {
      process.stderr.write(usage);
      return 2;
    }
    const opened = await openStoreForCli(`lost-records ${action}`, location, { lostRecords: 'open' });
    if (!opened) return 1;
    const { store, rest } = opened;
    try {
      if (rest.length > 0) {
        process.stderr.write(usage);
        return 2;
      }
      const lost = store.lostRecords();
      if (!lost) {
        process.stdout.write('no committed records are missing: the store and its high-water mark agree\n');
        return action === 'show' ? 0 : 1;
      }
      if (action === 'show' || !card) {
        process.stdout.write(`${recordsLostProblem(lost)}\n`);
        return 1;
      }
      // The stock and the cash are the supervisor's: the same permission as putting the blanks' count right.
      const supervisor = await signInFor(store, 'lost-records accept', card, 'adjust-stock');
      if (!supervisor) return 1;
      try {
        const accepted = await store.acceptLostRecords(supervisor.operatorId);
        if (!accepted.ok) return 1;
        const { markSeq, foundSeq, auditSeq } = accepted.value;
        process.stdout.write(`accepted: audit records ${foundSeq + 1}–${markSeq} are lost (audit record ${auditSeq} says so); the kiosk may start\n`);
        return 0;
      } finally {
        await supervisor.signOut();
      }
    } finally {
      await store.close();
    }
  },
};
