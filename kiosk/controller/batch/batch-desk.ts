import type { BatchFormat, BatchImportView, BatchRowView, BatchSnapshot, BatchSource, SecondVisitReason } from '../../../shared/contract/batch';
import { refused, type ApplicationForm, type CommandReply } from '../../../shared/contract/kiosk-api';
import { checkTaiwanId } from '../../../shared/identity/taiwan-id';
import type { LogSink } from '../../../shared/log';
import type { AssessmentDependencies } from '../issuance/assess-application';
import type { BatchTable } from '../store/store';
import type { BatchSummary, StoredBatchRow } from '../store/batches';
import { checkBatchFile, type CheckedBatch } from './check-batch';
import { batchRowStatus } from './row-status';

/**
 * The batches at the counter: importing a list (every row checked, nothing imported until it is clean or
 * a supervisor says to import the clean rows), the list being worked with each row's status read from its
 * card jobs, and a row picked into the application flow. The snapshot is synchronous, so the list is kept
 * as last read from the store and read again whenever something may have moved (`refresh`).
 */
export interface BatchDesk {
  /** What signed-in staff see; `names`: whether they may see applicants (a technician may not). */
  view(options: { readonly names: boolean; readonly onScreenRowId: string | null; readonly photoException: boolean }): BatchSnapshot;
  importFile(input: { label: string; source: BatchSource; format: BatchFormat; content: string }, operatorId: string | null): Promise<CommandReply>;
  importCleanRows(operatorId: string | null): Promise<CommandReply>;
  dismissImport(): void;
  /** Works another imported list. */
  show(batchId: string): Promise<CommandReply>;
  /** A row of the list being worked, with its application (null: no such row, or purged). */
  row(rowId: string): StoredBatchRow | null;
  markSecondVisit(rowId: string, reason: SecondVisitReason, operatorId: string | null): Promise<CommandReply>;
  /** Reads the list again (a card job moved); listeners hear when it is read. */
  refresh(): Promise<void>;
  onChange(listener: () => void): () => void;
}

export interface BatchDeskOptions {
  readonly batches: BatchTable;
  /** The counter's own assessment dependencies: the same rules, day and cards on file. */
  readonly assessment: AssessmentDependencies;
  /** The open service session's id, when there is one (a batch belongs to it). */
  readonly sessionId?: () => string | null;
  readonly log: LogSink;
}

interface PendingImport {
  readonly label: string;
  readonly source: BatchSource;
  readonly checked: CheckedBatch;
  importedBatchId: string | null;
}

export function createBatchDesk(options: BatchDeskOptions): BatchDesk {
  const listeners = new Set<() => void>();
  let pending: PendingImport | null = null;
  let current: { batchId: string; label: string; source: BatchSource; rows: StoredBatchRow[] } | null = null;
  let lists: BatchSummary[] = [];
  const changed = (): void => {
    for (const listener of listeners) listener();
  };

  const load = async (batchId?: string): Promise<void> => {
    const batches = await options.batches.list();
    lists = batches;
    const chosen = batches.find((batch) => batch.batchId === (batchId ?? current?.batchId)) ?? batches[0];
    current = chosen ? { batchId: chosen.batchId, label: chosen.label, source: chosen.source, rows: await options.batches.rows(chosen.batchId) } : null;
  };

  const store = async (label: string, source: BatchSource, checked: CheckedBatch, operatorId: string | null): Promise<string> => {
    const batchId = await options.batches.import({ label, source, sessionId: options.sessionId?.() ?? null, rowsInFile: checked.rows, rows: checked.clean, operatorId });
    options.log({ eventId: 'batch-imported', disposition: 'success', message: `batch ${batchId}: ${checked.clean.length} of ${checked.rows} rows imported` });
    await load(batchId);
    return batchId;
  };

  const importView = (): BatchImportView | null =>
    pending && {
      label: pending.label,
      rows: pending.checked.rows,
      cleanRows: pending.checked.clean.length,
      rejectedRows: [...pending.checked.rejectedRows],
      problems: pending.checked.problems.map((problem) => ({ ...problem, reasons: [...problem.reasons] })),
      importedBatchId: pending.importedBatchId,
    };

  return {
    view({ names, onScreenRowId, photoException }) {
      const rows = (current?.rows ?? []).map((row): BatchRowView => ({
        rowId: row.rowId,
        row: row.row,
        room: row.room,
        nameZh: names ? (row.application?.nameZh ?? null) : null,
        cardType: row.cardType,
        scheme: row.scheme,
        replacement: row.replacement,
        bedridden: row.bedridden,
        status: batchRowStatus(row.job, row.secondVisitReason !== null, row.rowId === onScreenRowId),
        secondVisitReason: row.secondVisitReason,
      }));
      return {
        // The problem list quotes cells (names, ID numbers): only for whoever may see applicants.
        import: names ? importView() : null,
        current: current && { batchId: current.batchId, label: current.label, source: current.source, rows },
        onScreenRowId,
        photoException,
        lists: lists.map((list) => ({ ...list })),
      };
    },
    async importFile(input, operatorId) {
      const checked = await checkBatchFile(input.content, input.format, options.assessment);
      pending = { label: input.label, source: input.source, checked, importedBatchId: null };
      // A clean file is imported at once; one with problems waits to be fixed, or for a supervisor's say-so.
      if (checked.problems.length === 0 && checked.clean.length > 0) pending.importedBatchId = await store(input.label, input.source, checked, operatorId);
      changed();
      return { accepted: true };
    },
    async importCleanRows(operatorId) {
      const waiting = pending;
      if (!waiting || waiting.importedBatchId !== null) return refused('wrong-screen', 'there is no list waiting to be imported');
      if (waiting.checked.clean.length === 0) return refused('invalid-input', 'the list has no clean row to import');
      waiting.importedBatchId = await store(waiting.label, waiting.source, waiting.checked, operatorId);
      changed();
      return { accepted: true };
    },
    dismissImport() {
      pending = null;
      changed();
    },
    async show(batchId) {
      if (!lists.some((list) => list.batchId === batchId)) return refused('invalid-input', `there is no list ${batchId}`);
      await load(batchId);
      changed();
      return { accepted: true };
    },
    row: (rowId) => current?.rows.find((row) => row.rowId === rowId) ?? null,
    async markSecondVisit(rowId, reason, operatorId) {
      const marked = await options.batches.markSecondVisit(rowId, reason, operatorId);
      if (!marked.ok) return refused('invalid-input', `there is no batch row ${rowId}`);
      await load();
      changed();
      return { accepted: true };
    },
    async refresh() {
      await load();
      changed();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The counter's form filled in from a batch row: what the operator would have typed. */
export function formFromBatchRow(row: StoredBatchRow): Partial<ApplicationForm> | null {
  const a = row.application;
  if (!a) return null;
  return {
    idNumber: a.idNumber,
    name: a.name,
    nameZh: a.nameZh,
    birthDate: a.birthDate,
    sex: a.sex,
    nationality: checkTaiwanId(a.idNumber).kind === 'national' ? 'TWN' : '',
    district: a.district as ApplicationForm['district'],
    indigenous: a.indigenous,
    disabilityCertificate: a.disabilityCertificate,
    guardianConsent: a.guardian !== null,
    cardType: a.cardType,
    scheme: a.scheme,
    ...(a.replacementCause ? { replacementCause: a.replacementCause } : {}),
  };
}
