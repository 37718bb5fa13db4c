import type { Immutable } from '../../../../shared/contract/immutable';
import { topUpPhases, type TopUpView } from '../../../../shared/contract/top-up';
import { defaultAcceptedNotes } from '../../../../shared/domain/wallet';
import type { Send } from './send';
import { useT } from '../i18n';
import { NoteDrawings } from './notes';
import { OtherLanguages } from './other-languages';
import { fill, ntd } from './words';

/** The steps a note goes through, as a progress line; `closing` is the last. */
const steps = topUpPhases;

/**
 * Inserting notes: what went in so far, the balance, the room left under the cap, the notes that fit
 * now, where the current note is, and what just happened to a note. Finish and Cancel stay big; Cancel
 * says beforehand that notes already taken in stay credited.
 */
export function TopUp({ topUp, send }: { topUp: Immutable<TopUpView>; send: Send }) {
  const t = useT();
  const room = topUp.room;
  // The validator's own notes (those it takes now) are drawn; the defaults greyed when they no longer fit.
  const drawn = [...new Set([...defaultAcceptedNotes, ...topUp.notes])].sort((a, b) => a - b);
  const fits = (note: number): boolean => topUp.notes.includes(note);
  const busy = topUp.phase !== 'insert';
  // The card gone: the visit is ending by itself, nothing to press.
  const ending = topUp.phase === 'closing' || topUp.cardLifted === true;
  const current = steps.indexOf(topUp.phase);
  return (
    <section className="self-service top-up" data-self-service="top-up" data-phase={topUp.phase}>
      <h2 className="tap-here">{t('topUpInsertNotes')}</h2>
      <OtherLanguages messageKey="topUpInsertNotes" />
      <div className="top-up-middle">
        <div className="top-up-board">
          <dl className="top-up-figures">
            <div className="figure inserted">
              <dt>{t('topUpInserted')}</dt>
              <dd className="big-number" data-testid="top-up-inserted">{ntd(topUp.inserted)}</dd>
            </div>
            <div className="figure">
              <dt>{t('topUpBalance')}</dt>
              <dd data-testid="top-up-balance">{ntd(topUp.balance)}</dd>
            </div>
            <div className="figure">
              <dt>{t('topUpRoom')}</dt>
              <dd data-testid="top-up-room">{ntd(room)}</dd>
            </div>
          </dl>
          <div className="notes-now">
            <p className="notes-label">{t('topUpNotesNow')}</p>
            <NoteDrawings notes={drawn} fits={fits} tooBig={t('topUpNoteTooBig')} />
            {topUp.notes.length === 0 && <p className="notice warn" data-testid="no-note-fits">{t('topUpNoNoteFits')}</p>}
          </div>
          <div role="status" aria-live="polite">
            <ol className="phases" aria-label={t('topUpTitle')} data-testid="phases">
              {steps.map((step, index) =>
                index === current ? (
                  // The step now, with the note in escrow when there is one.
                  <li key={step} className="current" aria-current="step" data-testid="phase">
                    {topUp.escrow !== null ? fill(t('topUpEscrow'), { amount: ntd(topUp.escrow) }) : t.key(`topUpPhase${step}`)}
                  </li>
                ) : (
                  <li key={step} className={index < current ? 'done' : 'later'}>{t.key(`topUpPhase${step}`)}</li>
                ),
              )}
            </ol>
          </div>
        </div>
        <div className="top-up-notices">
          {topUp.cardLifted && (
            <p className="notice info" role="status" data-testid="card-lifted">
              {t('topUpCardLifted')}
            </p>
          )}
          {topUp.notice !== null && (
            <div className="notice warn big" role="alert" data-notice={topUp.notice}>
              <p>{t.key(`topUpNotice${topUp.notice}`)}</p>
              <OtherLanguages messageKey={`topUpNotice${topUp.notice}`} />
            </div>
          )}
          <p className="hint" data-testid="cancel-explains">
            {t('topUpCancelExplains')}
            {topUp.inserted > 0 && <> — {fill(t('topUpCancelKept'), { amount: ntd(topUp.inserted) })}</>}
          </p>
        </div>
      </div>
      <div className="actions">
        <button type="button" className="secondary huge" data-action="top-up-cancel" disabled={ending} onClick={() => send({ type: 'top-up-cancel' })}>
          {t('topUpCancel')}
        </button>
        <button type="button" className="primary huge" data-action="top-up-finish" disabled={busy || ending || topUp.inserted === 0} onClick={() => send({ type: 'top-up-finish' })}>
          {t('topUpFinish')}
        </button>
      </div>
    </section>
  );
}
