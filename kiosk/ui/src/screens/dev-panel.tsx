import { useEffect, useState } from 'react';
import {
  cabledDevices,
  devWorldStateSchema,
  noteValues,
  printerFaultSteps,
  validatorFaults,
  type DevCommand,
  type DevWorldState,
  type PrinterFaultStep,
} from '../../../../shared/contract/kiosk-api';
import { kioskToken } from '../api';
import { devCommand } from '../command';
import { readWith } from '../reading/unreadable';

/** What a person at the kiosk would see of the simulated devices, refreshed every second. */
function useWorldState(): DevWorldState | null {
  const [state, setState] = useState<DevWorldState | null>(null);
  useEffect(() => {
    const load = (): void => {
      fetch('api/dev', { headers: { authorization: `Bearer ${kioskToken()}` } })
        .then((response) => (response.ok ? (response.json() as Promise<unknown>) : null))
        // An answer the contract refuses is not shown (and its issue paths go to the console).
        .then((json) => setState(json === null ? null : readWith(devWorldStateSchema, json, 'dev state')), () => setState(null));
    };
    load();
    const timer = window.setInterval(load, 1000);
    return () => window.clearInterval(timer);
  }, []);
  return state;
}
import { useT } from '../i18n';

/** Acts on the simulated world: what a person would do to real devices at the kiosk. */
const documents = [
  'residentPermitTaiwan', 'passportVietnam', 'passportIndonesia', 'passportTaiwan', 'idCardTd2', 'taiwanIdFemale',
  'passportWrongCheckDigit', 'passportOcrConfusion', 'passportTruncated',
];
// Each fault with the hand that mends it: what a technician does at the real printer.
const printerFaults = ['feeder-empty', 'load-cards', 'ribbon-end', 'new-ribbon', 'cover-open', 'cover-close', 'jam', 'clear-jam', 'take-card', 'power-loss', 'power-on', 'garbage'];
/** The faults a real printer can suffer mid-job: the step chooser applies to these. */
const timedFaults = new Set(['jam', 'cover-open', 'power-loss']);

export function DevPanel({ onClose }: { onClose: () => void }) {
  const t = useT();
  const [last, setLast] = useState('');
  const [idNumber, setIdNumber] = useState('A123456789');
  // '' = now (a jam without a step happens at print-front).
  const [faultStep, setFaultStep] = useState<PrinterFaultStep | ''>('');
  const world = useWorldState();
  const run = async (command: DevCommand): Promise<void> => {
    const reply = await devCommand(command);
    setLast(reply.accepted ? `✓ ${command.type}` : `✗ ${reply.reason}`);
  };
  return (
    <aside className="dev-panel" aria-label={t('devPanel')}>
      <header>
        <h2>{t('devPanel')}</h2>
        <button type="button" onClick={onClose} aria-label="close">×</button>
      </header>
      <h3>ID scanner</h3>
      <div className="dev-row">
        {documents.map((fixture) => (
          <button key={fixture} type="button" data-dev={`feed-${fixture}`} onClick={() => run({ type: 'feed-document', fixture })}>{fixture}</button>
        ))}
      </div>
      <div className="dev-row">
        <input value={idNumber} onChange={(e) => setIdNumber(e.target.value)} aria-label="Taiwan ID number" />
        <button type="button" onClick={() => run({ type: 'feed-taiwan-id', idNumber })}>ID barcode</button>
      </div>
      <h3>NFC reader</h3>
      {world && <p className="dev-state">counter reader: {world.counterReader} · printer encoder: {world.encoder}</p>}
      <div className="dev-row">
        {(['staff', 'supervisor', 'technician', 'citizen', 'first-citizen', 'blank', 'phone'] as const).map((kind) => (
          <button key={kind} type="button" data-dev={`place-${kind}`} onClick={() => run({ type: 'place-card', kind })}>place {kind} card</button>
        ))}
        <button type="button" onClick={() => run({ type: 'remove-card' })}>remove card</button>
      </div>
      <div className="dev-row">
        <button type="button" data-dev="card-fault-lift" onClick={() => run({ type: 'card-fault', fault: 'lift-before-wallet-write' })}>lift the card before the wallet write</button>
        <button type="button" data-dev="card-fault-tear" onClick={() => run({ type: 'card-fault', fault: 'tear-wallet-write' })}>tear the wallet write</button>
      </div>
      <h3>Card printer</h3>
      {world?.printer && (
        <p className="dev-state" data-testid="dev-printer-state">
          feeder {world.printer.cardsInFeeder} cards · ribbon {world.printer.ribbonPrintsLeft} prints left · cover {world.printer.cover} · card {world.printer.card}
          {world.printer.powered ? '' : ' · POWER OFF'} · printed {world.printer.cardsPrinted} · handed out {world.cardsIssued} · waiting in the exit slot {world.printer.cardsInOutput}
        </p>
      )}
      <div className="dev-row">
        <label>
          at step{' '}
          <select value={faultStep} data-dev="fault-step" onChange={(e) => setFaultStep(e.target.value as PrinterFaultStep | '')}>
            <option value="">now / print-front</option>
            {printerFaultSteps.map((step) => (
              <option key={step} value={step}>{step}</option>
            ))}
          </select>
        </label>
        {printerFaults.map((fault) => (
          <button
            key={fault}
            type="button"
            data-dev={`fault-${fault}`}
            onClick={() => run(faultStep && timedFaults.has(fault) ? { type: 'printer-fault', fault, atStep: faultStep } : { type: 'printer-fault', fault })}
          >
            {fault}{faultStep && timedFaults.has(fault) ? ` @${faultStep}` : ''}
          </button>
        ))}
      </div>
      <div className="dev-row">
        <button type="button" data-dev="chip-fault" onClick={() => run({ type: 'chip-fault' })}>defective chip on the next blank</button>
      </div>
      <h3>Cash</h3>
      {world?.validator && (
        <p className="dev-state" data-testid="dev-validator-state">
          bill validator{world.validator.powered ? '' : ' · POWER OFF'}{world.validator.masterInhibit ? ' · inhibited' : ' · accepting'} · escrow{' '}
          {world.validator.escrow === null ? 'empty' : `NT$${world.validator.escrow}`} · stacker {world.validator.stacker}
          {world.validator.jam ? ` · JAM (${world.validator.jam})` : ''} · counter {world.validator.counter} · cash box{' '}
          {Object.entries(world.validator.stackerNotes).map(([value, count]) => `${count}×${value}`).join(', ') || 'empty'}
        </p>
      )}
      <div className="dev-row">
        {noteValues.map((amount) => (
          <button key={amount} type="button" data-dev={`note-${amount}`} onClick={() => run({ type: 'insert-note', amount })}>NT${amount}</button>
        ))}
        <button type="button" data-dev="note-counterfeit" onClick={() => run({ type: 'insert-note', amount: 500, counterfeit: true })}>counterfeit NT$500</button>
      </div>
      {world?.validator && (
        <div className="dev-row">
          {validatorFaults.map((fault) => (
            <button key={fault} type="button" data-dev={`validator-${fault}`} onClick={() => run({ type: 'validator-fault', fault })}>{fault}</button>
          ))}
        </div>
      )}
      <h3>I/O board</h3>
      <div className="dev-row">
        <button type="button" onClick={() => run({ type: 'door', open: true })}>open door</button>
        <button type="button" onClick={() => run({ type: 'door', open: false })}>close door</button>
      </div>
      <h3>Cables</h3>
      <div className="dev-row">
        {cabledDevices.map((device) => {
          const plugged = world?.cables?.[device];
          return (
            <span key={device} className="dev-cable" data-cable={device} data-plugged={plugged === undefined ? 'unknown' : String(plugged)}>
              {device}: {plugged === undefined ? '—' : plugged ? 'plugged' : 'UNPLUGGED'}{' '}
              <button type="button" data-dev={`unplug-${device}`} onClick={() => run({ type: 'cable', device, plugged: false })}>unplug</button>
              <button type="button" data-dev={`plug-${device}`} onClick={() => run({ type: 'cable', device, plugged: true })}>plug in</button>
            </span>
          );
        })}
      </div>
      <p className="dev-last" role="status">{last}</p>
    </aside>
  );
}
