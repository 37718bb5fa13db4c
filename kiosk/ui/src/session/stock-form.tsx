import { useState } from 'react';
import { transitSchemes, type TransitScheme } from '../../../../shared/domain/card-types';
import type { RefusedReply } from '../commands/refusal-text';
import { useT } from '../i18n';
import { fieldValue } from './field-value';
import type { Send } from './open-session-form';
import { RefusalLine } from './refusal-line';
import { maxBlanks, stockCommand } from './session-commands';
import { schemeName } from './stock-words';

/** More blanks from the box into the session, or blanks back into it: one scheme and a number at a time. */
export function StockForm({ send, needsApproval, onDone }: { send: Send; needsApproval: boolean; onDone: () => void }) {
  const t = useT();
  const [scheme, setScheme] = useState<TransitScheme>('easycard');
  const [count, setCount] = useState('');
  const [sending, setSending] = useState(false);
  const [refusal, setRefusal] = useState<RefusedReply | null>(null);
  const load = stockCommand('load-blanks', scheme, count);
  const giveBack = stockCommand('return-blanks', scheme, count);
  const submit = async (command: typeof load): Promise<void> => {
    if (!command) return;
    setSending(true);
    try {
      const reply = await send(command);
      // Accepted: done, or (an operator) the supervisor's approval prompt takes over from here.
      if (reply.accepted) onDone();
      else setRefusal(reply);
    } finally {
      setSending(false);
    }
  };
  return (
    <form className="session-form stock-form" data-testid="stock-form" onSubmit={(event) => event.preventDefault()}>
      <h2>{t('stockTitle')}</h2>
      <div className="scheme-choice" role="group" aria-label={t('fieldScheme')}>
        {transitSchemes.map((each) => (
          <button key={each} type="button" aria-pressed={each === scheme} data-scheme={each} onClick={() => setScheme(each)}>
            {schemeName(t.locale, each)}
          </button>
        ))}
      </div>
      <label>
        {t('stockCount')}
        <input name="count" type="number" inputMode="numeric" min={1} max={maxBlanks} step={1} value={count} onChange={(event) => setCount(fieldValue(event))} />
      </label>
      {needsApproval && <p className="session-hint">{t('sessionApprovalNote')}</p>}
      <RefusalLine refusal={refusal} />
      <div className="session-submit">
        <button type="button" className="primary" data-action="load-blanks" disabled={!load || sending} onClick={() => void submit(load)}>{t('stockLoad')}</button>
        <button type="button" data-action="return-blanks" disabled={!giveBack || sending} onClick={() => void submit(giveBack)}>{t('stockReturn')}</button>
      </div>
    </form>
  );
}
