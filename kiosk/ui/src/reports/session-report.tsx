import type { ReactNode } from 'react';
import type { SessionFigures } from '../../../../shared/contract/report-figures';
import { transitSchemes } from '../../../../shared/domain/card-types';
import { CardsBySchemeChart, CardsByTypeChart, PerHourChart, SpoilageChart, StageChart, type ChartSize, type Label } from './charts';
import { FeeTiles } from '../fee/fee-tiles';
import { Tile } from './tile';

/**
 * A session's report: the summary, the charts, the stage times, the stock ledger and the card numbers.
 * The printed page (report-page.tsx) and the supervisor's screen (reports-screen.tsx) both show it.
 */
export interface ReportLayout {
  readonly chart: ChartSize;
  readonly wideChart: ChartSize;
}

export const printLayout: ReportLayout = {
  chart: { width: 340, height: 200, fontSize: 11 },
  wideChart: { width: 700, height: 220, fontSize: 11 },
};

export const screenLayout: ReportLayout = {
  chart: { width: 460, height: 300, fontSize: 20 },
  wideChart: { width: 940, height: 320, fontSize: 20 },
};

const ledgerColumns = ['loaded', 'issued', 'spoiled', 'returned', 'left', 'counted', 'discrepancy'] as const;

/** `2026-03-01 09:00` in Taipei time from an ISO instant. */
export function localTime(iso: string | null): string {
  if (!iso) return '';
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

const seconds = (value: number | null): string => (value === null ? '–' : value.toFixed(1));

export function SessionReport({ figures, label, layout }: { figures: SessionFigures; label: Label; layout: ReportLayout }) {
  const { session, cards } = figures;
  return (
    <article className="report" data-testid="session-report" data-session-id={session.id}>
      <header className="report-header">
        <h1>{label('reportTitle')}</h1>
        <dl className="report-facts">
          <dt>{label('reportSite')}</dt>
          <dd>{session.site}</dd>
          <dt>{label('reportMode')}</dt>
          <dd>{label(`reportMode${session.mode}`)}</dd>
          <dt>{label('reportOpened')}</dt>
          <dd>{localTime(session.openedAt)}</dd>
          <dt>{label('reportClosed')}</dt>
          <dd>{session.closedAt ? localTime(session.closedAt) : label('reportStillOpen')}</dd>
        </dl>
      </header>

      <section className="report-tiles">
        <Tile label={label('reportCardsIssued')} value={cards.issued} testId="cards-issued" />
        <Tile label={label('reportReplacements')} value={cards.replacements} testId="replacements" />
        <FeeTiles fees={cards.fees} label={label} testId="session" />
        <Tile label={label('reportVoided')} value={cards.voided} testId="voided" />
        <Tile label={label('reportSpoiledTotal')} value={figures.spoilage.total} testId="spoiled" />
      </section>

      <section className="report-charts">
        <Figure title={label('reportCardsByType')}>
          <CardsByTypeChart cards={cards} label={label} size={layout.chart} />
        </Figure>
        <Figure title={label('reportCardsByScheme')}>
          <CardsBySchemeChart cards={cards} label={label} size={{ ...layout.chart, height: layout.chart.height * 0.6 }} />
        </Figure>
        <Figure title={label('reportPerHour')} wide>
          <PerHourChart perHour={figures.perHour} label={label} size={layout.wideChart} />
        </Figure>
        <Figure title={label('reportStageTimes')}>
          <StageChart stages={figures.stages} label={label} size={layout.chart} />
          <table className="report-table" data-testid="stage-table">
            <thead>
              <tr>
                <th />
                <th>{label('reportJobs')}</th>
                <th>{label('reportMedian')}</th>
                <th>{label('reportMean')}</th>
                <th>{label('reportMax')}</th>
              </tr>
            </thead>
            <tbody>
              {figures.stages.map((stage) => (
                <tr key={stage.stage} data-stage={stage.stage}>
                  <th>{label(`reportStage${stage.stage}`)}</th>
                  <td>{stage.jobs}</td>
                  <td>{seconds(stage.medianSeconds)}</td>
                  <td>{seconds(stage.meanSeconds)}</td>
                  <td>{seconds(stage.maxSeconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Figure>
        <Figure title={label('reportSpoilage')}>
          <SpoilageChart spoilage={figures.spoilage} label={label} size={layout.chart} />
        </Figure>
      </section>

      <section className="report-ledger">
        <h2>{label('reportLedger')}</h2>
        <table className="report-table" data-testid="ledger-table">
          <thead>
            <tr>
              <th />
              {ledgerColumns.map((column) => (
                <th key={column}>{label(`reportLedger${column}`)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {transitSchemes.map((scheme) => (
              <tr key={scheme} data-ledger-scheme={scheme}>
                <th>{label(`scheme${scheme}`)}</th>
                {ledgerColumns.map((column) => (
                  <td key={column} data-ledger-column={column}>
                    {figures.ledger[scheme][column] ?? '–'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <p className={figures.reconciles ? 'report-verdict ok' : 'report-verdict bad'} data-reconciles={figures.reconciles}>
          {label(figures.reconciles ? 'reportReconciles' : 'reportDoesNotReconcile')}
        </p>
        {session.note && (
          <p className="report-note">
            {label('reportNote')}: {session.note}
          </p>
        )}
      </section>

      <section className="report-card-numbers">
        <h2>
          {label('reportCardNumbers')} ({figures.cardNumbers.length})
        </h2>
        <p>{figures.cardNumbers.join('　')}</p>
      </section>
    </article>
  );
}

function Figure({ title, wide = false, children }: { title: string; wide?: boolean; children: ReactNode }) {
  return (
    <figure className={wide ? 'report-figure wide' : 'report-figure'}>
      <figcaption>{title}</figcaption>
      {children}
    </figure>
  );
}
