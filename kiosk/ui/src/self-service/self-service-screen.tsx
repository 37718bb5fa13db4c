import type { SelfServiceView } from '../../../../shared/contract/kiosk-api';
import { assertNever } from '../../../../shared/result';
import { useT } from '../i18n';
import { selfServicePrompts, useSpokenPrompt } from '../speech';
import { Attract } from './attract';
import { OtherLanguages } from './other-languages';
import { OutOfService } from './out-of-service';
import { OwnCard } from './own-card';
import { TopUp } from './top-up';
import { TopUpDone } from './top-up-done';
import type { Send } from './send';

/**
 * The unattended kiosk, for people who may read slowly or not read Chinese: one big instruction (in
 * the chosen language, the other three beneath it), then the tapped card's own data — never a name
 * or an ID number — its e-wallet, and the cash top-up, in words, not codes.
 */
export function SelfServiceScreen({ view, send }: { view: SelfServiceView; send: Send }) {
  // Each screen's one instruction is spoken as it appears (and on Repeat, in the header) for whoever cannot read it.
  useSpokenPrompt(selfServicePrompts[view.state]);
  return <SelfServiceState view={view} send={send} />;
}

function SelfServiceState({ view, send }: { view: SelfServiceView; send: Send }) {
  const t = useT();
  switch (view.state) {
    case 'ready':
      return <Attract />;
    case 'reading':
      return (
        <section className="self-service" data-self-service="reading">
          <p className="tap-here" role="status">{t('selfServiceReading')}</p>
        </section>
      );
    case 'card':
      return <OwnCard card={view.card} showSeconds={view.showSeconds} send={send} />;
    case 'problem':
      return (
        <section className="self-service" data-self-service="problem">
          <p className="notice warn big" role="alert" data-problem={view.problem}>{t.key(`selfServiceProblem${view.problem}`)}</p>
          <OtherLanguages messageKey={`selfServiceProblem${view.problem}`} />
          <p className="tap-here">{t('selfServiceTryAgain')}</p>
        </section>
      );
    case 'top-up':
      return <TopUp topUp={view.topUp} send={send} />;
    case 'top-up-done':
      return <TopUpDone done={view.done} showSeconds={view.showSeconds} send={send} />;
    case 'out-of-service':
      return <OutOfService reason={view.reason} money={view.money} />;
    default:
      return assertNever(view);
  }
}
