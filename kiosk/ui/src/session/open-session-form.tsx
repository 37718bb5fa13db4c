import { useState } from 'react';
import type { CommandReply, KioskCommand } from '../../../../shared/contract/kiosk-api';
import { transitSchemes } from '../../../../shared/domain/card-types';
import { sessionModes, type SessionMode } from '../../../../shared/domain/service-session';
import { useT } from '../i18n';
import { fieldValue } from './field-value';
import { emptyCount, maxBlanks, openCommand, type OpenFields } from './session-commands';
import { fill, modeName, schemeName } from './stock-words';

export type Send = (command: KioskCommand) => Promise<CommandReply>;

const noFields: OpenFields = { site: '', mode: '', blanks: emptyCount };

/**
 * The home screen with no session open: where the team is and the blanks taken from the box. The
 * ribbon is not asked for: the printer reports it. An operator's open waits for a supervisor's approval.
 */
export function OpenSessionForm({ send, needsApproval, initial = noFields }: { send: Send; needsApproval: boolean; initial?: OpenFields }) {
  const t = useT();
  const [fields, setFields] = useState<OpenFields>(initial);
  const [sending, setSending] = useState(false);
  const ready = openCommand(fields);
  const submit = async (): Promise<void> => {
    if (!ready) return;
    setSending(true);
    try {
      await send(ready);
    } finally {
      setSending(false);
    }
  };
  return (
    <form
      className="session-form open-session"
      data-testid="open-session-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2>{t('openSessionTitle')}</h2>
      <p className="session-hint">{t('openSessionHint')}</p>
      <div className="session-fields">
        <label className="wide">
          {t('openSessionSite')}
          <input name="site" value={fields.site} maxLength={60} autoComplete="off" onChange={(event) => setFields({ ...fields, site: fieldValue(event) })} />
        </label>
        <label>
          {t('openSessionMode')}
          <select name="mode" value={fields.mode} onChange={(event) => setFields({ ...fields, mode: modeOf(fieldValue(event)) })}>
            <option value="" disabled>—</option>
            {sessionModes.map((mode) => <option key={mode} value={mode}>{modeName(t.locale, mode)}</option>)}
          </select>
        </label>
        {transitSchemes.map((scheme) => (
          <label key={scheme}>
            {fill(t('openSessionBlanks'), { scheme: schemeName(t.locale, scheme) })}
            <input
              name={`blanks-${scheme}`}
              type="number"
              inputMode="numeric"
              min={0}
              max={maxBlanks}
              step={1}
              value={fields.blanks[scheme]}
              onChange={(event) => setFields({ ...fields, blanks: { ...fields.blanks, [scheme]: fieldValue(event) } })}
            />
          </label>
        ))}
      </div>
      <div className="session-submit">
        {needsApproval && <p className="session-hint">{t('sessionApprovalNote')}</p>}
        <button type="submit" className="primary" data-action="open-session" disabled={!ready || sending}>{t('openSessionSubmit')}</button>
      </div>
    </form>
  );
}

/** The select's value as a kind of site ('' until one is chosen). */
function modeOf(value: string): SessionMode | '' {
  return sessionModes.find((mode) => mode === value) ?? '';
}
