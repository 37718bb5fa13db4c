import { storeLocationHelp } from '../../../kiosk/controller/store/cli-options';
import { openStoreForCli } from '../../../kiosk/controller/store/open-for-cli';
import type { KioskctlCommand } from '../main';

const usage = `usage: kioskctl audit verify          recompute the hash chain; exit 1 naming the first broken row
       kioskctl audit list [--last N]   the newest audit rows (default 20), as JSON lines
${storeLocationHelp}
`;

export const command: KioskctlCommand = {
  summary: 'verify the hash-chained audit log, or list its newest rows',
  async run(argv) {
    const [verb, ...args] = argv;
    if (verb !== 'verify' && verb !== 'list') {
      process.stderr.write(usage);
      return 2;
    }
    const opened = await openStoreForCli('audit', args);
    if (!opened) return 1;
    const { store, rest } = opened;
    try {
      if (verb === 'verify') {
        const verified = await store.verifyAudit();
        if (verified.ok) {
          process.stdout.write(`audit chain intact: ${verified.value.rows} rows\n`);
          return 0;
        }
        process.stdout.write(`audit chain BROKEN at row ${verified.error.seq} (${verified.error.reason})\n`);
        return 1;
      }
      const lastIndex = rest.indexOf('--last');
      const last = lastIndex >= 0 ? Number(rest[lastIndex + 1]) : 20;
      if (!Number.isInteger(last) || last <= 0) {
        process.stderr.write(usage);
        return 2;
      }
      for (const row of await store.readAudit({ newest: true, limit: last })) process.stdout.write(`${JSON.stringify(row)}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
