import { useEffect, useState } from 'react';
import type { DeviceName, KioskSnapshot } from '../../../shared/contract/kiosk-api';
import { localeNames, locales, type Locale } from '../../../shared/i18n/messages';
import { subscribe } from './api';
import { LocaleContext, useT } from './i18n';
import { ApplicationScreen } from './screens/application';
import { DevPanel } from './screens/dev-panel';
import { DoneScreen, FailedScreen, IssuingScreen } from './screens/issuing';
import { HomeScreen } from './screens/home';
import { PhotoScreen } from './screens/photo';
import { ReviewScreen } from './screens/review';

export function App() {
  const [snapshot, setSnapshot] = useState<KioskSnapshot | null>(null);
  const [connected, setConnected] = useState(false);
  const [locale, setLocale] = useState<Locale>('zh-TW');
  const [devOpen, setDevOpen] = useState(() => window.location.hash === '#dev');

  useEffect(
    () =>
      subscribe(
        (next) => setSnapshot((current) => (current && current.version > next.version ? current : next)),
        setConnected,
      ),
    [],
  );
  useEffect(() => {
    const onHash = (): void => setDevOpen(window.location.hash === '#dev');
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  return (
    <LocaleContext.Provider value={locale}>
      <div className="kiosk">
        <Header locale={locale} onLocale={setLocale} connected={connected} />
        <main className="screen" data-screen={snapshot?.screen ?? 'connecting'}>
          {snapshot ? <Screen snapshot={snapshot} /> : <p className="connecting">…</p>}
        </main>
        {snapshot && <DeviceBar devices={snapshot.devices} />}
        {devOpen && <DevPanel onClose={() => (window.location.hash = '')} />}
      </div>
    </LocaleContext.Provider>
  );
}

function Screen({ snapshot }: { snapshot: KioskSnapshot }) {
  switch (snapshot.screen) {
    case 'home':
      return <HomeScreen />;
    case 'application':
      return <ApplicationScreen snapshot={snapshot} />;
    case 'photo':
      return <PhotoScreen snapshot={snapshot} />;
    case 'review':
      return <ReviewScreen snapshot={snapshot} />;
    case 'issuing':
      return <IssuingScreen snapshot={snapshot} />;
    case 'done':
      return <DoneScreen snapshot={snapshot} />;
    case 'failed':
      return <FailedScreen snapshot={snapshot} />;
    default: {
      const unknown: never = snapshot.screen;
      return <p>{String(unknown)}</p>;
    }
  }
}

function Header({ locale, onLocale, connected }: { locale: Locale; onLocale: (locale: Locale) => void; connected: boolean }) {
  const t = useT();
  return (
    <header className="header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">桃</span>
        <div>
          <h1>{t('appTitle')}</h1>
          <p>{t('appSubtitle')}</p>
        </div>
      </div>
      <nav className="languages" aria-label="Language">
        {locales.map((code) => (
          <button key={code} type="button" aria-pressed={code === locale} onClick={() => onLocale(code)} lang={code}>
            {localeNames[code]}
          </button>
        ))}
      </nav>
      <span className={connected ? 'link up' : 'link down'} role="status" aria-label={connected ? 'connected' : 'disconnected'} />
    </header>
  );
}

function DeviceBar({ devices }: { devices: KioskSnapshot['devices'] }) {
  const t = useT();
  const names: DeviceName[] = ['printer', 'scanner', 'nfc', 'board'];
  return (
    <footer className="devices" aria-label={t('homeDevices')}>
      {names.map((name) => (
        <span key={name} className={`device ${devices[name].state}`} data-device={name} title={devices[name].detail}>
          {t.key(`device${name}`)}: {t.key(`devicestate${devices[name].state}`)}
          {devices[name].simulated && <em> ({t('simulated')})</em>}
        </span>
      ))}
      <a className="dev-link" href="#dev">{t('devPanel')}</a>
    </footer>
  );
}
