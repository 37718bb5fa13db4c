import type { PeriodFigures } from '../../../../shared/contract/report-figures';
import { CardsBySchemeChart, CardsByTypeChart, PerDayChart, SpoilageChart, type Label } from './charts';
import { FeeTiles } from '../fee/fee-tiles';
import { Tile } from './tile';
import type { ReportLayout } from './session-report';

/**
 * A period's figures, the city-wide shape: cards issued by card type and scheme, per day with the blanks
 * spoiled, replacements, and spoilage by reason (the same charts as a session's).
 */
export function PeriodReport({ figures, label, layout }: { figures: PeriodFigures; label: Label; layout: ReportLayout }) {
  const { cards } = figures;
  return (
    <article className="report" data-testid="period-report" data-period-from={figures.from} data-period-to={figures.to}>
      <header className="report-header">
        <h1>
          {label('reportPeriodTitle')} {figures.from} – {figures.to}
        </h1>
      </header>
      <section className="report-tiles">
        <Tile label={label('reportSessions')} value={figures.sessions} testId="period-sessions" />
        <Tile label={label('reportCardsIssued')} value={cards.issued} testId="period-cards-issued" />
        <Tile label={label('reportReplacements')} value={cards.replacements} testId="period-replacements" />
        <FeeTiles fees={cards.fees} label={label} testId="period" />
        <Tile label={label('reportSpoiledTotal')} value={figures.spoilage.total} testId="period-spoiled" />
      </section>
      <section className="report-charts">
        <figure className="report-figure">
          <figcaption>{label('reportCardsByType')}</figcaption>
          <CardsByTypeChart cards={cards} label={label} size={layout.chart} />
        </figure>
        <figure className="report-figure">
          <figcaption>{label('reportCardsByScheme')}</figcaption>
          <CardsBySchemeChart cards={cards} label={label} size={{ ...layout.chart, height: layout.chart.height * 0.6 }} />
        </figure>
        <figure className="report-figure wide">
          <figcaption>{label('reportPerDay')}</figcaption>
          <PerDayChart perDay={figures.perDay} label={label} size={layout.wideChart} />
        </figure>
        <figure className="report-figure">
          <figcaption>{label('reportSpoilage')}</figcaption>
          <SpoilageChart spoilage={figures.spoilage} label={label} size={layout.chart} />
        </figure>
      </section>
    </article>
  );
}
