import { defaultAcceptedNotes } from '../../../../shared/domain/wallet';
import { useT } from '../i18n';
import { NoteDrawings } from './notes';
import { OtherLanguages } from './other-languages';

/**
 * The screen a passer-by sees: tap your card for balance and points, or top up with cash. The ready
 * state carries no cash device, so the notes drawn are the kiosk's default notes.
 */
export function Attract() {
  const t = useT();
  return (
    <section className="self-service attract" data-self-service="ready">
      <h2>{t('selfServiceTitle')}</h2>
      <p className="tap-here" role="status">
        <span className="card-icon" aria-hidden="true">▭</span>
        {t('selfServiceTapCard')}
      </p>
      <OtherLanguages messageKey="selfServiceTapCard" />
      <div className="attract-offers">
        <p className="offer" data-offer="check">{t('selfServiceAttractCheck')}</p>
        <div className="offer" data-offer="top-up">
          <p>{t('selfServiceAttractTopUp')}</p>
          <p className="notes-label">{t('selfServiceAttractNotes')}</p>
          <NoteDrawings notes={defaultAcceptedNotes} fits={() => true} tooBig="" />
        </div>
      </div>
      <p className="reader-arrow" aria-hidden="true">▼</p>
      <p className="staff-hint">{t('selfServiceStaffHint')}</p>
    </section>
  );
}
