import { Bar, BarChart, CartesianGrid, LabelList, Legend, XAxis, YAxis } from 'recharts';
import type { PeriodFigures, SessionFigures, StageFigures } from '../../../../shared/contract/report-figures';
import { cardTypes, transitSchemes } from '../../../../shared/domain/card-types';
import { spoilReasons } from '../../../../shared/domain/service-session';

/**
 * The report's charts (recharts), the same on the supervisor's screen and on the printed report: only
 * their size, type size and labels differ. `label` words a message key (one language on the screen,
 * Chinese with English on paper). No animation: a printed page is captured at once.
 */
export type Label = (key: string) => string;

export interface ChartSize {
  readonly width: number;
  readonly height: number;
  /** Axis and value labels, px: large on the screen (read at arm's length), smaller on A4. */
  readonly fontSize: number;
}

const schemeColours = { easycard: '#1f6fb2', ipass: '#e07a10' } as const;
const barColour = '#2f7d4f';
const spoilColour = '#b23b3b';

function HorizontalBars({ data, size, colour }: { data: { name: string; value: number }[]; size: ChartSize; colour: string }) {
  const tick = { fontSize: size.fontSize, fill: '#222' };
  return (
    <BarChart width={size.width} height={size.height} data={data} layout="vertical" margin={{ top: 4, right: size.fontSize * 3, bottom: 4, left: 4 }}>
      <CartesianGrid horizontal={false} strokeDasharray="3 3" />
      <XAxis type="number" allowDecimals={false} tick={tick} />
      <YAxis type="category" dataKey="name" width={size.width * 0.38} tick={tick} interval={0} />
      <Bar dataKey="value" fill={colour} isAnimationActive={false}>
        <LabelList dataKey="value" position="right" style={{ fontSize: size.fontSize, fill: '#111' }} />
      </Bar>
    </BarChart>
  );
}

export function CardsByTypeChart({ cards, label, size }: { cards: SessionFigures['cards']; label: Label; size: ChartSize }) {
  const data = cardTypes.map((type) => ({ name: label(`card${type}`), value: cards.byCardType[type] }));
  return <HorizontalBars data={data} size={size} colour={barColour} />;
}

export function CardsBySchemeChart({ cards, label, size }: { cards: SessionFigures['cards']; label: Label; size: ChartSize }) {
  const data = transitSchemes.map((scheme) => ({ name: label(`scheme${scheme}`), value: cards.byScheme[scheme] }));
  return <HorizontalBars data={data} size={size} colour={schemeColours.easycard} />;
}

export function SpoilageChart({ spoilage, label, size }: { spoilage: SessionFigures['spoilage']; label: Label; size: ChartSize }) {
  const data = spoilReasons.map((reason) => ({ name: label(`reportSpoil${reason}`), value: spoilage.byReason[reason] }));
  return <HorizontalBars data={data} size={size} colour={spoilColour} />;
}

/** Cards per local hour, stacked by scheme. */
export function PerHourChart({ perHour, label, size }: { perHour: SessionFigures['perHour']; label: Label; size: ChartSize }) {
  const tick = { fontSize: size.fontSize, fill: '#222' };
  const data = perHour.map((hour) => ({ name: hour.hour.slice(11), ...hour.byScheme }));
  return (
    <BarChart width={size.width} height={size.height} data={data} margin={{ top: size.fontSize, right: 8, bottom: 4, left: 0 }}>
      <CartesianGrid vertical={false} strokeDasharray="3 3" />
      <XAxis dataKey="name" tick={tick} />
      <YAxis allowDecimals={false} tick={tick} width={size.fontSize * 3} />
      <Legend wrapperStyle={{ fontSize: size.fontSize }} />
      {transitSchemes.map((scheme) => (
        <Bar key={scheme} dataKey={scheme} name={label(`scheme${scheme}`)} stackId="cards" fill={schemeColours[scheme]} isAnimationActive={false} />
      ))}
    </BarChart>
  );
}

/** Median seconds per stage (the table beside it gives mean, longest and how many were measured). */
export function StageChart({ stages, label, size }: { stages: readonly StageFigures[]; label: Label; size: ChartSize }) {
  const data = stages.map((stage) => ({ name: label(`reportStage${stage.stage}`), value: stage.medianSeconds ?? 0 }));
  return <HorizontalBars data={data} size={size} colour="#6a4fb2" />;
}

/** Cards issued per local day over a period. */
export function PerDayChart({ perDay, label, size }: { perDay: PeriodFigures['perDay']; label: Label; size: ChartSize }) {
  const tick = { fontSize: size.fontSize, fill: '#222' };
  const data = perDay.map((day) => ({ name: day.day.slice(5), issued: day.issued, spoiled: day.spoiled }));
  return (
    <BarChart width={size.width} height={size.height} data={data} margin={{ top: size.fontSize, right: 8, bottom: 4, left: 0 }}>
      <CartesianGrid vertical={false} strokeDasharray="3 3" />
      <XAxis dataKey="name" tick={tick} />
      <YAxis allowDecimals={false} tick={tick} width={size.fontSize * 3} />
      <Legend wrapperStyle={{ fontSize: size.fontSize }} />
      <Bar dataKey="issued" name={label('reportCardsIssued')} fill={barColour} isAnimationActive={false} />
      <Bar dataKey="spoiled" name={label('reportSpoiledTotal')} fill={spoilColour} isAnimationActive={false} />
    </BarChart>
  );
}
