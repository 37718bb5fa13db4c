/** One big figure with its label: the reports' summary tiles (session and period alike). */
export function Tile({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div className="report-tile" data-testid={testId}>
      <span className="report-tile-value">{value}</span>
      <span className="report-tile-label">{label}</span>
    </div>
  );
}
