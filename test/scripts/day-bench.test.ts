import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * `npm run bench -- day` at tiny counts: the whole path (a staffed controller process issuing with
 * the queue and a fault, a card check, then the same kiosk unattended taking cash top-ups) runs and
 * its last line is the JSON, every key there and no error.
 */
describe('npm run bench -- day', () => {
  it('runs a tiny day and ends with one JSON line holding every figure', { timeout: 150_000 }, async () => {
    const { code, stdout, stderr } = await run(['--import', 'tsx', 'scripts/bench.ts', 'day', '--issuances', '2', '--checks', '1', '--topups', '2'], 140_000);
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.some((line) => /^day staffed: 2\/2 applicants/.test(line))).toBe(true);
    expect(lines.some((line) => /^day unattended: 2\/2 top-ups/.test(line))).toBe(true);
    const figures = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    for (const key of ['issuances', 'rssStartMb', 'rssEndMb', 'rssGrowth', 'fdGrowth', 'dbMbPer1000Cards', 'errors', 'heapGrowth', 'checks', 'topups']) expect(figures).toHaveProperty(key);
    expect(figures).toMatchObject({ issuances: 2, checks: 1, topups: 2, errors: 0, faults: { jam: 1 } });
    for (const key of ['rssStartMb', 'rssEndMb', 'rssGrowth']) expect(figures[key]).toBeGreaterThan(0);
    expect(typeof figures['fdGrowth']).toBe('number');
  });
});

function run(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // An interrupt stops the kiosk cleanly (the bench's own SIGINT handler) if the run overstays.
    const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
