import { useState } from 'react';
import { secondVisitReasons, type BatchRowView, type BatchView } from '../../../../shared/contract/batch';
import type { KioskCommand } from '../../../../shared/contract/kiosk-api';
import { useT } from '../i18n';

type Send = (command: KioskCommand) => unknown;

/** The list room by room ("201-1" and "201-2" share room 201). */
export function BatchList({ list, send }: { list: BatchView; send: Send }) {
  const rooms = new Map<string, BatchRowView[]>();
  for (const row of list.rows) {
    const room = row.room.split(/[-–]/)[0] ?? row.room;
    rooms.set(room, [...(rooms.get(room) ?? []), row]);
  }
  return (
    <div className="batch-list" data-testid="batch-list" data-batch-id={list.batchId}>
      <h3>{list.label}</h3>
      {[...rooms].map(([room, rows]) => (
        <section key={room} className="batch-room" data-room={room}>
          <ol>{rows.map((row) => <ResidentRow key={row.rowId} row={row} send={send} />)}</ol>
        </section>
      ))}
    </div>
  );
}

function ResidentRow({ row, send }: { row: BatchRowView; send: Send }) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  const open = row.status === 'waiting' || row.status === 'second-visit';
  return (
    <li className={`batch-row ${row.status}`} data-row-id={row.rowId} data-row-status={row.status}>
      <strong className="batch-room-number">{row.room}</strong>
      {row.nameZh !== null && <span className="batch-name">{row.nameZh}</span>}
      <span className="batch-card">{t.key(`card${row.cardType}`)}{row.replacement ? ` · ${t('batchReplacement')}` : ''}{row.bedridden ? ` · ${t('batchBedridden')}` : ''}</span>
      <span className="batch-status" data-status={row.status}>
        {t.key(`batchStatus${row.status}`)}
        {row.secondVisitReason && ` (${t.key(`batchVisit${row.secondVisitReason}`)})`}
      </span>
      {open && (
        <span className="batch-actions">
          <button type="button" className="primary" data-action="pick-batch-row" onClick={() => send({ type: 'pick-batch-row', rowId: row.rowId })}>{t('batchPick')}</button>
          <button type="button" className="secondary" data-action="second-visit" onClick={() => setAsking(!asking)}>{t('batchSecondVisit')}</button>
        </span>
      )}
      {open && asking && (
        <span className="batch-visit-reasons">
          {secondVisitReasons.map((reason) => (
            <button key={reason} type="button" className="secondary" data-visit-reason={reason} onClick={() => { setAsking(false); send({ type: 'mark-second-visit', rowId: row.rowId, reason }); }}>
              {t.key(`batchVisit${reason}`)}
            </button>
          ))}
        </span>
      )}
    </li>
  );
}
