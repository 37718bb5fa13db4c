import type { Store } from '../../kiosk/controller/store/store';
import { openStoreForCli } from '../../kiosk/controller/store/open-for-cli';

/**
 * A read-only report on the store (`pending`, `reconcile`): `--json` anywhere, no other argument than
 * the store's location; the store is closed afterwards whatever happens. Returns the exit status.
 */
export async function runStoreReport(name: string, usage: string, argv: readonly string[], report: (store: Store, json: boolean) => Promise<number>): Promise<number> {
  const args = argv.filter((arg) => arg !== '--json');
  const json = args.length !== argv.length;
  const opened = await openStoreForCli(name, args);
  if (!opened) return 1;
  const { store, rest } = opened;
  try {
    if (rest.length > 0) {
      process.stderr.write(usage);
      return 2;
    }
    return await report(store, json);
  } finally {
    await store.close();
  }
}
