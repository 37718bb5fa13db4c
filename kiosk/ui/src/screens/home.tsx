import type { ReactNode } from 'react';
import type { KioskSnapshot } from '../../../../shared/contract/kiosk-api';
import { BatchPanel } from '../batch/batch-panel';
import { command } from '../command';
import { roleRefusalText } from '../commands/refusal-text';
import { MessageText, useT } from '../i18n';

/** `noSession`: what the home shows while no service session is open (the last one closed, the form to open one). */
export function HomeScreen({ snapshot, noSession }: { snapshot: KioskSnapshot; noSession?: ReactNode }) {
  const t = useT();
  const closed = snapshot.outOfService;
  const role = snapshot.session.operator?.role;
  // The permission table, as the controller applies it: say so before anyone taps.
  const notForRole = !snapshot.session.mayStartApplication && role !== undefined;
  // No card is made outside a service session: the form to open one comes first.
  const sessionMissing = snapshot.serviceSession === null;
  return (
    <section className="home">
      {closed && (
        <div className="out-of-service" role="alert">
          <MessageText message={closed} />
          {snapshot.session.mayClearTamper && (
            <button type="button" className="primary" onClick={() => command({ type: 'clear-tamper' })}>{t('clearTamper')}</button>
          )}
        </div>
      )}
      {snapshot.mode === 'self-service' && <p className="notice" data-testid="self-service-note">{t('selfServiceStaffNote')}</p>}
      {sessionMissing && noSession}
      <button type="button" className="big-action" disabled={closed !== null || notForRole || sessionMissing} onClick={() => command({ type: 'start-application' })}>
        <strong>{t('homeNewApplication')}</strong>
        <span>{t('homeNewApplicationHint')}</span>
      </button>
      {sessionMissing && !notForRole && <p className="notice" data-testid="session-note">{t('homeNeedsSession')}</p>}
      {notForRole && (
        <p className="notice" data-testid="role-note">{roleRefusalText(t.locale, role)}</p>
      )}
      {snapshot.batch && <BatchPanel batch={snapshot.batch} send={command} />}
    </section>
  );
}
