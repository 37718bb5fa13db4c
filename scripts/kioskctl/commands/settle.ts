import { storeLocationHelp } from '../../../kiosk/controller/store/cli-options';
import { openStoreForCli } from '../../../kiosk/controller/store/open-for-cli';
import type { Settlement, WalletError } from '../../../kiosk/controller/store/wallet-types';
import type { KioskctlCommand } from '../main';
import { signInFor, staffSignInHelp, takeCard } from '../staff-sign-in';
import { last4 } from '../wallet-text';

const settlements: readonly Settlement[] = ['credited', 'refunded', 'no-money', 'card-corrected'];

const usage = `usage: kioskctl settle <exception id> --as ${settlements.join('|')} --card <staff card number>
  a supervisor settles a money exception (kioskctl pending lists them), audited under their id:
    credited        the money was taken: it is credited to the card's wallet now (an adjustment in the ledger)
    refunded        the money was handed back to the citizen in cash
    no-money        no note was taken after all (the count or the validator shows it)
    card-corrected  the chip's wallet was put right (a mirror ahead of the ledger, a bad MAC)
  sign-in: ${staffSignInHelp}
${storeLocationHelp}
`;

const isSettlement = (value: string | undefined): value is Settlement => settlements.includes(value as Settlement);

function problem(error: WalletError): string {
  switch (error.kind) {
    case 'exception_not_found':
      return `no exception ${error.id} (kioskctl pending lists the open ones)`;
    case 'already_settled':
      return `exception ${error.id} was settled before: nothing changed`;
    case 'cannot_credit':
      return `exception ${error.id} names no ${error.missing}: it cannot be credited; settle it as refunded, no-money or card-corrected`;
    default:
      return `cannot settle: ${error.kind}`;
  }
}

export const command: KioskctlCommand = {
  summary: 'a supervisor settles a money exception (credited, refunded, no-money, card-corrected), audited',
  async run(argv) {
    const args = [...argv];
    const card = takeCard(args);
    const asIndex = args.indexOf('--as');
    const [, settlement] = asIndex >= 0 ? args.splice(asIndex, 2) : [];
    if (!card || !isSettlement(settlement)) {
      process.stderr.write(usage);
      return 2;
    }
    const opened = await openStoreForCli('settle', args);
    if (!opened) return 1;
    const { store, rest } = opened;
    try {
      const [id, ...extra] = rest;
      if (!id || extra.length > 0) {
        process.stderr.write(usage);
        return 2;
      }
      const supervisor = await signInFor(store, 'settle', card, 'settle-money-exception');
      if (!supervisor) return 1;
      try {
        const settled = await store.wallet.settleException({ id, settlement, operatorId: supervisor.operatorId });
        if (!settled.ok) {
          process.stderr.write(`kioskctl settle: ${problem(settled.error)}\n`);
          return 1;
        }
        const e = settled.value;
        const credit = settlement === 'credited' && e.cardNumber !== null ? `: NT$${e.amount ?? 0} credited to card …${last4(e.cardNumber)} (the next tap writes it to the chip)` : '';
        process.stdout.write(`settled ${e.id} (${e.kind}) as ${settlement}${credit}\n`);
        return 0;
      } finally {
        await supervisor.signOut();
      }
    } finally {
      await store.close();
    }
  },
};
