import type { IssuingStep, KioskSnapshot } from '../../../../shared/contract/kiosk-api';
import { command } from '../command';
import { BilingualText, MessageText, useT } from '../i18n';

const steps: IssuingStep[] = ['printing', 'encoding', 'committing', 'verifying'];

export function IssuingScreen({ snapshot }: { snapshot: KioskSnapshot }) {
  const t = useT();
  const current = snapshot.issuing;
  return (
    <section className="issuing">
      <h2>{t('issuingTitle')}</h2>
      <ol className="steps" aria-live="polite">
        {steps.map((step) => {
          const state = current?.completed.includes(step) ? 'done' : current?.step === step ? 'active' : 'waiting';
          return (
            <li key={step} className={state} data-step={step} aria-current={state === 'active' ? 'step' : undefined}>
              {t.key(`step${step}`)}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

export function DoneScreen({ snapshot }: { snapshot: KioskSnapshot }) {
  const t = useT();
  return (
    <section className="done">
      <h2>{t('doneTitle')}</h2>
      <p className="take-card">{t('doneTakeCard')}</p>
      <dl className="summary">
        <dt>{t('cardNumber')}</dt>
        <dd data-testid="card-number">{snapshot.result?.cardNumber}</dd>
        <dt>{t('fieldCardType')}</dt>
        <dd>{t.key(`card${snapshot.result?.cardType ?? ''}`)}</dd>
      </dl>
      {snapshot.error && <p className="notice warn"><BilingualText text={snapshot.error.message} /></p>}
      <div className="actions">
        <button type="button" className="primary" onClick={() => command({ type: 'finish' })}>{t('finish')}</button>
      </div>
    </section>
  );
}

export function FailedScreen({ snapshot }: { snapshot: KioskSnapshot }) {
  const t = useT();
  return (
    <section className="failed">
      <h2>{t('failedTitle')}</h2>
      {snapshot.error && (
        <p className="notice error" role="alert" data-error-kind={snapshot.error.kind}>
          <StepErrorMessage error={snapshot.error} />
        </p>
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => command({ type: 'cancel' })}>{t('cancel')}</button>
        {snapshot.error?.canRetry && (
          <button type="button" className="primary" onClick={() => command({ type: 'retry' })}>{t('retry')}</button>
        )}
      </div>
    </section>
  );
}

function StepErrorMessage({ error }: { error: NonNullable<KioskSnapshot['error']> }) {
  return <MessageText message={error.message} />;
}
