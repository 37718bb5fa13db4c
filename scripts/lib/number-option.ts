/**
 * A numeric command-line option (`--name value`) of a bench or chaos script: `fallback` when absent,
 * else the number, refused with a sentence naming the option, the value and what it takes.
 */
export function numberOption(name: string, text: string | undefined, fallback: number, valid: (n: number) => boolean, what: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !valid(value)) throw new Error(`--${name} '${text}': ${what}`);
  return value;
}
