import { storeLocationHelp } from '../../../kiosk/controller/store/cli-options';
import { openStoreForCli } from '../../../kiosk/controller/store/open-for-cli';
import type { KioskctlCommand } from '../main';

/** Days after an issuance before its personal data and photo may go (once synced); a city setting. */
export const defaultRetentionDays = 90;

const usage = `usage: kioskctl purge --dry-run [--days N]   show what would be purged
       kioskctl purge --yes [--days N]       purge it (personal data and photos of synced issuances older than N days)
       N defaults to KIOSK_RETENTION_DAYS or ${defaultRetentionDays}
${storeLocationHelp}
`;

export const command: KioskctlCommand = {
  summary: 'purge personal data and photos past the retention period (--dry-run shows what would go)',
  async run(args) {
    const dryRun = args.includes('--dry-run');
    const confirmed = args.includes('--yes');
    const daysIndex = args.indexOf('--days');
    const days = Number(daysIndex >= 0 ? args[daysIndex + 1] : (process.env['KIOSK_RETENTION_DAYS'] ?? defaultRetentionDays));
    if (dryRun === confirmed || !Number.isFinite(days) || days < 0) {
      process.stderr.write(usage);
      return 2;
    }
    const storeArgs = args.filter((arg, i) => arg !== '--dry-run' && arg !== '--yes' && arg !== '--days' && (daysIndex < 0 || i !== daysIndex + 1));
    const opened = await openStoreForCli('purge', storeArgs);
    if (!opened) return 1;
    try {
      const report = await opened.store.purge({ retentionDays: days, dryRun, operatorId: null });
      const verb = dryRun ? 'would purge' : 'purged';
      process.stdout.write(
        `${verb}, for issuances before ${report.cutoff} (${days} days) that reached the registry:\n` +
          `  personal data of ${report.cardholders} cardholders\n  ${report.photos} photos\n` +
          `  ${report.jobContexts} closed job journals\n  ${report.outboxPayloads} synced outbox payloads\n`,
      );
      for (const entry of report.sample) process.stdout.write(`  cardholder ${entry.cardholderId} (last card ${entry.lastIssuedAt})\n`);
      if (report.cardholders > report.sample.length) process.stdout.write(`  ... and ${report.cardholders - report.sample.length} more\n`);
      return 0;
    } finally {
      await opened.store.close();
    }
  },
};
