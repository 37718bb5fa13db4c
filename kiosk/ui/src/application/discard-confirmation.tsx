import { useEffect, useRef } from 'react';
import { command } from '../command';
import { useT } from '../i18n';

/**
 * "Discard this application?": the controller's question after Cancel on a scanned or photographed
 * application (the issuance machine's `confirmingDiscard`), on whichever screen it was tapped. Keeping
 * it is the first choice and has the focus; discarding is the second tap.
 */
export function DiscardConfirmation() {
  const t = useT();
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => keep.current?.focus(), []);
  return (
    <div className="discard-backdrop">
      <div className="discard-dialog" role="alertdialog" aria-modal="true" aria-labelledby="discard-title" aria-describedby="discard-body" data-testid="confirm-discard">
        <h2 id="discard-title">{t('discardTitle')}</h2>
        <p id="discard-body">{t('discardBody')}</p>
        <div className="actions">
          <button type="button" className="danger" data-action="confirm-discard" onClick={() => command({ type: 'confirm-discard' })}>
            {t('discardConfirm')}
          </button>
          <button type="button" className="primary" ref={keep} data-action="keep-application" onClick={() => command({ type: 'keep-application' })}>
            {t('discardKeep')}
          </button>
        </div>
      </div>
    </div>
  );
}
