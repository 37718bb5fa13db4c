import type { JobSummaryView } from '../../../../shared/contract/job-progress';
import { cardNumberInGroups } from '../../../../shared/domain/card-number-groups';
import type { Locale } from '../../../../shared/i18n/messages';
import { useWordsIn } from './words';

/**
 * The done view of a card at the exit: a success mark, the card number grouped as the card face prints it,
 * the card's type, scheme and expiry, the chip's check, and the fee. Reusable on the applicant's screen
 * (its `locale`); it is given only what the job's own operator may see (the controller hides the rest).
 */
export function DoneView({ cardNumber, summary, locale }: { cardNumber: string | null; summary: JobSummaryView | null; locale?: Locale }) {
  const { say } = useWordsIn(locale);
  return (
    <section className="done-view" data-testid="done-view" aria-label={say('doneTitle')}>
      <p className="done-title">
        <span className="done-mark" aria-hidden="true">✓</span>
        <span>{say('doneTitle')}</span>
      </p>
      <dl className="done-facts">
        {cardNumber && (
          <div>
            <dt>{say('doneCardNumber')}</dt>
            <dd className="job-card-number" data-testid="job-card-number">{cardNumberInGroups(cardNumber)}</dd>
          </div>
        )}
        {summary && (
          <>
            <div>
              <dt>{say('doneCardType')}</dt>
              <dd data-testid="done-card-type">{say(`card${summary.cardType}`)}</dd>
            </div>
            <div>
              <dt>{say('doneScheme')}</dt>
              <dd data-testid="done-scheme">{say(`scheme${summary.scheme}`)}</dd>
            </div>
            <div>
              <dt>{say('doneExpiry')}</dt>
              <dd data-testid="done-expiry"><time dateTime={summary.expiry}>{summary.expiry}</time></dd>
            </div>
            <div>
              <dt className="visually-hidden">{say('doneChipVerified')}</dt>
              <dd className={summary.chipVerified ? 'done-chip verified' : 'done-chip'} data-testid="done-chip" data-verified={summary.chipVerified}>
                <span aria-hidden="true">{summary.chipVerified ? '✓ ' : '✕ '}</span>
                {say(summary.chipVerified ? 'doneChipVerified' : 'doneChipNotVerified')}
              </dd>
            </div>
            {summary.fee && (
              <div>
                <dt>{say('doneFee')}</dt>
                <dd data-testid="done-fee">{feeWords(summary.fee, say)}</dd>
              </div>
            )}
          </>
        )}
      </dl>
    </section>
  );
}

/** "Free", or the amount with how it was settled once the fee desk recorded it ("NT$94 · paid in cash"). */
function feeWords(fee: NonNullable<JobSummaryView['fee']>, say: ReturnType<typeof useWordsIn>['say']): string {
  if (fee.amount === 0) return say('doneFeeFree');
  const amount = say('doneFeeAmount', { n: fee.amount });
  return fee.method ? `${amount} · ${say(`doneFee${fee.method}`)}` : amount;
}
