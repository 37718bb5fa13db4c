import { storeLocationHelp } from '../../../kiosk/controller/store/cli-options';
import type { PendingCredit, WalletException } from '../../../kiosk/controller/store/wallet-types';
import type { KioskctlCommand } from '../main';
import { runStoreReport } from '../store-report';
import { last4, table } from '../wallet-text';

const usage = `usage: kioskctl pending [--json]
  credits waiting for their card (the chip's balance is behind the ledger: the card's next tap writes it)
  and money exceptions waiting for a supervisor (settle them with kioskctl settle). Numbers only: card
  last 4, amounts, kinds, ids.
${storeLocationHelp}
`;

export const command: KioskctlCommand = {
  summary: 'credits waiting for their card and money exceptions waiting for a supervisor',
  run: (argv) =>
    runStoreReport('pending', usage, argv, async (store, json) => {
      const credits = await store.wallet.pendingCredits();
      const exceptions = await store.wallet.exceptions({ open: true });
      if (json) {
        process.stdout.write(`${JSON.stringify({ credits: credits.map(creditJson), exceptions: exceptions.map(exceptionJson) })}\n`);
        return 0;
      }
      process.stdout.write(summary(credits, exceptions));
      return 0;
    }),
};

const creditJson = (credit: PendingCredit) => ({ card: last4(credit.cardNumber), amount: credit.amount, ledgerCounter: credit.ledgerCounter, chipCounter: credit.confirmedCounter });

const exceptionJson = (exception: WalletException) => ({
  id: exception.id,
  kind: exception.kind,
  card: exception.cardNumber === null ? null : last4(exception.cardNumber),
  amount: exception.amount,
  journalId: exception.journalId,
  openedAt: exception.openedAt,
});

function summary(credits: readonly PendingCredit[], exceptions: readonly WalletException[]): string {
  const lines: string[] = [];
  lines.push(`pending credits: ${credits.length} (the card's next tap at this kiosk writes them to the chip)`);
  if (credits.length > 0) {
    lines.push(...table(['card', 'amount NT$', 'ledger counter', 'chip counter'], credits.map((credit) => [`…${last4(credit.cardNumber)}`, String(credit.amount), String(credit.ledgerCounter), String(credit.confirmedCounter)])));
  }
  lines.push(`open exceptions: ${exceptions.length}${exceptions.length > 0 ? ' (kioskctl settle <id> --as credited|refunded|no-money|card-corrected)' : ''}`);
  if (exceptions.length > 0) {
    lines.push(
      ...table(
        ['id', 'kind', 'card', 'amount NT$', 'journal id', 'opened'],
        exceptions.map((e) => [e.id, e.kind, e.cardNumber === null ? '–' : `…${last4(e.cardNumber)}`, e.amount === null ? '–' : String(e.amount), e.journalId ?? '–', e.openedAt]),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
