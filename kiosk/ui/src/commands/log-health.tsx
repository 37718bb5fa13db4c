import type { KioskSnapshot } from '../../../../shared/contract/kiosk-api';
import { useT } from '../i18n';

/**
 * For signed-in staff only: the log file cannot be written (disk full, no permission), so the kiosk
 * keeps its log in memory only. Nothing while the log is written, nor for the public.
 */
export function LogHealthBanner({ snapshot }: { snapshot: Pick<KioskSnapshot, 'logging' | 'selfService' | 'session'> }) {
  const t = useT();
  const { logging } = snapshot;
  if (logging.state !== 'memory-only' || snapshot.selfService !== null || snapshot.session.state !== 'signed-in') return null;
  return (
    <div className="log-warning" role="alert" data-testid="log-memory-only" title={`${logging.reason} since ${logging.since}`}>
      {t('logMemoryOnly')}
    </div>
  );
}
