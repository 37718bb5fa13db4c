import { useEffect, useState, useSyncExternalStore } from 'react';
import type { ApplicantView } from '../../../../shared/contract/applicant';
import type { KioskSnapshot } from '../../../../shared/contract/kiosk-api';
import type { Locale } from '../../../../shared/i18n/messages';
import { subscribe } from '../api';
import { command } from '../command';
import { LocaleContext, useT } from '../i18n';
import { createSnapshotFeed } from '../reading/snapshot-feed';
import { ApplicantLanguageChoice } from './applicant-language';
import { ApplicantStageView } from './applicant-stages';

/**
 * The applicant's own window (`#applicant`, on a second display facing the counter): it follows the
 * same snapshot as the operator's screen but shows only `snapshot.applicant` (what the controller lets
 * the applicant see) and their card in the queue, in the applicant's language. Its one control is
 * that language. Nobody signed in (or nothing to show): a neutral screen.
 */
export function ApplicantWindow() {
  const [feed] = useState(() => createSnapshotFeed());
  const { snapshot } = useSyncExternalStore(feed.subscribe, feed.current);
  useEffect(() => subscribe(feed.receive, () => undefined), [feed]);
  const applicant = snapshot?.applicant ?? null;
  const locale: Locale = applicant?.language ?? 'zh-TW';
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  return (
    <LocaleContext.Provider value={locale}>
      <ApplicantFrame snapshot={snapshot} applicant={applicant} />
    </LocaleContext.Provider>
  );
}

function ApplicantFrame({ snapshot, applicant }: { snapshot: KioskSnapshot | null; applicant: ApplicantView | null }) {
  const t = useT();
  return (
    <div className="applicant-window" data-testid="applicant-window" aria-label={t('applicantWindowLabel')} data-applicant-stage={applicant?.stage ?? 'neutral'}>
      {applicant && snapshot ? (
        <>
          <ApplicantLanguageChoice language={applicant.language} onChoose={(language) => void command({ type: 'set-applicant-language', language }, 'unreachable-only')} large />
          <main className="applicant-main">
            <ApplicantStageView applicant={applicant} queue={snapshot.printQueue} />
          </main>
        </>
      ) : (
        <main className="applicant-main applicant-neutral" data-prompt="applicant-neutral">
          <span className="brand-mark" aria-hidden="true">桃</span>
          <h1>{t('applicantNeutralTitle')}</h1>
          <p>{t('applicantNeutralHint')}</p>
        </main>
      )}
    </div>
  );
}
