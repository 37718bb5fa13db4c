import type { FeeFigures } from '../../../../shared/contract/report-figures';
import type { Label } from '../reports/charts';
import { Tile } from '../reports/tile';

/** The report's fee tiles (issue 16): fees paid in cash, from e-wallets and waived — how many, and the NT$ beside. */
export function FeeTiles({ fees, label, testId }: { fees: FeeFigures; label: Label; testId: string }) {
  const line = (key: string, total: FeeFigures['cash']): string => `${label(key)} · NT$${total.amount.toLocaleString('en-US')}`;
  return (
    <>
      <Tile label={line('reportFeesCash', fees.cash)} value={fees.cash.count} testId={`${testId}-fees-cash`} />
      <Tile label={line('reportFeesWallet', fees.wallet)} value={fees.wallet.count} testId={`${testId}-fees-wallet`} />
      <Tile label={line('reportFeesWaived', fees.waived)} value={fees.waived.count} testId={`${testId}-fees-waived`} />
    </>
  );
}
