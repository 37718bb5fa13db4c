import { sendCommand } from '../api';
import { useT } from '../i18n';

export function HomeScreen() {
  const t = useT();
  return (
    <section className="home">
      <button type="button" className="big-action" onClick={() => sendCommand({ type: 'start-application' })}>
        <strong>{t('homeNewApplication')}</strong>
        <span>{t('homeNewApplicationHint')}</span>
      </button>
    </section>
  );
}
