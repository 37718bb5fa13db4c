import { useEffect, useState } from 'react';
import type { Screen, ServiceSessionView } from '../../../../shared/contract/kiosk-api';
import { useT } from '../i18n';
import { CloseSessionForm } from './close-session-form';
import type { Send } from './open-session-form';
import type { SessionDeskView } from './session-bar';
import { closedSession, type ClosingSession } from './session-commands';
import { StockForm } from './stock-form';

/** Which session form is open over the screen, and the close sent that App shows once the session is gone. */
export interface SessionDeskState {
  readonly view: SessionDeskView | null;
  readonly open: (view: SessionDeskView) => void;
  readonly dismiss: () => void;
  readonly onClosing: (closing: ClosingSession) => void;
  /** The session just closed from this screen, until dismissed or the next session opens. */
  readonly closed: ClosingSession | null;
  readonly dismissClosed: () => void;
}

export function useSessionDesk(current: ServiceSessionView | null): SessionDeskState {
  const [view, setView] = useState<SessionDeskView | null>(null);
  const [closing, setClosing] = useState<ClosingSession | null>(null);
  const currentId = current?.id ?? null;
  useEffect(() => {
    // The session is gone (closed here or elsewhere): its forms go with it.
    if (currentId === null) setView(null);
    // A newer session is open: the last close has been seen.
    if (currentId !== null && closing !== null && currentId !== closing.sessionId) setClosing(null);
  }, [currentId, closing]);
  return {
    view,
    open: setView,
    dismiss: () => setView(null),
    onClosing: setClosing,
    closed: closedSession(closing, current),
    dismissClosed: () => setClosing(null),
  };
}

/** The session's forms over the screen: blanks in and out, or the closing count. `send` reports refusals to the form, which says them. */
export function SessionDesk({ view, session, screen, send, needsApproval, onClosing, onDismiss }: {
  view: SessionDeskView;
  session: ServiceSessionView;
  screen: Screen;
  send: Send;
  needsApproval: boolean;
  onClosing: (closing: ClosingSession) => void;
  onDismiss: () => void;
}) {
  const t = useT();
  return (
    <div className="session-desk" role="dialog" aria-modal="true" aria-label={t(view === 'close' ? 'closeSessionTitle' : 'stockTitle')} data-desk={view}>
      <div className="session-desk-box">
        {view === 'close' ? (
          <CloseSessionForm session={session} send={send} needsApproval={needsApproval} atHome={screen === 'home'} onClosing={onClosing} />
        ) : (
          <StockForm send={send} needsApproval={needsApproval} onDone={onDismiss} />
        )}
        <button type="button" className="secondary desk-dismiss" onClick={onDismiss}>{t('close')}</button>
      </div>
    </div>
  );
}
