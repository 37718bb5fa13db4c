import { useState } from 'react';
import {
  batchSources, secondVisitReasons, type BatchFormat, type BatchImportView, type BatchProblem, type BatchRowView, type BatchSnapshot, type BatchSource, type BatchView,
} from '../../../../shared/contract/batch';
import type { KioskCommand } from '../../../../shared/contract/kiosk-api';
import { BilingualText, MessageText, useT } from '../i18n';

type Send = (command: KioskCommand) => unknown;

/**
 * The home screen's batches: import a list (its problems, every row's at once), and work the list room
 * by room — each resident's status, "Serve" to start the application with the row filled in, and
 * "Visit again" with a reason. Big targets: it is used standing at a bedside trolley.
 */
export function BatchPanel({ batch, send }: { batch: BatchSnapshot; send: Send }) {
  const t = useT();
  return (
    <section className="batch" data-testid="batch-panel" aria-label={t('batchTitle')}>
      <h2>{t('batchTitle')}</h2>
      {batch.import ? <ImportReport report={batch.import} send={send} /> : <ImportForm send={send} />}
      {batch.current ? <BatchList list={batch.current} send={send} /> : <p className="notice">{t('batchEmpty')}</p>}
    </section>
  );
}

/** The file picked is read as text in the browser and sent whole (the controller checks its size and every row). */
function ImportForm({ send }: { send: Send }) {
  const t = useT();
  const [label, setLabel] = useState('');
  const [source, setSource] = useState<BatchSource>('nursing-home');
  const [file, setFile] = useState<File | null>(null);
  const submit = async (): Promise<void> => {
    if (!file) return;
    const format: BatchFormat = file.name.toLowerCase().endsWith('.json') ? 'json' : 'csv';
    send({ type: 'import-batch', label: label.trim(), source, format, content: await file.text() });
  };
  return (
    <form className="batch-import" data-testid="batch-import-form" onSubmit={(event) => { event.preventDefault(); void submit(); }}>
      <h3>{t('batchImportTitle')}</h3>
      <label>{t('batchLabel')}<input name="batch-label" value={label} onChange={(e) => setLabel(e.target.value)} /></label>
      <label>
        {t('batchSource')}
        <select name="batch-source" value={source} onChange={(e) => setSource(e.target.value as BatchSource)}>
          {batchSources.map((s) => <option key={s} value={s}>{t.key(`batchSource${s}`)}</option>)}
        </select>
      </label>
      <label>{t('batchFile')}<input name="batch-file" type="file" accept=".csv,.json,text/csv,application/json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} /></label>
      <button type="submit" className="primary" data-action="import-batch" disabled={file === null || label.trim().length < 2}>{t('batchImport')}</button>
    </form>
  );
}

/** Every problem of the file, row by row, with the column to fix; nothing was imported until the supervisor says so. */
export function ImportReport({ report, send }: { report: BatchImportView; send: Send }) {
  const t = useT();
  const imported = report.importedBatchId !== null;
  return (
    <div className="batch-report" data-testid="batch-import-report" data-imported={imported}>
      {imported ? (
        <p className="notice" role="status">{t('batchImported').replace('{n}', String(report.cleanRows))}</p>
      ) : (
        report.problems.length > 0 && (
          <p className="notice warn" role="alert">
            {t('batchProblems').replace('{n}', String(report.rejectedRows.length)).replace('{clean}', String(report.cleanRows))}
          </p>
        )
      )}
      {imported && report.rejectedRows.length > 0 && <p className="notice warn">{t('batchLeftOut').replace('{rows}', report.rejectedRows.join(', '))}</p>}
      {report.problems.length > 0 && (
        <table className="batch-problems">
          <tbody>
            {report.problems.map((problem, index) => <ProblemRow key={index} problem={problem} />)}
          </tbody>
        </table>
      )}
      <div className="actions">
        {!imported && report.cleanRows > 0 && (
          <button type="button" className="primary" data-action="import-batch-clean-rows" onClick={() => send({ type: 'import-batch-clean-rows' })}>
            {t('batchImportClean').replace('{n}', String(report.cleanRows))}
          </button>
        )}
        <button type="button" className="secondary" data-action="dismiss-batch-import" onClick={() => send({ type: 'dismiss-batch-import' })}>{t('batchDismiss')}</button>
      </div>
    </div>
  );
}

function ProblemRow({ problem }: { problem: BatchProblem }) {
  const t = useT();
  return (
    <tr data-problem-row={problem.row} data-problem-column={problem.column ?? ''} data-problem-code={problem.message.code}>
      <th scope="row">{problem.row === 0 ? t('batchFileProblem') : t('batchRow').replace('{row}', String(problem.row))}</th>
      <td className="batch-column">{problem.column ?? ''}</td>
      <td>
        <MessageText message={problem.message} />
        {problem.reasons.length > 0 && (
          <ul className="batch-reasons">{problem.reasons.map((reason, i) => <li key={i}><BilingualText text={reason} /></li>)}</ul>
        )}
      </td>
    </tr>
  );
}

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
