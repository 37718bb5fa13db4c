import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * armStopDeadline bounds a stop both ways it can be stuck: a step that never settles (this thread's
 * timer), and this thread blocked in a native call (a watchdog thread kills the process).
 */
const script = 'test/hardware/host/stop-deadline-process.ts';
const deadlineMs = 300;
const stuckMarginMs = 300;
/** tsx's start on a loaded machine, before the deadline is armed. */
const startAllowanceMs = 20_000;

function run(mode: 'never-settles' | 'blocked' | 'finishes'): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, mode, String(deadlineMs), String(stuckMarginMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('close', (code, signal) => resolve({ code, signal, output }));
  });
}

describe('armStopDeadline', { timeout: startAllowanceMs + 10_000 }, () => {
  it('a stop that never settles: gives up at the deadline (onMissed runs on this thread)', async () => {
    const result = await run('never-settles');
    expect(result.output).toContain('armed');
    expect(result.output).toContain('missed');
    expect(result.code).toBe(1);
  });

  it('a thread stuck in a blocking call: the watchdog thread kills the process soon after the deadline', async () => {
    const result = await run('blocked');
    expect(result.signal, result.output).toBe('SIGKILL');
    expect(result.output).toContain('stuck: killed');
    expect(result.output).not.toContain('woke up');
  });

  it('a stop that finishes in time: disarmed, nothing happens', async () => {
    const result = await run('finishes');
    expect(result.output).not.toContain('missed');
    expect(result.output).not.toContain('killed');
    expect(result).toMatchObject({ code: 0, signal: null });
  });
});
