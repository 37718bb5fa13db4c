import { useState } from 'react';
import type { SessionView } from '../../../../shared/contract/kiosk-api';
import { command } from '../command';
import { MessageText, useT } from '../i18n';

/** Staff sign-in: tap the staff card, then type the PIN on a large keypad. */
export function SignInScreen({ session }: { session: SessionView }) {
  const t = useT();
  return (
    <section className="sign-in" data-session={session.state}>
      <h2>{t('signInTitle')}</h2>
      {session.state === 'pin' ? (
        <PinPad onCancel={() => command({ type: 'cancel-pin' })} />
      ) : (
        <p className="tap-card" role="status">
          <span className="card-icon" aria-hidden="true">▭</span>
          {t('signInTapCard')}
        </p>
      )}
      {session.message && (
        <p className="notice warn" role="alert"><MessageText message={session.message} /></p>
      )}
    </section>
  );
}

/** A supervisor's approval on top of the current screen: their card, then their PIN. */
export function ApprovalPrompt({ session }: { session: SessionView }) {
  const t = useT();
  if (!session.approval) return null;
  return (
    <div className="approval" role="dialog" aria-modal="true" aria-label={t('approvalTitle')}>
      <div className="approval-box">
        <h2>{t('approvalTitle')}</h2>
        {session.approval.state === 'pin' ? (
          <PinPad onCancel={() => command({ type: 'cancel-pin' })} />
        ) : (
          <>
            <p className="tap-card" role="status">{t('approvalTapCard')}</p>
            <div className="actions">
              <button type="button" className="secondary" onClick={() => command({ type: 'cancel-pin' })}>{t('signInCancel')}</button>
            </div>
          </>
        )}
        {session.message && <p className="notice warn" role="alert"><MessageText message={session.message} /></p>}
      </div>
    </div>
  );
}

function PinPad({ onCancel }: { onCancel: () => void }) {
  const t = useT();
  const [pin, setPin] = useState('');
  const press = (digit: string): void => setPin((current) => (current.length < 12 ? current + digit : current));
  const submit = async (): Promise<void> => {
    const entered = pin;
    setPin('');
    // The session's message says why a PIN was refused; only "cannot be reached" needs the notice.
    await command({ type: 'enter-pin', pin: entered }, 'unreachable-only');
  };
  return (
    <div className="pin-pad">
      <p>{t('signInEnterPin')}</p>
      <output className="pin-dots" aria-label={`${pin.length} digits`}>{'●'.repeat(pin.length) || '\u00a0'}</output>
      <div className="pin-keys">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((digit) => (
          <button key={digit} type="button" onClick={() => press(digit)}>{digit}</button>
        ))}
        <button type="button" className="secondary" onClick={() => setPin('')}>{t('pinClear')}</button>
        <button type="button" onClick={() => press('0')}>0</button>
        <button type="button" className="primary" disabled={pin.length < 4} onClick={submit}>{t('pinOk')}</button>
      </div>
      <div className="actions">
        <button type="button" className="secondary" onClick={onCancel}>{t('signInCancel')}</button>
      </div>
    </div>
  );
}
