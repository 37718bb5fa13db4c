import type { BatchImportView } from '../../../../shared/contract/batch';
import type { KioskCommand } from '../../../../shared/contract/kiosk-api';
import { BilingualText, MessageText, useT } from '../i18n';
import { columnHeading } from './column-words';

type Send = (command: KioskCommand) => unknown;

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

function ProblemRow({ problem }: { problem: BatchImportView['problems'][number] }) {
  const t = useT();
  return (
    <tr data-problem-row={problem.row} data-problem-column={problem.column ?? ''} data-problem-code={problem.message.code}>
      <th scope="row">{problem.row === 0 ? t('batchFileProblem') : t('batchRow').replace('{row}', String(problem.row))}</th>
      <td className="batch-column">{problem.column ? columnHeading(t.locale, problem.column) : ''}</td>
      <td>
        <MessageText message={problem.message} />
        {problem.reasons.length > 0 && (
          <ul className="batch-reasons">{problem.reasons.map((reason, i) => <li key={i}><BilingualText text={reason} /></li>)}</ul>
        )}
      </td>
    </tr>
  );
}

