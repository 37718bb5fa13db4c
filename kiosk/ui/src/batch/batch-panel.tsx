import { useState } from 'react';
import { batchSources, type BatchFormat, type BatchSnapshot, type BatchSource } from '../../../../shared/contract/batch';
import type { KioskCommand } from '../../../../shared/contract/kiosk-api';
import { useT } from '../i18n';
import { BatchList } from './batch-list';
import { ImportReport } from './batch-report';

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
      {batch.lists.length > 1 && (
        <label className="batch-choose">
          {t('batchChoose')}
          <select name="batch-choose" value={batch.current?.batchId ?? ''} onChange={(e) => send({ type: 'show-batch', batchId: e.target.value })}>
            {batch.lists.map((list) => <option key={list.batchId} value={list.batchId}>{`${list.label} · ${list.importedAt.slice(0, 10)} · ${list.rows}`}</option>)}
          </select>
        </label>
      )}
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
