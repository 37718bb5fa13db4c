import { storeLocationHelp } from '../../../kiosk/controller/store/cli-options';
import type { NoteCounts } from '../../../kiosk/controller/store/wallet-types';
import type { KioskctlCommand } from '../main';
import { runStoreReport } from '../store-report';

const usage = `usage: kioskctl reconcile [--json]
  the last count of the cash box (kioskctl cash-box count) against the notes the kiosk credited to cards
  and the notes it stacked (credited, or taken into an exception) since the count before it; each
  difference is named. Exit 0: everything agrees; 1: differences (or no count yet).
${storeLocationHelp}
`;

const counts = (notes: NoteCounts | null): string =>
  notes === null ? 'not counted' : Object.entries(notes).map(([note, n]) => `${n} × NT$${note}`).join(', ') || 'none';

export const command: KioskctlCommand = {
  summary: 'the cash-box count against notes credited and stacked; exit 1 naming each difference',
  run: (argv) =>
    runStoreReport('reconcile', usage, argv, async (store, json) => {
      const reconciliation = await store.wallet.reconcile();
      if (json) {
        process.stdout.write(`${JSON.stringify(reconciliation)}\n`);
      } else {
        const lines = [
          `since ${reconciliation.since ?? 'the start'}`,
          `counted in the box:    ${counts(reconciliation.counted)}`,
          `stacked by the kiosk:  ${counts(reconciliation.stacked)}`,
          `credited to cards:     ${counts(reconciliation.credited)}`,
          `in open exceptions:    ${counts(reconciliation.inDoubt)}`,
          reconciliation.differences.length === 0 ? 'everything agrees' : `${reconciliation.differences.length} difference(s):`,
          ...reconciliation.differences.map((difference) => `  - ${difference}`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      return reconciliation.differences.length === 0 ? 0 : 1;
    }),
};
