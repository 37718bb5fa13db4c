import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every timer in the controller is a named delay on an injected clock (XState's `SimulatedClock` in
 * tests). A raw `setTimeout(` / `setInterval(` is allowed only where real time is the point: device
 * glue, marked with a comment saying `device glue` on the line or the line above.
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const controllerDir = join(repoRoot, 'kiosk', 'controller');

/** Files still allowed raw timers while they are replaced. Keep this list short (empty now) and say why. */
const allowedFiles = new Set<string>([]);

/** The global timers; a call on an injected clock (`timers.setTimeout(`) is what the rule asks for. */
const rawTimer = /(?<![.\w])(setTimeout|setInterval)\(/;
const glueMark = /device glue/i;

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `file:line` of every raw timer that is neither marked as device glue nor in an allowed file. */
function unmarkedRawTimers(): string[] {
  const found: string[] = [];
  for (const path of typeScriptFiles(controllerDir)) {
    const file = relative(repoRoot, path).split('\\').join('/');
    if (allowedFiles.has(file)) continue;
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((line, index) => {
      if (!rawTimer.test(line)) return;
      if (glueMark.test(line) || glueMark.test(lines[index - 1] ?? '')) return;
      found.push(`${file}:${index + 1}`);
    });
  }
  return found;
}

describe('controller timers', () => {
  it('finds the controller sources it scans', () => {
    expect(typeScriptFiles(controllerDir).length).toBeGreaterThan(20);
  });

  it('uses no raw setTimeout/setInterval outside code marked as device glue', () => {
    expect(unmarkedRawTimers()).toEqual([]);
  });

  it('tells a raw timer from a call on an injected clock', () => {
    expect(rawTimer.test('await new Promise((resolve) => setTimeout(resolve, 10));')).toBe(true);
    expect(rawTimer.test('const id = setInterval(tick, 50);')).toBe(true);
    expect(rawTimer.test('timers.setTimeout(resolve, gapMs);')).toBe(false);
    expect(rawTimer.test('options.clock.setTimeout(resolve, gapMs);')).toBe(false);
  });

  it('allows only files that exist (a stale allow-list entry hides nothing and must go)', () => {
    const files = new Set(typeScriptFiles(controllerDir).map((path) => relative(repoRoot, path).split('\\').join('/')));
    for (const file of allowedFiles) expect(files.has(file), file).toBe(true);
  });
});
