import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { DeviceName, KioskSnapshot, SessionView } from '../../../shared/contract/kiosk-api';
import type { Locale } from '../../../shared/i18n/messages';
import { subscribe, withToken } from './api';
import { command, notices } from './command';
import type { LinkState } from './commands/link-state';
import { LogHealthBanner } from './commands/log-health';
import { CommandNotice, ConnectionBanner, ConnectionWait } from './commands/notices';
import { displayOwner } from './display/display-owner';
import { DisplayToggles } from './display/display-toggles';
import { LanguageButtons } from './display/language-buttons';
import { useDisplay, type DisplayState } from './display/use-display';
import { LocaleContext, useT } from './i18n';
import { DeviceStateWords } from './queue/device-state-words';
import { PrintQueuePanel } from './queue/print-queue';
import { createSnapshotFeed } from './reading/snapshot-feed';
import { UnreadableNotice } from './reading/unreadable-notice';
import { DiscardConfirmation } from './application/discard-confirmation';
import { ApplicationScreen } from './screens/application';
import { CardCheckPanel } from './screens/card-check';
import { DevPanel } from './screens/dev-panel';
import { HomeScreen } from './screens/home';
import { PhotoScreen } from './screens/photo';
import { ReviewScreen } from './screens/review';
import { SelfServiceScreen } from './self-service/self-service-screen';
import { SpeechControls, useSpeechVolume } from './speech';
import { ApprovalPrompt, SignInScreen } from './screens/sign-in';
import { OpenSessionForm } from './session/open-session-form';
import { SessionBar } from './session/session-bar';
import { sessionReportPath } from './session/session-commands';
import { SessionClosed } from './session/session-closed';
import { SessionDesk, useSessionDesk, type SessionDeskState } from './session/session-desk';
import { ReportsScreen } from './reports/reports-screen';
import { ApplicantLanguageChoice } from './applicant/applicant-language';

export function App() {
  const [feed] = useState(() => createSnapshotFeed());
  const { snapshot, unreadable } = useSyncExternalStore(feed.subscribe, feed.current);
  const [link, setLink] = useState<LinkState>('connecting');
  const notice = useSyncExternalStore(notices.subscribe, notices.current);
  const [locale, setLocale] = useState<Locale>('zh-TW');
  const [devAsked, setDevAsked] = useState(() => window.location.hash === '#dev');
  const desk = useSessionDesk(snapshot?.serviceSession ?? null);
  const [reportsAsked, setReportsAsked] = useState(() => window.location.hash === '#reports');

  useEffect(() => subscribe(feed.receive, setLink), [feed]);
  useSpeechVolume(snapshot?.speech.volume);
  useEffect(() => {
    const onHash = (): void => {
      setDevAsked(window.location.hash === '#dev');
      setReportsAsked(window.location.hash === '#reports');
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  // Unattended: once a card's details leave the screen, the next person starts in Chinese again.
  const selfService = snapshot?.selfService ?? null;
  // A top-up and its receipt belong to the same person as the card shown before them.
  const showingCard = selfService?.state === 'card' || selfService?.state === 'top-up' || selfService?.state === 'top-up-done';
  const simulated = snapshot !== null && isSimulatedKiosk(snapshot);
  // The dev panel is for a staffed kiosk on simulated devices: never on an unattended screen, whatever the URL says.
  const devAvailable = simulated && snapshot.mode === 'staffed';
  useEffect(() => {
    if (!showingCard) setLocale('zh-TW');
  }, [showingCard]);
  const signedIn = snapshot?.session.state === 'signed-in';
  const display = useDisplay(displayOwner({ selfService: selfService !== null, showingCard, operator: signedIn ? (snapshot?.session.operator ?? null) : null }));
  // The device bar is technical: staff's, not a citizen's at an unattended kiosk (staff see it once signed in there).
  const deviceBarShown = snapshot !== null && (snapshot.mode === 'staffed' || signedIn);

  return (
    <LocaleContext.Provider value={locale}>
      <div className={selfService ? 'kiosk unattended' : 'kiosk'}>
        {simulated && <SimulatedBanner />}
        <Header locale={locale} onLocale={setLocale} display={display} connected={link === 'up'} session={snapshot?.session ?? null} selfService={snapshot?.mode === 'self-service'} />
        {snapshot && <ConnectionBanner link={link} />}
        <UnreadableNotice shown={unreadable} />
        <CommandNotice notice={notice} onDismiss={notices.dismiss} />
        {snapshot?.session.idleSecondsLeft != null && <IdleWarning seconds={snapshot.session.idleSecondsLeft} />}
        {snapshot && <LogHealthBanner snapshot={snapshot} />}
        {selfService ? (
          <main className="screen" data-screen="self-service">
            <SelfServiceScreen view={selfService} send={(sent) => void command(sent)} />
          </main>
        ) : snapshot && snapshot.session.state !== 'signed-in' ? (
          <main className="screen" data-screen="sign-in">
            <SignInScreen session={snapshot.session} />
          </main>
        ) : snapshot ? (
          // Signed in: the service session above, the applicant flow, with the print queue beside it on every screen.
          <>
            <SessionBar session={snapshot.serviceSession} counting={desk.view === 'close'} onOpenDesk={desk.open} />
            <div className="workspace">
              <main className="screen" data-screen={snapshot.screen}>
                <Screen snapshot={snapshot} noSession={<NoSession snapshot={snapshot} desk={desk} />} />
                {snapshot.application.confirmingDiscard && <DiscardConfirmation />}
              </main>
              {/* The column beside the flow: the applicant's language at its top (no row of its own above the form), then the print queue. */}
              <div className="workspace-side">
                {snapshot.applicant && <ApplicantLanguageChoice language={snapshot.applicant.language} onChoose={(language) => void command({ type: 'set-applicant-language', language })} />}
                <PrintQueuePanel queue={snapshot.printQueue} send={command} applicant={snapshot.applicant} />
              </div>
            </div>
            {desk.view && snapshot.serviceSession && (
              <SessionDesk
                view={desk.view}
                session={snapshot.serviceSession}
                screen={snapshot.screen}
                send={(sent) => command(sent, 'unreachable-only')}
                needsApproval={snapshot.session.operator?.role === 'operator'}
                onClosing={desk.onClosing}
                onDismiss={desk.dismiss}
              />
            )}
          </>
        ) : (
          <main className="screen" data-screen="connecting">
            <ConnectionWait link={link} />
          </main>
        )}
        {snapshot?.cardCheck && snapshot.session.state === 'signed-in' && <CardCheckPanel card={snapshot.cardCheck} />}
        {snapshot && <ApprovalPrompt session={snapshot.session} />}
        {deviceBarShown && <DeviceBar devices={snapshot.devices} devLink={devAvailable} />}
        {devAvailable && devAsked && <DevPanel onClose={() => (window.location.hash = '')} />}
        {/* The figures are a supervisor's (the controller's routes check the role too). */}
        {reportsAsked && snapshot?.session.operator?.role === 'supervisor' && <ReportsScreen onClose={() => (window.location.hash = '')} />}
      </div>
    </LocaleContext.Provider>
  );
}

function Screen({ snapshot, noSession }: { snapshot: KioskSnapshot; noSession: ReactNode }) {
  switch (snapshot.screen) {
    case 'home':
      return <HomeScreen snapshot={snapshot} noSession={noSession} />;
    case 'application':
      return <ApplicationScreen snapshot={snapshot} />;
    case 'photo':
      return <PhotoScreen snapshot={snapshot} />;
    case 'review':
      return <ReviewScreen snapshot={snapshot} />;
    default: {
      const unknown: never = snapshot.screen;
      return <p>{String(unknown)}</p>;
    }
  }
}

/** The home with no session open: the one just closed here (its report), and the form to open the next. */
function NoSession({ snapshot, desk }: { snapshot: KioskSnapshot; desk: SessionDeskState }) {
  const { closed } = desk;
  return (
    <div className={closed ? 'no-session with-closed' : 'no-session'}>
      {closed && <SessionClosed closed={closed} reportUrl={(kind) => withToken(sessionReportPath(closed.sessionId, kind))} mayDownload={snapshot.session.operator?.role === 'supervisor'} onDismiss={desk.dismissClosed} />}
      <OpenSessionForm send={command} needsApproval={snapshot.session.operator?.role === 'operator'} />
    </div>
  );
}

function IdleWarning({ seconds }: { seconds: number }) {
  const t = useT();
  return (
    <div className="idle-warning" role="alert">
      <span>{t('idleWarning')}: <strong>{seconds}</strong></span>
      <button type="button" className="primary" onClick={() => command({ type: 'keep-alive' })}>{t('keepAlive')}</button>
    </div>
  );
}

function Header({ locale, onLocale, display, connected, session, selfService }: { locale: Locale; onLocale: (locale: Locale) => void; display: DisplayState; connected: boolean; session: SessionView | null; selfService: boolean }) {
  const t = useT();
  return (
    <header className="header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">桃</span>
        <div>
          <h1>{t('appTitle')}</h1>
          <p>{selfService ? t('selfServiceSubtitle') : t('appSubtitle')}</p>
        </div>
      </div>
      <div className="header-controls">
        <LanguageButtons locale={locale} onLocale={onLocale} />
        <DisplayToggles display={display} />
        <SpeechControls />
        {session?.operator && (
          <div className="operator">
            {/* Name over role: the signed-in operator takes one line of the header, not two. */}
            <span className="operator-who">
              <span data-testid="operator-name">{session.operator.name}</span>
              <small>{t.key(`role${session.operator.role}`)}</small>
            </span>
            {session.operator.role === 'supervisor' && (
              <a className="reports-link" href="#reports" data-action="open-reports">
                {t('reportScreenTitle')}
              </a>
            )}
            <button type="button" onClick={() => command({ type: 'sign-out' })}>{t('signOut')}</button>
          </div>
        )}
        <span className={connected ? 'link up' : 'link down'} role="status" aria-label={connected ? 'connected' : 'disconnected'} />
      </div>
    </header>
  );
}

/** Any device simulated: the kiosk is a demo, whatever it looks like (the counter reader is simulated only with the NFC reader). */
function isSimulatedKiosk(snapshot: KioskSnapshot): boolean {
  return Object.values(snapshot.devices).some((device) => device.simulated);
}

/** On every screen of a kiosk on simulated devices, so that nobody takes it for the real service. */
function SimulatedBanner() {
  const t = useT();
  return <div className="simulated-banner" role="note" data-testid="simulated-banner">{t('simulatedBanner')}</div>;
}

function DeviceBar({ devices, devLink }: { devices: KioskSnapshot['devices']; devLink: boolean }) {
  const t = useT();
  const names: DeviceName[] = ['printer', 'scanner', 'nfc', 'board'];
  return (
    <footer className="devices" aria-label={t('homeDevices')} data-fault={names.some((name) => devices[name].state === 'fault') || undefined}>
      {names.map((name) => (
        <span key={name} className={`device ${devices[name].state}`} data-device={name} title={devices[name].detail}>
          {t.key(`device${name}`)}: <DeviceStateWords device={devices[name]} />
          {devices[name].simulated && <em> ({t('simulated')})</em>}
        </span>
      ))}
      {devLink && <a className="dev-link" href="#dev">{t('devPanel')}</a>}
    </footer>
  );
}
