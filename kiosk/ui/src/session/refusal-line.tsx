import type { RefusedReply } from '../commands/refusal-text';
import { refusalText } from '../commands/refusal-text';
import { useT } from '../i18n';

/** Why the controller refused a session form's command, said in the form itself (over the screen's notice, which the form covers). */
export function RefusalLine({ refusal }: { refusal: RefusedReply | null }) {
  const t = useT();
  if (!refusal) return null;
  const said = refusalText(refusal, t.locale);
  return (
    <p className="notice warn session-refusal" role="alert" data-refusal={refusal.code}>
      {said.text}
      {said.detail && <small className="second-language" lang="en">{said.detail}</small>}
    </p>
  );
}
