import { useT } from '../i18n';
import type { LinkState } from './link-state';
import { linkMessage } from './link-state';
import type { Notice } from './notice-board';
import { refusalText } from './refusal-text';

/** A refused or unsent command: what was not done and why, until dismissed or the next success. */
export function CommandNotice({ notice, onDismiss }: { notice: Notice | null; onDismiss: () => void }) {
  const t = useT();
  if (!notice) return null;
  const said =
    notice.kind === 'refused' ? refusalText(notice.refusal, t.locale) : { text: t(notice.kind === 'unreachable' ? 'commandUnreachable' : 'commandUnreadable'), detail: null };
  return (
    <div key={notice.id} className="command-notice" role="alert" data-notice={notice.kind}>
      <div>
        {/* An unreadable answer: whether it was done is not known, so no "not done". */}
        {notice.kind !== 'unreadable' && <strong>{t('commandNotDone')}</strong>}
        <p>{said.text}</p>
        {said.detail && <small className="second-language" lang="en">{said.detail}</small>}
      </div>
      <button type="button" className="secondary" onClick={onDismiss}>{t('close')}</button>
    </div>
  );
}

/** Before the first snapshot: what the screen is waiting for, in place of the screen. */
export function ConnectionWait({ link }: { link: LinkState }) {
  const t = useT();
  const key = linkMessage(link, false) ?? 'connecting';
  return (
    <p className={link === 'token-refused' || link === 'unreachable' ? 'connecting notice error' : 'connecting'} role={link === 'connecting' || link === 'up' ? 'status' : 'alert'} data-link={link}>
      {t(key)}
    </p>
  );
}

/** After the connection had worked: a banner over the screen while it is down. */
export function ConnectionBanner({ link }: { link: LinkState }) {
  const t = useT();
  const key = linkMessage(link, true);
  if (!key) return null;
  return (
    <div className="connection-banner" role="alert" data-link={link}>
      {t(key)}
    </div>
  );
}
