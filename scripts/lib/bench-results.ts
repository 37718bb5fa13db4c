/**
 * What `npm run bench` with no name keeps of each benchmark: the last line of its output that is
 * a JSON object (every benchmark ends with one), read from what it wrote to stdout.
 */
export function lastJsonLine(output: string): unknown {
  const lines = output.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('{') && line.endsWith('}'));
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const value: unknown = JSON.parse(lines[i]!);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
    } catch {
      // Not JSON after all: the line before may be.
    }
  }
  return undefined;
}

/** Copies what this process writes to stdout, still writing it, until `stop()`. */
export function teeStdout(): { text(): string; stop(): void } {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  return {
    text: () => chunks.join(''),
    stop: () => {
      process.stdout.write = write;
    },
  };
}
