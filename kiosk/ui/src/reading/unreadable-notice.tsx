import { useT } from '../i18n';

/** The controller sent something this screen cannot read: the screen stays as it was, and says so. */
export function UnreadableNotice({ shown }: { shown: boolean }) {
  const t = useT();
  if (!shown) return null;
  return (
    <div className="unreadable-notice" role="alert" data-testid="controller-unreadable">
      {t('controllerUnreadable')}
    </div>
  );
}
