import { nursingHomePhotoReasons } from '../../../../shared/contract/batch';
import type { KioskCommand } from '../../../../shared/contract/kiosk-api';
import { useT } from '../i18n';

/**
 * The nursing-home photo exception: a bedridden or seated resident against a plain sheet. The operator
 * picks the reason from the fixed list (audited with the issuance), never types one.
 */
export function NursingHomeOverride({ send }: { send: (command: KioskCommand) => unknown }) {
  const t = useT();
  return (
    <div className="override nursing-home" data-testid="nursing-home-override">
      <p>{t('batchPhotoException')}</p>
      <div className="actions">
        {nursingHomePhotoReasons.map((reason) => (
          <button key={reason} type="button" className="secondary" data-photo-reason={reason} onClick={() => send({ type: 'override-photo-nursing-home', reason })}>
            {t.key(`batchPhoto${reason}`)}
          </button>
        ))}
      </div>
    </div>
  );
}
