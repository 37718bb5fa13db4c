import { useState } from 'react';
import type { ServiceSessionView } from '../../../../shared/contract/kiosk-api';
import { transitSchemes } from '../../../../shared/domain/card-types';
import type { RefusedReply } from '../commands/refusal-text';
import { useT } from '../i18n';
import { fieldValue } from './field-value';
import type { Send } from './open-session-form';
import { CountComparison } from './count-comparison';
import { RefusalLine } from './refusal-line';
import { afterCloseReply, closeCommand, closingOf, comparison, maxBlanks, startCount, type CloseCount, type ClosingSession } from './session-commands';
import { fill, schemeName } from './stock-words';

/**
 * Closing the session with a blind count: the supervisor counts the blanks left per scheme without
 * seeing the ledger's numbers. Only when the controller answers that the count differs are the ledger
 * and the count shown side by side, and a note asked for: the difference is booked, never absorbed.
 */
export function CloseSessionForm({
  session,
  send,
  needsApproval,
  atHome,
  onClosing,
  initial = startCount,
}: {
  session: ServiceSessionView;
  send: Send;
  needsApproval: boolean;
  /** An applicant on screen: the close waits until they are done. */
  atHome: boolean;
  onClosing: (closing: ClosingSession) => void;
  initial?: CloseCount;
}) {
  const t = useT();
  const [state, setState] = useState<CloseCount>(initial);
  const [sending, setSending] = useState(false);
  // Any other refusal (cards still in the queue, the role): said in the form. A differing count shows the ledger instead.
  const [refusal, setRefusal] = useState<RefusedReply | null>(null);
  const lines = comparison(session, state.counted);
  const ledger = state.mismatch ? { easycard: session.stock.easycard.inHand, ipass: session.stock.ipass.inHand } : undefined;
  const ready = atHome ? closeCommand(state, ledger) : null;
  // The note is needed while the count still differs from the ledger shown; a recount that agrees closes without one
  // (a `required` note would have the browser block that submit).
  const noteNeeded = state.mismatch && lines.some((line) => line.counted !== line.ledger);
  const submit = async (): Promise<void> => {
    if (!ready) return;
    setSending(true);
    try {
      const reply = await send(ready);
      // Accepted: closed, or (an operator) waiting for the supervisor: App knows it is closed when the session is gone.
      if (reply.accepted) onClosing(closingOf(session, ready));
      else setState((current) => afterCloseReply(current, reply));
      setRefusal(reply.accepted || reply.code === 'count-note-required' ? null : reply);
    } finally {
      setSending(false);
    }
  };
  return (
    <form
      className="session-form close-session"
      data-testid="close-session-form"
      data-count-mismatch={state.mismatch}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2>{t('closeSessionTitle')}</h2>
      <p className="session-hint">{t('closeSessionHint')}</p>
      {!atHome && <p className="notice warn" role="status">{t('closeSessionFinishApplicant')}</p>}
      <div className="session-fields">
        {transitSchemes.map((scheme) => (
          <label key={scheme}>
            {fill(t('closeSessionCounted'), { scheme: schemeName(t.locale, scheme) })}
            <input
              name={`counted-${scheme}`}
              type="number"
              inputMode="numeric"
              min={0}
              max={maxBlanks}
              step={1}
              value={state.counted[scheme]}
              onChange={(event) => setState({ ...state, counted: { ...state.counted, [scheme]: fieldValue(event) } })}
            />
          </label>
        ))}
      </div>
      {state.mismatch && (
        <div className="count-mismatch" role="alert">
          <p>{t('closeSessionMismatch')}</p>
          <CountComparison lines={lines} />
        </div>
      )}
      <label className="note">
        {t('closeSessionNote')}
        <textarea name="note" rows={2} maxLength={500} required={noteNeeded} value={state.note} onChange={(event) => setState({ ...state, note: fieldValue(event) })} />
      </label>
      <RefusalLine refusal={refusal} />
      <div className="session-submit">
        {needsApproval && <p className="session-hint">{t('sessionApprovalNote')}</p>}
        <button type="submit" className="primary" data-action="close-session" disabled={!ready || sending}>{t('closeSessionSubmit')}</button>
      </div>
    </form>
  );
}

/** +2, −1, 0: which way the count differs. */
export function signed(difference: number): string {
  if (difference > 0) return `+${difference}`;
  if (difference < 0) return `−${-difference}`;
  return '0';
}
