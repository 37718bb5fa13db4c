import { configFrom, retentionDaysFrom, storeLocationHelp } from '../../../kiosk/controller/store/cli-options';
import { openStoreForCli } from '../../../kiosk/controller/store/open-for-cli';
import type { KioskctlCommand } from '../main';

const usage = `usage: kioskctl purge --dry-run [--days N]   show what would be purged
       kioskctl purge --yes [--days N]       purge it (personal data and photos of synced issuances older than N days)
       N defaults to the controller's retentionDays (<dataDir>/kiosk.config.json or KIOSK_RETENTION_DAYS; 90)
${storeLocationHelp}
`;

export const command: KioskctlCommand = {
  summary: 'purge personal data and photos past the retention period (--dry-run shows what would go)',
  async run(args) {
    const dryRun = args.includes('--dry-run');
    const confirmed = args.includes('--yes');
    const daysIndex = args.indexOf('--days');
    const daysFlag = daysIndex >= 0 ? (args[daysIndex + 1] ?? '') : undefined;
    if (dryRun === confirmed || (daysFlag !== undefined && !/^\d+$/.test(daysFlag))) {
      process.stderr.write(usage);
      return 2;
    }
    // One reading of the configuration for the store and the days, as the controller reads it.
    const config = configFrom(process.env);
    let days: number;
    try {
      days = retentionDaysFrom(daysFlag, config);
    } catch (error) {
      process.stderr.write(`kioskctl purge: ${(error as Error).message}\n`);
      return 1;
    }
    const storeArgs = args.filter((arg, i) => arg !== '--dry-run' && arg !== '--yes' && arg !== '--days' && (daysIndex < 0 || i !== daysIndex + 1));
    const opened = await openStoreForCli('purge', storeArgs, { config });
    if (!opened) return 1;
    try {
      const report = await opened.store.purge({ retentionDays: days, dryRun, operatorId: null });
      const verb = dryRun ? 'would purge' : 'purged';
      process.stdout.write(
        `${verb}, for issuances before ${report.cutoff} (${days} days) that reached the registry:\n` +
          `  personal data of ${report.cardholders} cardholders\n  ${report.photos} photos\n` +
          `  ${report.jobContexts} closed job journals\n  ${report.outboxPayloads} synced outbox payloads\n  ${report.batchRows} rows of imported lists\n`,
      );
      for (const entry of report.sample) process.stdout.write(`  cardholder ${entry.cardholderId} (last card ${entry.lastIssuedAt})\n`);
      if (report.cardholders > report.sample.length) process.stdout.write(`  ... and ${report.cardholders - report.sample.length} more\n`);
      return 0;
    } finally {
      await opened.store.close();
    }
  },
};
