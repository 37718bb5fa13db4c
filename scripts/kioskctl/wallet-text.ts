/** Text helpers of the staff's money commands (pending, settle, reconcile): numbers only, never a whole card number. */

/** The last 4 digits of a card number: what staff and receipts show. */
export const last4 = (cardNumber: string): string => cardNumber.slice(-4);

/** Left-aligned columns, two spaces apart, under a heading line. */
export function table(headings: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headings.map((heading, i) => Math.max(heading.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => `  ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()}`;
  return [line(headings), ...rows.map(line)];
}

/** `100=12 500=3 1000=4` → counts by denomination; null (with the offending word) when one is not `<note>=<count>`. */
export function parseCounts(words: readonly string[], notes: readonly number[]): { counts: Record<string, number> } | { bad: string } {
  const counts: Record<string, number> = {};
  for (const word of words) {
    const match = /^(\d+)=(\d+)$/.exec(word);
    const note = Number(match?.[1]);
    if (!match || !notes.includes(note) || String(note) in counts) return { bad: word };
    counts[String(note)] = Number(match[2]);
  }
  return { counts };
}
