import { storeLocationHelp } from '../../../kiosk/controller/store/cli-options';
import { openStoreForCli } from '../../../kiosk/controller/store/open-for-cli';
import type { KioskctlCommand } from '../main';
import { signInFor, staffSignInHelp, takeCard } from '../staff-sign-in';
import { parseCounts } from '../wallet-text';

/** The New Taiwan dollar notes a count may name (the validator takes 100, 500 and 1000 by default). */
const ntNotes = [100, 200, 500, 1000, 2000];

const usage = `usage: kioskctl cash-box open --card <staff card number>
       kioskctl cash-box count 100=12 500=3 1000=4 --card <staff card number>
  a supervisor records opening the cash box, and the notes counted in it by denomination (the box is
  emptied at each count; kioskctl reconcile compares the count with the notes the kiosk credited and stacked).
  Notes: ${ntNotes.join(', ')}. Both are audited under the supervisor's id.
  sign-in: ${staffSignInHelp}
${storeLocationHelp}
`;

export const command: KioskctlCommand = {
  summary: 'a supervisor opens the cash box or counts its notes by denomination, audited',
  async run(argv) {
    const args = [...argv];
    const card = takeCard(args);
    const [verb, ...rest0] = args;
    if (!card || (verb !== 'open' && verb !== 'count')) {
      process.stderr.write(usage);
      return 2;
    }
    const opened = await openStoreForCli('cash-box', rest0);
    if (!opened) return 1;
    const { store, rest } = opened;
    try {
      const parsed = verb === 'count' ? parseCounts(rest, ntNotes) : rest.length === 0 ? { counts: {} } : { bad: rest[0] ?? '' };
      if ('bad' in parsed || (verb === 'count' && rest.length === 0)) {
        if ('bad' in parsed) process.stderr.write(`kioskctl cash-box: not a count: ${parsed.bad} (write <note>=<count>, e.g. 500=3, each note once)\n`);
        process.stderr.write(usage);
        return 2;
      }
      const supervisor = await signInFor(store, 'cash-box', card, 'open-cash-box');
      if (!supervisor) return 1;
      try {
        if (verb === 'open') {
          await store.wallet.recordCashBox({ kind: 'opened' }, supervisor.operatorId);
          process.stdout.write('cash box opening recorded\n');
        } else {
          await store.wallet.recordCashBox({ kind: 'counted', counts: parsed.counts }, supervisor.operatorId);
          const total = Object.entries(parsed.counts).reduce((sum, [note, n]) => sum + Number(note) * n, 0);
          process.stdout.write(`count recorded: ${Object.entries(parsed.counts).map(([note, n]) => `${n} × NT$${note}`).join(', ')} = NT$${total}\n`);
        }
        return 0;
      } finally {
        await supervisor.signOut();
      }
    } finally {
      await store.close();
    }
  },
};
