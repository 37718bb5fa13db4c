import type { PhotoCheckView } from '../../../../shared/contract/kiosk-api';
import { MessageText, useT } from '../i18n';
import { failingChecks } from './failing-checks';

/**
 * The failed capture's problems, once each, most important first, each with the operator's advice.
 * The alert is a wrapper: a list with role=alert loses its list semantics (axe: listitem).
 */
export function PhotoChecks({ checks }: { checks: readonly PhotoCheckView[] }) {
  const t = useT();
  const shown = failingChecks(checks);
  if (shown.length === 0) return null;
  return (
    <div className="photo-checks" role="alert" data-testid="photo-checks">
      <h3>{t('photoChecksHeading')}</h3>
      <ol>
        {shown.map(({ check, advice }) => (
          <li key={check.message.code} data-check={check.id}>
            <strong><MessageText message={check.message} /></strong>
            {advice !== null && <p className="photo-advice-line">{t(advice)}</p>}
          </li>
        ))}
      </ol>
    </div>
  );
}
